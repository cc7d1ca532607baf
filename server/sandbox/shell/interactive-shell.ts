// One interactive learner shell behind the Tty interface: Node's readline does the line
// editing and history over a virtual terminal (no host TTY anywhere), and complete
// command lines go to the sandbox's interpreter worker.
import { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";
import type { Interface } from "node:readline";
import type { Tty } from "../../providers/sandbox-provider.ts";
import { needsMoreInput } from "./command-completeness.ts";
import type { RunningExec, ShellHost } from "./shell-host.ts";
import { TerminalOutput } from "./terminal-output.ts";

export interface InteractiveShellOptions {
  cols: number;
  rows: number;
  /** Names this shell's env and cwd in the worker. */
  session: string;
}

/** Output side of the virtual terminal: readline writes here and reads the size here. */
class TerminalWritable extends Writable {
  columns: number;
  rows: number;
  readonly isTTY = true;

  constructor(cols: number, rows: number, sink: (data: string) => void) {
    super({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, callback) => {
        sink(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
        callback();
      },
    });
    this.columns = cols;
    this.rows = rows;
  }
}

const LINE_END = /\r\n|\r|\n|\x03|\x04/;
const HISTORY_ENTRY_MAX = 4096;

export class InteractiveShell implements Tty {
  readonly #host: ShellHost;
  readonly #session: string;
  readonly #out: TerminalOutput;
  readonly #input = new Readable({ read() {} });
  readonly #terminal: TerminalWritable;
  readonly #rl: Interface;
  readonly #exitListeners = new Set<(code: number) => void>();
  readonly #unsubscribe: Array<() => void> = [];
  #pendingInput = "";
  #continuation: string[] = [];
  #running: RunningExec | undefined;
  #lastStatus = 0;
  #cwd: string;
  #ended = false;
  #draining = false;
  #drainScheduled = false;
  #exitCode: number | undefined;
  #exitReported = false;

  constructor(host: ShellHost, options: InteractiveShellOptions) {
    this.#host = host;
    this.#session = options.session;
    this.#cwd = host.options.home;
    this.#out = new TerminalOutput({
      chunkChars: host.options.outputChunkChars,
      highWaterMark: host.options.outputHighWaterMark,
    });
    this.#terminal = new TerminalWritable(options.cols, options.rows, (data) => this.#out.write(data));
    this.#rl = createInterface({
      input: this.#input,
      output: this.#terminal,
      terminal: true,
      historySize: host.options.historySize,
      removeHistoryDuplicates: true,
      // "\r\n" from a paste is one line end, however slowly it arrives.
      crlfDelay: Number.POSITIVE_INFINITY,
      prompt: this.#prompt(),
    });
    this.#rl.on("line", (line) => this.#onLine(line));
    this.#rl.on("SIGINT", () => this.#onInterruptAtPrompt());
    // Without a listener readline would stop the whole server process on Ctrl-Z.
    this.#rl.on("SIGTSTP", () => {});
    this.#rl.on("history", (history: string[]) => {
      // Pasted manifests are not worth keeping line by line in memory.
      if ((history[0]?.length ?? 0) > HISTORY_ENTRY_MAX) history.shift();
    });
    this.#unsubscribe.push(this.#out.onDrain(() => this.#afterDrain()));
    this.#unsubscribe.push(
      host.onExit((error) => {
        if (this.#ended) return;
        if (error.code !== "SHELL_DISPOSED") this.#out.write("\r\n[the sandbox stopped]\r\n");
        this.#end(error.code === "SHELL_DISPOSED" ? 129 : 1);
      }),
    );
    this.#rl.prompt();
  }

  /** The name of this shell's env and cwd in the worker. */
  get session(): string {
    return this.#session;
  }

  write(data: string): void {
    if (this.#ended) return;
    if (this.#running !== undefined && data.includes("\x03")) {
      // Ctrl-C reaches a running command at once; type-ahead is dropped, as a TTY flushes it.
      this.#pendingInput = "";
      this.#running.interrupt();
      return;
    }
    const room = this.#host.options.limits.maxInputChars - this.#pendingInput.length;
    if (room <= 0) return;
    this.#pendingInput += data.length > room ? data.slice(0, room) : data;
    this.#scheduleDrain();
  }

  onData(listener: (data: string) => void): () => void {
    return this.#out.onData(listener);
  }

  onExit(listener: (code: number) => void): () => void {
    if (this.#exitReported && this.#exitCode !== undefined) {
      const code = this.#exitCode;
      queueMicrotask(() => listener(code));
      return () => {};
    }
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  resize(cols: number, rows: number): void {
    this.#terminal.columns = cols;
    this.#terminal.rows = rows;
    this.#terminal.emit("resize");
  }

  pause(): void {
    this.#out.pause();
  }

  resume(): void {
    this.#out.resume();
    this.#scheduleDrain();
  }

  /** Ends the shell without reporting an exit: the caller is the one going away. */
  close(): void {
    if (this.#ended) return;
    this.#exitReported = true;
    this.#end(129);
  }

  /**
   * Input is fed to readline outside any call stack that readline itself may be on (its
   * own echo reaches output listeners, which may call back into this Tty).
   */
  #scheduleDrain(): void {
    if (this.#drainScheduled) return;
    this.#drainScheduled = true;
    queueMicrotask(() => {
      this.#drainScheduled = false;
      this.#drainInput();
    });
  }

  /** Feeds held input to readline one line at a time, only while no command runs. */
  #drainInput(): void {
    // readline echoes synchronously, which can land back here; the outer loop carries on.
    if (this.#draining) return;
    this.#draining = true;
    try {
      this.#drainLoop();
    } finally {
      this.#draining = false;
    }
  }

  #drainLoop(): void {
    while (!this.#ended && this.#running === undefined && !this.#out.congested && this.#pendingInput !== "") {
      const match = LINE_END.exec(this.#pendingInput);
      const end = match === null ? this.#pendingInput.length : match.index + match[0].length;
      const segment = this.#pendingInput.slice(0, end);
      this.#pendingInput = this.#pendingInput.slice(end);
      if (segment.endsWith("\x04")) {
        this.#feed(segment.slice(0, -1));
        this.#onEndOfInput();
      } else {
        this.#feed(segment);
      }
    }
  }

  /**
   * Hands keystrokes to readline's keypress decoder right now. A push() onto the stream
   * may be delivered later, and the Ctrl-D and line-at-a-time logic must see readline's
   * state after exactly the keys before it.
   */
  #feed(keys: string): void {
    if (keys !== "") this.#input.emit("data", keys);
  }

  #onEndOfInput(): void {
    if (this.#rl.line !== "") {
      // Ctrl-D inside a line deletes the character under the cursor.
      this.#feed("\x04");
      return;
    }
    if (this.#continuation.length > 0) {
      // Like bash: an open quote is reported, a here-document ends at end of input.
      const script = this.#continuation.join("\n");
      this.#continuation = [];
      this.#out.write("\r\n");
      this.#run(script);
      return;
    }
    this.#out.write("exit\r\n");
    this.#end(this.#lastStatus);
  }

  #onInterruptAtPrompt(): void {
    this.#continuation = [];
    this.#out.write("^C\r\n");
    this.#clearLine();
    this.#lastStatus = 130;
    this.#showPrompt();
  }

  #onLine(line: string): void {
    if (this.#ended) return;
    this.#continuation.push(line);
    const script = this.#continuation.join("\n");
    if (script.length > this.#host.options.limits.maxInputChars) {
      this.#continuation = [];
      this.#out.write("bash: command too long\r\n");
      this.#showPrompt();
      return;
    }
    if (needsMoreInput(script)) {
      this.#rl.setPrompt("> ");
      this.#rl.prompt();
      return;
    }
    this.#continuation = [];
    if (script.trim() === "") {
      this.#showPrompt();
      return;
    }
    this.#run(script);
  }

  #run(script: string): void {
    let liveEnd = "\n";
    const running = this.#host.exec(script, {
      session: this.#session,
      size: { cols: this.#terminal.columns, rows: this.#terminal.rows },
      onOutput: (_stream, data) => {
        if (this.#ended || data === "") return;
        liveEnd = data;
        this.#out.write(toTerminal(data));
      },
    });
    this.#running = running;
    running.result.then(
      (result) => {
        this.#running = undefined;
        if (this.#ended) return;
        this.#cwd = result.cwd;
        this.#lastStatus = result.exitCode;
        let output = result.stdout + result.stderr;
        if (result.exitCode === 130 && !result.exited) output += "^C";
        // A live command's last line may still be open; the prompt starts on a line of its own.
        if (output === "" && !liveEnd.endsWith("\n")) output = "\n";
        if (output !== "" && !output.endsWith("\n")) output += "\n";
        this.#out.write(toTerminal(output));
        if (result.exited) {
          this.#end(result.exitCode);
          return;
        }
        this.#showPrompt();
        this.#drainInput();
      },
      () => {
        // The worker went away; the host's exit listener ends this shell.
        this.#running = undefined;
      },
    );
  }

  #showPrompt(): void {
    if (this.#ended) return;
    this.#rl.setPrompt(this.#prompt());
    this.#rl.prompt();
  }

  #clearLine(): void {
    // readline has no public way to drop the line being edited; these fields are what its
    // own Ctrl-U and line handling reset.
    const rl = this.#rl as unknown as { line: string; cursor: number };
    rl.line = "";
    rl.cursor = 0;
  }

  #prompt(): string {
    const home = this.#host.options.home;
    const cwd = this.#cwd === home ? "~" : this.#cwd.startsWith(`${home}/`) ? `~${this.#cwd.slice(home.length)}` : this.#cwd;
    const who = `${this.#host.options.user}@${this.#host.options.hostname}`;
    return `\x1b[1;32m${who}\x1b[0m:\x1b[1;34m${cwd}\x1b[0m$ `;
  }

  #end(code: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#exitCode = code;
    this.#pendingInput = "";
    this.#running?.interrupt();
    this.#rl.close();
    this.#input.destroy();
    this.#host.endSession(this.#session);
    for (const unsubscribe of this.#unsubscribe.splice(0)) {
      if (unsubscribe !== undefined) unsubscribe();
    }
    // Exit is reported once the output before it has been delivered.
    this.#unsubscribe.push(this.#out.onDrain(() => this.#afterDrain()));
    this.#afterDrain();
  }

  #afterDrain(): void {
    if (!this.#ended) {
      this.#scheduleDrain();
      return;
    }
    if (this.#exitReported || !this.#out.idle || this.#exitCode === undefined) return;
    this.#exitReported = true;
    const code = this.#exitCode;
    for (const listener of [...this.#exitListeners]) listener(code);
    this.#exitListeners.clear();
  }
}

/** Terminal line discipline: a bare "\n" moves to the start of the next line. */
function toTerminal(text: string): string {
  return text.replace(/(?<!\r)\n/g, "\r\n");
}
