// Reads the checks API's answer: one JSON object per line, as each check finishes.
export type CheckEvent =
  | { type: "start"; checks: string[] }
  | { type: "result"; index: number; check: string; status: "passed" | "failed" | "error"; message?: string }
  | { type: "end"; passed: boolean };

/** Splits streamed text into complete lines and parses each; malformed lines are skipped. */
export class CheckStreamParser {
  #buffer = "";

  push(text: string): CheckEvent[] {
    this.#buffer += text;
    const lines = this.#buffer.split("\n");
    this.#buffer = lines.pop() ?? "";
    const events: CheckEvent[] = [];
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        const value = JSON.parse(line) as { type?: unknown };
        if (value.type === "start" || value.type === "result" || value.type === "end") events.push(value as CheckEvent);
      } catch {
        // A line cut by a dropped connection: the end event never comes and the panel says so.
      }
    }
    return events;
  }
}

/** Text with `code` spans as DOM nodes (hints and messages use backticks for commands). */
export function withCode(document: Document, text: string): Node[] {
  return text.split(/(`[^`]+`)/).filter((part) => part !== "").map((part) => {
    if (!part.startsWith("`") || !part.endsWith("`")) return document.createTextNode(part);
    const code = document.createElement("code");
    code.textContent = part.slice(1, -1);
    return code;
  });
}
