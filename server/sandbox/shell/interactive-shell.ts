// One interactive learner shell behind the Tty interface: Node's readline does the line
// editing and history over a virtual terminal (no host TTY anywhere), and complete
// command lines go to the sandbox's interpreter worker. What readline lacks of bash's line
// editing (Tab completion as bash does it, Ctrl-R history search) is handled here, on the
// keys before readline sees them.
import { Readable, Writable } from "node:stream";
import { createInterface } from "node:readline";
import type { Interface } from "node:readline";
import { stripVTControlCharacters } from "node:util";
import type { Tty } from "../../providers/sandbox-provider.ts";
import { ContinuationLines } from "./continuation-lines.ts";
import type { CompletionResult } from "./completion/shell-completer.ts";
import { candidateColumns } from "./line-editing/candidate-columns.ts";
import { completionEdit } from "./line-editing/completion-edit.ts";
import { nextKey } from "./line-editing/next-key.ts";
import { ReverseSearch } from "./line-editing/reverse-search.ts";
import type { RunningExec, ShellHost } from "./shell-host.ts";
import { TerminalOutput } from "./terminal-output.ts";

export interface InteractiveShellOptions {
  cols: number;
  rows: number;
  /** Names this shell's env and cwd in the worker. */
  session: string;
  /** History to start from, newest first (a shell resumed after a restore). */
  history?: readonly string[];
  /** The working directory the worker holds for this session, for the first prompt. */
  cwd?: string;
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

/** Keys handled here rather than by readline, and the line ends that hand a line to it. */
const SPECIAL_KEY = /\r\n|\r|\n|\x03|\x04|\t|\x12|\x16/;
/** Ctrl-V, bash's quoted-insert: the next key goes into the line as it is. */
const QUOTED_INSERT = "\x16";
const HISTORY_ENTRY_MAX = 4096;
/** From this many candidates on bash asks before listing them (readline's completion-query-items). */
const COMPLETION_QUERY_ITEMS = 100;
/** The worker time-boxes its cluster lookups; this covers a worker busy with another session's command. */
const COMPLETION_TIMEOUT_MS = 3000;
/** The first prompt waits this long at most for the namespace it shows. */
const FIRST_PROMPT_WAIT_MS = 1000;

/** readline's own fields that the shell sets to replace the line being edited. */
interface EditableLine {
  line: string;
  cursor: number;
  /** Rows between the prompt's start and the cursor at the last redraw. */
  prevRows: number;
}

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
  /** An over-long line is being dropped until its line end. */
  #discardingLine = false;
  readonly #continuation = new ContinuationLines();
  #running: RunningExec | undefined;
  #lastStatus = 0;
  #cwd: string;
  #ended = false;
  #draining = false;
  #drainScheduled = false;
  #exitCode: number | undefined;
  #exitReported = false;
  /** The kubeconfig context's namespace when it is not `default`, as the last command left it. */
  #namespace: string | undefined;
  /** readline's history, newest first (the array readline itself keeps). */
  #history: readonly string[] = [];
  /** The shell is reading its environment before the first command; keys wait. */
  #starting = true;
  /** A completion request is out; keys wait for its answer. */
  #completing = false;
  #completionToken = 0;
  /** Ctrl-V was the last key: the next one is inserted literally. */
  #quoteNext = false;
  /**
   * The last key was a Tab that found candidates but could not add to the line: the next
   * Tab lists them (readline's rl_last_func == rl_complete && !completion_changed_buffer).
   */
  #afterTab = false;
  /** Candidates waiting for the answer to "Display all N possibilities? (y or n)". */
  #listingQuery: string[] | undefined;
  /** A listing longer than the screen, stopped at `--More--`: its rows and the next one to show. */
  #pager: { rows: string[]; next: number } | undefined;
  #search: ReverseSearch | undefined;
  #lastSearch = "";
  /** The prompt in place before the search replaced it. */
  #promptBeforeSearch = "";

  constructor(host: ShellHost, options: InteractiveShellOptions) {
    this.#host = host;
    this.#session = options.session;
    this.#cwd = options.cwd ?? host.options.home;
    this.#history = (options.history ?? []).slice(0, host.options.historySize);
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
      history: [...this.#history],
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
      this.#history = history;
    });
    this.#unsubscribe.push(this.#out.onDrain(() => this.#afterDrain()));
    this.#unsubscribe.push(
      host.onExit((error) => {
        if (this.#ended) return;
        if (error.code !== "SHELL_DISPOSED") this.#out.write("\r\n[the sandbox stopped]\r\n");
        this.#end(error.code === "SHELL_DISPOSED" ? 129 : 1);
      }),
    );
    this.#start();
  }

  /**
   * Like bash reading its startup files before the first prompt: a no-op command in this
   * session reports the kubeconfig's namespace, so the first prompt already shows it. Keys
   * typed meanwhile wait, so no command of the learner's runs beside it.
   */
  #start(): void {
    let prompted = false;
    const prompt = () => {
      clearTimeout(timer);
      if (prompted || this.#ended) return;
      prompted = true;
      this.#showPrompt();
    };
    const timer = setTimeout(prompt, FIRST_PROMPT_WAIT_MS);
    const settle = (namespace: string | undefined) => {
      clearTimeout(timer);
      this.#starting = false;
      if (this.#ended) return;
      this.#namespace = namespace;
      prompt();
      this.#scheduleDrain();
    };
    this.#host
      .exec(":", { session: this.#session })
      .result.then((result) => settle(result.namespace), () => settle(undefined));
  }

  /** The name of this shell's env and cwd in the worker. */
  /** The commands entered so far, newest first, as ↑ and Ctrl-R see them. */
  get history(): readonly string[] {
    return this.#history;
  }

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
    // A keypress arrives alone; a Tab inside a longer chunk was pasted (a Makefile, a
    // heredoc) and is text, as bash's bracketed paste keeps it, not a completion request.
    if (data.length > 1 && data.includes("\t")) data = data.replaceAll("\t", `${QUOTED_INSERT}\t`);
    if (this.#discardingLine) {
      // The rest of an over-long line: dropped up to its end, which gets the verdict.
      const end = /[\r\n]/.exec(data);
      if (end === null) return;
      data = data.slice(end.index + 1);
      this.#discardingLine = false;
      this.#rejectLongLine();
      if (data === "") return;
    }
    const room = this.#host.options.limits.maxInputChars - this.#pendingInput.length;
    if (data.length > room) {
      // Keep whole lines already typed ahead; the line that overflows is dropped entirely
      // rather than run cut short.
      const lastEnd = Math.max(this.#pendingInput.lastIndexOf("\r"), this.#pendingInput.lastIndexOf("\n"));
      this.#pendingInput = this.#pendingInput.slice(0, lastEnd + 1);
      this.#discardingLine = true;
      this.write(data.slice(data.search(/[\r\n]/) === -1 ? data.length : data.search(/[\r\n]/)));
      return;
    }
    this.#pendingInput += data;
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
    while (
      !this.#ended &&
      this.#running === undefined &&
      !this.#completing &&
      !this.#starting &&
      !this.#out.congested &&
      this.#pendingInput !== ""
    ) {
      if (this.#search !== undefined || this.#listingQuery !== undefined || this.#pager !== undefined) {
        const key = nextKey(this.#pendingInput);
        this.#pendingInput = this.#pendingInput.slice(key.length);
        if (this.#search !== undefined) this.#onSearchKey(this.#search, key);
        else if (this.#pager !== undefined) this.#onPagerKey(this.#pager, key);
        else this.#onListingAnswer(key);
        continue;
      }
      if (this.#quoteNext) {
        const key = nextKey(this.#pendingInput);
        this.#pendingInput = this.#pendingInput.slice(key.length);
        this.#quoteNext = false;
        this.#typed(key);
        continue;
      }
      const match = SPECIAL_KEY.exec(this.#pendingInput);
      if (match === null || match.index > 0) {
        // Plain typing goes to readline in one piece, up to the next key handled here.
        const end = match === null ? this.#pendingInput.length : match.index;
        this.#typed(this.#pendingInput.slice(0, end));
        this.#pendingInput = this.#pendingInput.slice(end);
        continue;
      }
      const key = match[0];
      this.#pendingInput = this.#pendingInput.slice(key.length);
      if (key === "\x04") this.#onEndOfInput();
      else if (key === "\t") this.#complete();
      else if (key === "\x12") this.#startSearch();
      else if (key === QUOTED_INSERT) this.#quoteNext = true;
      else this.#typed(key);
    }
  }

  /** Keys for readline itself; any of them ends a run of Tabs. */
  #typed(keys: string): void {
    this.#afterTab = false;
    this.#feed(keys);
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
      this.#typed("\x04");
      return;
    }
    if (!this.#continuation.empty) {
      // Like bash: an open quote is reported, a here-document ends at end of input.
      const script = this.#continuation.script();
      this.#continuation.clear();
      this.#out.write("\r\n");
      this.#run(script);
      return;
    }
    this.#out.write("exit\r\n");
    this.#end(this.#lastStatus);
  }

  #onInterruptAtPrompt(): void {
    this.#continuation.clear();
    this.#out.write("^C\r\n");
    this.#clearLine();
    this.#lastStatus = 130;
    this.#showPrompt();
  }

  #onLine(line: string): void {
    if (this.#ended) return;
    this.#continuation.add(line);
    if (this.#continuation.length > this.#host.options.limits.maxInputChars) {
      this.#continuation.clear();
      this.#out.write("bash: command too long\r\n");
      this.#showPrompt();
      return;
    }
    if (this.#continuation.needsMore()) {
      this.#rl.setPrompt("> ");
      this.#rl.prompt();
      return;
    }
    const script = this.#continuation.script();
    this.#continuation.clear();
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
        this.#namespace = result.namespace;
        this.#lastStatus = result.exitCode;
        let output = result.stdout + result.stderr;
        if (result.exitCode === 130 && !result.exited) output += "^C";
        // A live command's last line may still be open; the prompt starts on a line of its own.
        if (output === "" && !liveEnd.endsWith("\n")) output = "\n";
        // Output that only moves the cursor or clears the screen (`clear`, `tput cup 0 0`)
        // leaves the prompt where it put the cursor, as in bash.
        if (stripVTControlCharacters(output) !== "" && !output.endsWith("\n")) output += "\n";
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

  /** Tab: asks the worker for candidates; keys typed meanwhile wait for the answer. */
  #complete(): void {
    const line = this.#rl.line;
    const cursor = this.#rl.cursor;
    const afterTab = this.#afterTab;
    const token = ++this.#completionToken;
    this.#completing = true;
    const finish = (result: CompletionResult | undefined) => {
      if (token !== this.#completionToken || !this.#completing) return;
      clearTimeout(timer);
      this.#completing = false;
      if (this.#ended) return;
      this.#afterTab = result !== undefined && this.#applyCompletion(line, cursor, result, afterTab);
      this.#scheduleDrain();
    };
    const timer = setTimeout(() => finish(undefined), COMPLETION_TIMEOUT_MS);
    this.#host.complete(this.#session, line, cursor).then(finish, () => finish(undefined));
  }

  /** Returns whether a following Tab lists the candidates. */
  #applyCompletion(line: string, cursor: number, result: CompletionResult, afterTab: boolean): boolean {
    const edit = completionEdit(line, cursor, result, afterTab);
    // The bell says there is no candidate or more than one, as readline rings it.
    if (edit.kind !== "list" && result.candidates.length !== 1) this.#out.write("\x07");
    if (edit.kind === "replace") {
      this.#setLine(edit.line, edit.cursor);
      return false;
    }
    if (edit.kind === "list") {
      this.#moveBelowLine();
      if (edit.items.length >= COMPLETION_QUERY_ITEMS) {
        this.#out.write(`Display all ${edit.items.length} possibilities? (y or n)`);
        this.#listingQuery = edit.items;
      } else {
        this.#showListing(edit.items);
      }
    }
    return result.candidates.length > 0;
  }

  #onListingAnswer(key: string): void {
    const items = this.#listingQuery ?? [];
    if (key === "y" || key === "Y" || key === " ") {
      this.#listingQuery = undefined;
      this.#out.write("\r\n");
      this.#showListing(items);
    } else if (["n", "N", "\x7f", "\x08", "\x07", "\x1b"].includes(key)) {
      this.#listingQuery = undefined;
      this.#out.write("\r\n");
      this.#redrawLine();
    } else if (key === "\x03") {
      // Ctrl-C interrupts the question and drops the line, as at any prompt.
      this.#listingQuery = undefined;
      this.#typed(key);
    }
    // Any other key is not an answer; bash waits for one.
  }

  /** Lists candidates in columns below the line, a screenful at a time, then the prompt and line again. */
  #showListing(items: readonly string[]): void {
    this.#showRows(candidateColumns(items, this.#terminal.columns), 0, this.#pageRows());
  }

  #pageRows(): number {
    return Math.max(1, this.#terminal.rows - 1);
  }

  #showRows(rows: string[], from: number, count: number): void {
    const end = Math.min(rows.length, from + count);
    this.#out.write(rows.slice(from, end).map((row) => `${row}\r\n`).join(""));
    if (end < rows.length) {
      this.#out.write("--More--");
      this.#pager = { rows, next: end };
      return;
    }
    this.#redrawLine();
  }

  /** readline's pager: Space a screenful more, Enter one line more, q or n stops. */
  #onPagerKey(pager: { rows: string[]; next: number }, key: string): void {
    let count: number;
    if (key === " " || key === "y" || key === "Y") count = this.#pageRows();
    else if (key === "\r" || key === "\n") count = 1;
    else if (["q", "Q", "n", "N", "\x7f", "\x03", "\x07"].includes(key)) count = 0;
    else return;
    this.#pager = undefined;
    // `--More--` is erased; the listing goes on, or the prompt comes back, on its line.
    this.#out.write("\r\x1b[K");
    if (key === "\x03") {
      (this.#rl as unknown as EditableLine).prevRows = 0;
      this.#typed(key);
    } else if (count === 0) this.#redrawLine();
    else this.#showRows(pager.rows, pager.next, count);
  }

  /** Moves the cursor to a fresh line below the whole line being edited. */
  #moveBelowLine(): void {
    const width = Math.max(1, this.#terminal.columns);
    const end = Math.floor(stripVTControlCharacters(this.#rl.getPrompt() + this.#rl.line).length / width);
    const down = end - this.#rl.getCursorPos().rows;
    this.#out.write(`${down > 0 ? `\x1b[${down}B` : ""}\r\n`);
  }

  /** Draws the prompt and line anew at the cursor, which is at the start of a fresh line. */
  #redrawLine(): void {
    (this.#rl as unknown as EditableLine).prevRows = 0;
    this.#rl.prompt(true);
  }

  /** Replaces the line being edited and redraws it in place. */
  #setLine(line: string, cursor: number): void {
    const editable = this.#rl as unknown as EditableLine;
    editable.line = line;
    editable.cursor = cursor;
    this.#rl.prompt(true);
  }

  #startSearch(): void {
    this.#afterTab = false;
    this.#promptBeforeSearch = this.#rl.getPrompt();
    this.#search = new ReverseSearch(this.#history, { line: this.#rl.line, cursor: this.#rl.cursor }, this.#lastSearch);
    this.#showSearch(this.#search);
  }

  #showSearch(search: ReverseSearch): void {
    // readline rings the bell while nothing matches.
    if (search.failed) this.#out.write("\x07");
    const view = search.view();
    this.#rl.setPrompt(view.prompt);
    this.#setLine(view.line, view.cursor);
  }

  /** One key during Ctrl-R: bash's reverse-i-search bindings. */
  #onSearchKey(search: ReverseSearch, key: string): void {
    switch (key) {
      case "\x12":
        search.older();
        this.#showSearch(search);
        return;
      case "\x7f":
      case "\x08":
        search.backspace();
        this.#showSearch(search);
        return;
      case "\x07":
        // Ctrl-G: back to the line as it was before the search.
        this.#endSearch(search, false);
        return;
      case "\x03":
        this.#endSearch(search, false);
        this.#typed("\x03");
        return;
      case "\r":
      case "\n":
        this.#endSearch(search, true);
        this.#typed("\r");
        return;
      case "\x1b":
        this.#endSearch(search, true);
        return;
    }
    const code = key.codePointAt(0) ?? 0;
    if (!key.startsWith("\x1b") && code >= 0x20 && code !== 0x7f) {
      search.type(key);
      this.#showSearch(search);
      return;
    }
    // Any other key (arrows, Ctrl-A, Tab…) takes the match for editing and then acts on it.
    this.#endSearch(search, true);
    this.#pendingInput = key + this.#pendingInput;
  }

  #endSearch(search: ReverseSearch, accept: boolean): void {
    this.#search = undefined;
    if (search.query !== "") this.#lastSearch = search.query;
    const { line, cursor } = accept ? search.accepted() : search.original;
    this.#rl.setPrompt(this.#promptBeforeSearch);
    this.#setLine(line, cursor);
  }

  #showPrompt(): void {
    if (this.#ended) return;
    this.#rl.setPrompt(this.#prompt());
    this.#rl.prompt();
  }

  /** Says an over-long line was refused, as the limit on a command line's length does. */
  #rejectLongLine(): void {
    this.#continuation.clear();
    this.#clearLine();
    this.#out.write("\r\nbash: command too long\r\n");
    this.#showPrompt();
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
    const namespace = this.#namespace === undefined ? "" : ` \x1b[1;33m(${this.#namespace})\x1b[0m`;
    return `\x1b[1;32m${who}\x1b[0m:\x1b[1;34m${cwd}\x1b[0m${namespace}$ `;
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
