// What one Tab does to the line, as bash does it: a single candidate is inserted whole
// (with a space after it unless it is a directory or `--flag=`), several are completed to
// their longest common prefix, and a Tab that cannot add anything after another Tab lists them.
import type { CompletionResult } from "../completion/shell-completer.ts";

export type CompletionEdit =
  | { kind: "none" }
  | { kind: "replace"; line: string; cursor: number }
  | { kind: "list"; items: string[] };

export function completionEdit(line: string, cursor: number, result: CompletionResult, afterTab: boolean): CompletionEdit {
  const values = result.candidates.map((candidate) => candidate.value);
  const [only] = values;
  if (only === undefined) return { kind: "none" };
  const write = (word: string, close: boolean) =>
    result.verbatim === true ? `${result.quote ?? ""}${word}` : quoteWord(word, result.quote, close);
  let text: string;
  if (values.length === 1) {
    const finished = !only.endsWith("/") && !only.endsWith("=");
    const spaced = finished && line[cursor] !== " ";
    text = write(only, finished) + (spaced ? " " : "");
  } else {
    const common = commonPrefix(values);
    if (common.length <= result.word.length) {
      return afterTab ? { kind: "list", items: result.candidates.map((candidate) => candidate.display) } : { kind: "none" };
    }
    text = write(common, false);
  }
  const replaced = line.slice(0, result.start) + text + line.slice(cursor);
  const edit = { kind: "replace" as const, line: replaced, cursor: result.start + text.length };
  return replaced === line && edit.cursor === cursor ? { kind: "none" } : edit;
}

/** Writes a word back the way the learner quoted it: inside their open quote, else with backslashes. */
export function quoteWord(value: string, quote: "'" | '"' | undefined, close: boolean): string {
  if (quote === "'") return `'${value.replaceAll("'", "'\\''")}${close ? "'" : ""}`;
  if (quote === '"') return `"${value.replace(/["\\$`]/g, "\\$&")}${close ? '"' : ""}`;
  // `~/` at the start stays unescaped so the shell still expands it.
  const home = value.startsWith("~/") ? "~" : "";
  return home + value.slice(home.length).replace(/[\s"'\\$`<>|&;()*?#!\[\]{}~]/g, "\\$&");
}

function commonPrefix(values: readonly string[]): string {
  let prefix = values[0] ?? "";
  for (const value of values) {
    let length = 0;
    while (length < prefix.length && length < value.length && prefix[length] === value[length]) length++;
    prefix = prefix.slice(0, length);
  }
  return prefix;
}
