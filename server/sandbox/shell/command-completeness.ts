// Decides whether typed lines form a whole command or the shell must ask for more with
// `> `, as bash does for a trailing `\`, an open quote, an open `if`/`for`/`{`, a trailing
// `|`/`&&`/`||`, or a here-document still waiting for its terminator.
import { parse } from "just-bash";

export function needsMoreInput(script: string): boolean {
  let ast: unknown;
  try {
    ast = parse(script);
  } catch (error) {
    return endsPrematurely(error);
  }
  if (hasOpenHereDoc(ast)) return true;
  const lastLine = script.slice(script.lastIndexOf("\n") + 1);
  if (/(^|[^\\])(\\\\)*\\$/.test(lastLine)) return true;
  return /(^|[^\\])(\|\||&&|\|)\s*$/.test(lastLine);
}

function endsPrematurely(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const token = (error as { token?: { type?: unknown } }).token;
  if (token?.type === "EOF") return true;
  return /unexpected EOF|got EOF/.test(error.message);
}

function hasOpenHereDoc(node: unknown): boolean {
  // Iterative walk: a pasted megabyte must not exhaust the stack.
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== "object") continue;
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
      continue;
    }
    const record = current as Record<string, unknown>;
    if (record.type === "HereDoc" && record.terminated === false) return true;
    for (const value of Object.values(record)) if (typeof value === "object") stack.push(value);
  }
  return false;
}
