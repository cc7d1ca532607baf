// The lines of one command line being collected behind `> ` prompts. Joining and parsing the
// whole script again for every line is quadratic: a pasted here-document of tens of
// thousands of lines would hold the server's event loop (every learner's terminal) for
// minutes. While the script sits inside open here-documents, only a line equal to one of
// their delimiters can end them, so every other line is taken without parsing.
import { parse } from "just-bash";
import { needsMoreInput } from "./command-completeness.ts";

export class ContinuationLines {
  #lines: string[] = [];
  #chars = 0;
  /** Delimiters of the here-documents still open after the last parse, when that is all that is open. */
  #delimiters: ReadonlySet<string> | undefined;

  /** Length of the script the lines make (lines joined by newlines). */
  get length(): number {
    return this.#chars;
  }

  get empty(): boolean {
    return this.#lines.length === 0;
  }

  add(line: string): void {
    this.#chars += (this.#lines.length > 0 ? 1 : 0) + line.length;
    this.#lines.push(line);
  }

  script(): string {
    return this.#lines.join("\n");
  }

  clear(): void {
    this.#lines = [];
    this.#chars = 0;
    this.#delimiters = undefined;
  }

  /** Whether the lines so far leave the command unfinished (bash would prompt with `> `). */
  needsMore(): boolean {
    const last = this.#lines.at(-1) ?? "";
    // `<<-` strips leading tabs before comparing; stripping them for `<<` too only means one more parse.
    if (this.#delimiters !== undefined && !this.#delimiters.has(last.replace(/^\t+/, ""))) return true;
    const script = this.script();
    const more = needsMoreInput(script);
    this.#delimiters = more ? openHereDocDelimiters(script) : undefined;
    return more;
  }
}

/** The delimiters of the script's unterminated here-documents, or undefined when it has none or cannot be parsed. */
function openHereDocDelimiters(script: string): ReadonlySet<string> | undefined {
  let ast: unknown;
  try {
    ast = parse(script);
  } catch {
    return undefined;
  }
  const delimiters = new Set<string>();
  // Iterative walk: a pasted megabyte must not exhaust the stack.
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (record.type === "HereDoc" && record.terminated === false && typeof record.delimiter === "string") delimiters.add(record.delimiter);
    for (const value of Object.values(record)) if (typeof value === "object") stack.push(value);
  }
  return delimiters.size > 0 ? delimiters : undefined;
}
