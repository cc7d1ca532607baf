// Splits terminal input into keys the way a line editor reads them: an escape sequence
// (`ESC [ 1 ; 5 D`, `ESC O A`), a meta key (`ESC x`) or one character.

/** The first key of `input` (empty only for empty input). A lone trailing ESC is the Esc key. */
export function nextKey(input: string): string {
  const first = input[0];
  if (first === undefined) return "";
  if (first !== "\x1b") return String.fromCodePoint(input.codePointAt(0) ?? 0);
  const second = input[1];
  if (second === undefined) return first;
  if (second === "[") {
    // CSI: parameter and intermediate bytes, then one final byte in @..~.
    let index = 2;
    while (index < input.length && /[0-?]/.test(input[index] ?? "")) index++;
    while (index < input.length && /[ -/]/.test(input[index] ?? "")) index++;
    return input.slice(0, Math.min(index + 1, input.length));
  }
  if (second === "O") return input.slice(0, 3);
  return input.slice(0, 2);
}
