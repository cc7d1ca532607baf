// Drives an interactive learner shell the way a terminal does: keys in, screen bytes out, and
// waits for what a person would wait for (the prompt, a line of output).
import { stripVTControlCharacters } from "node:util";
import type { Tty } from "../../server/providers/sandbox-provider.ts";

/** The prompt at the very end of the output: the shell is waiting for a command. */
const PROMPT_AT_END = /learner@workstation:[^\n]*\$ $/;

export class TerminalDriver {
  readonly tty: Tty;
  #raw = "";
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number>;

  constructor(tty: Tty) {
    this.tty = tty;
    let scheduled = false;
    tty.onData((data) => {
      this.#raw += data;
      // Echo arrives a key at a time: waiters look once per burst, not once per key.
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        for (const wake of [...this.#waiters]) wake();
      });
    });
    this.exited = new Promise((resolve) => tty.onExit(resolve));
  }

  /** Everything printed so far, escape sequences included. */
  get raw(): string {
    return this.#raw;
  }

  /** Everything printed since `from` (an offset into raw), without escape sequences. */
  text(from = 0): string {
    return stripVTControlCharacters(this.#raw.slice(from));
  }

  /** Whether the shell sits at its prompt, with nothing printed after it. */
  atPrompt(from = 0): boolean {
    return PROMPT_AT_END.test(this.text(from));
  }

  /** Resolves once the output since `from` satisfies `done`; rejects with what was seen after `timeoutMs`. */
  waitFor(done: (text: string) => boolean, from = 0, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done(this.#raw.length - from > 1 << 20 ? "" : this.text(from))) return;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out; the terminal's last output: ${JSON.stringify(this.text(from).slice(-400))}`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  waitForPrompt(from = 0, timeoutMs?: number): Promise<void> {
    // Only the end matters, and the output may be megabytes long.
    return this.waitFor(() => this.atPrompt(Math.max(from, this.#raw.length - 1024)), from, timeoutMs);
  }

  /**
   * Types `keys` and resolves with the offset where their echo and output start. A big
   * paste goes in pieces, one per turn of the event loop, as WebSocket frames deliver it.
   */
  async type(keys: string, chunkChars = 16 * 1024): Promise<number> {
    const from = this.#raw.length;
    for (let at = 0; at < keys.length; at += chunkChars) {
      if (at > 0) await new Promise((resolve) => setImmediate(resolve));
      this.tty.write(keys.slice(at, at + chunkChars));
    }
    return from;
  }

  /** Types a command line and resolves with its output (echo included) once the prompt is back. */
  async run(line: string, timeoutMs?: number): Promise<string> {
    const from = await this.type(`${line}\r`);
    await this.waitForPrompt(from + 1, timeoutMs);
    return this.text(from);
  }
}
