// A lesson's Run button types its command into the shell. A terminal's Enter key sends "\r",
// so every line break becomes "\r", exactly as if the learner had typed the lines.

/** The keystrokes that type `command` and press Enter; empty when there is nothing to run. */
export function commandKeystrokes(command: string): string {
  // Trailing breaks are dropped so a command copied with its final newline runs once,
  // not once plus an empty Enter.
  const lines = command.replace(/\r\n?|\n/g, "\r").replace(/\r+$/, "");
  if (lines.trim() === "") return "";
  return `${lines}\r`;
}
