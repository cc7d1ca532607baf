// Tolerant comparison of the output a lesson shows with the output a command prints now.
// What legitimately changes from run to run is matched by shape, not by value: ages and
// durations, IP addresses, timestamps, UIDs, generated name suffixes (pod-template hashes and
// the 5-character pod suffix), column padding. A `...` line stands for any lines, `...` in a
// line for any text. Table rows may come in any order; other lines keep theirs unless the
// block says `unordered`.

export interface OutputMismatch {
  /** 1-based line of the shown output where matching stopped. */
  line: number;
  expected: string;
  /** The printed line at that point, or undefined when the output ended early. */
  actual: string | undefined;
}

export type OutputMatch = { matched: true } | { matched: false; mismatch: OutputMismatch };

const ELLIPSIS = Symbol("ellipsis");
type Pattern = { regex: RegExp; text: string; line: number } | { ellipsis: typeof ELLIPSIS; text: string; line: number };

// Kubernetes' random-string alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3.
const K = "[bcdfghjklmnpqrstvwxz2456789]";

// Order matters: the first alternative that matches at a position wins.
const VARIABLE_PARTS: readonly { source: string; replacement: string }[] = [
  { source: String.raw`\.\.\.`, replacement: ".*?" },
  // RFC 3339 timestamps, as in -o yaml and events.
  {
    source: String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?`,
    replacement: String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?`,
  },
  // HTTP dates: "Tue, 24 Nov 2026 04:12:00 GMT".
  {
    source: String.raw`(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT`,
    replacement: String.raw`[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT`,
  },
  { source: String.raw`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`, replacement: String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` },
  // IPv4 with an optional prefix length; a port after it stays literal.
  { source: String.raw`\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b`, replacement: String.raw`\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?` },
  // Ages and durations as kubectl and istioctl print them: 0s, 45s, 3m2s, 5h, 2d3h, 1.5s, 120ms.
  { source: String.raw`(?<![\w.-])(?:\d+(?:\.\d+)?(?:ms|µs|us|ns|s|m|h|d|y))+(?![\w.-])`, replacement: String.raw`(?:\d+(?:\.\d+)?(?:ms|µs|us|ns|s|m|h|d|y))+` },
  { source: String.raw`<unknown>|<invalid>`, replacement: String.raw`(?:<unknown>|<invalid>|(?:\d+(?:ms|s|m|h|d|y))+)` },
  // Generated names: deployment pods (name-hash-xxxxx), ReplicaSets (name-hash), other pods
  // (name-xxxxx). The prefix before the suffix stays literal.
  { source: String.raw`(?<=[a-z0-9]-)${K}{6,10}-${K}{5}(?![\w-])`, replacement: `${K}{6,10}-${K}{5}` },
  { source: String.raw`(?<=[a-z0-9]-)(?=[a-z]*\d)${K}{8,10}(?![\w-])`, replacement: `${K}{6,10}` },
  { source: String.raw`(?<=[a-z0-9]-)(?=[a-z]*\d)${K}{5}(?![\w-])`, replacement: `${K}{5}` },
];

const VARIABLE = new RegExp(VARIABLE_PARTS.map((part) => `(${part.source})`).join("|"), "g");

function escapeLiteral(text: string): string {
  // Column padding changes with the width of the values: any run of spaces matches any other.
  return text
    .split(/( +)/)
    .map((piece) => (piece.startsWith(" ") ? " +" : piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
}

/** The regular expression a shown output line stands for (exported for tests and reports). */
export function linePattern(line: string): RegExp {
  let source = "";
  let last = 0;
  for (const match of line.matchAll(VARIABLE)) {
    const index = match.index;
    source += escapeLiteral(line.slice(last, index));
    const group = match.slice(1).findIndex((value) => value !== undefined);
    source += VARIABLE_PARTS[group]?.replacement ?? escapeLiteral(match[0]);
    last = index + match[0].length;
  }
  source += escapeLiteral(line.slice(last));
  return new RegExp(`^ *${source.replace(/^ \+/, "")}$`);
}

/** Strips colours and carriage returns, trailing spaces and blank lines at either end. */
export function normalizeOutput(text: string): string[] {
  const lines = text
    // Colour and cursor escapes are presentation, not output.
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    .replaceAll("\r\n", "\n")
    .split("\n")
    .map((line) => line.replace(/\s+$/, ""));
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines;
}

function patternsOf(lines: readonly string[]): Pattern[] {
  return lines.map((text, index) =>
    text.trim() === "..." ? { ellipsis: ELLIPSIS, text, line: index + 1 } : { regex: linePattern(text), text, line: index + 1 },
  );
}

function matches(pattern: Pattern, line: string): boolean {
  return "regex" in pattern && pattern.regex.test(line);
}

// In-order matching with `...` lines; memoised so many ellipses stay linear-ish. Tracks the
// furthest point reached to report where a failed match went wrong.
function matchOrdered(patterns: readonly Pattern[], lines: readonly string[]): OutputMatch {
  const failed = new Set<number>();
  let furthest = { pattern: 0, line: 0 };
  const key = (p: number, l: number) => p * (lines.length + 1) + l;
  const walk = (p: number, l: number): boolean => {
    if (failed.has(key(p, l))) return false;
    if (p > furthest.pattern || (p === furthest.pattern && l > furthest.line)) furthest = { pattern: p, line: l };
    const pattern = patterns[p];
    let ok: boolean;
    if (pattern === undefined) ok = l === lines.length;
    else if ("ellipsis" in pattern) ok = walk(p + 1, l) || (l < lines.length && walk(p, l + 1));
    else ok = l < lines.length && matches(pattern, lines[l] ?? "") && walk(p + 1, l + 1);
    if (!ok) failed.add(key(p, l));
    return ok;
  };
  if (walk(0, 0)) return { matched: true };
  const pattern = patterns[furthest.pattern];
  return {
    matched: false,
    mismatch:
      pattern === undefined
        ? { line: patterns.length + 1, expected: "(end of output)", actual: lines[furthest.line] }
        : { line: pattern.line, expected: pattern.text, actual: lines[furthest.line] },
  };
}

// Rows in any order: a perfect matching between pattern rows and printed rows
// (augmenting paths; outputs are small).
function matchAnyOrder(patterns: readonly Pattern[], lines: readonly string[]): boolean {
  if (patterns.length !== lines.length) return false;
  const ownerOf = new Array<number>(lines.length).fill(-1);
  const assign = (p: number, seen: boolean[]): boolean => {
    for (let l = 0; l < lines.length; l++) {
      if (seen[l] || !matches(patterns[p] as Pattern, lines[l] ?? "")) continue;
      seen[l] = true;
      const owner = ownerOf[l] ?? -1;
      if (owner === -1 || assign(owner, seen)) {
        ownerOf[l] = p;
        return true;
      }
    }
    return false;
  };
  return patterns.every((_, p) => assign(p, new Array<boolean>(lines.length).fill(false)));
}

// A header of upper-case column names separated by wide gaps, as kubectl and istioctl print.
function isTableHeader(line: string): boolean {
  return /^[A-Z][A-Z0-9_()./-]*(?: [A-Z][A-Z0-9_()./-]*)*(?: {2,}[A-Z][A-Z0-9_()./-]*(?: [A-Z][A-Z0-9_()./-]*)*)+$/.test(line.trim());
}

export function matchOutput(expected: string, actual: string, options: { unordered?: boolean } = {}): OutputMatch {
  const expectedLines = normalizeOutput(expected);
  const actualLines = normalizeOutput(actual);
  const patterns = patternsOf(expectedLines);
  const ordered = matchOrdered(patterns, actualLines);
  if (ordered.matched) return ordered;
  if (patterns.some((pattern) => "ellipsis" in pattern)) return ordered;
  if (options.unordered === true && matchAnyOrder(patterns, actualLines)) return { matched: true };
  const [header, ...rows] = patterns;
  const [printedHeader, ...printedRows] = actualLines;
  if (header !== undefined && isTableHeader(header.text) && matches(header, printedHeader ?? "") && matchAnyOrder(rows, printedRows)) {
    return { matched: true };
  }
  return ordered;
}
