// One learner session: a sandbox from the provider, one terminal into it, and the output
// kept for resume. The sandbox starts on the first accepted terminal connection, so a
// refused or abandoned session never costs a sandbox.
import type { Logger } from "../log/logger.ts";
import type { SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Sandbox, SandboxProvider, SandboxSnapshot, StartProgress, Tty } from "../providers/sandbox-provider.ts";
import { prepareStart } from "../providers/sandbox-start.ts";
import type { SessionState, StatusMessage } from "../terminal/protocol.ts";
import { OutputBuffer } from "./output-buffer.ts";

/** Why a session ended: the shell's exit code, or null when it was ended from outside. */
export interface SessionEnd {
  code: number | null;
  reason: string;
}

export interface SessionOptions {
  id: string;
  clientKey: string;
  /** What the live-session quota counts this session against (a learner, or an address). */
  quotaKey?: string;
  provider: SandboxProvider;
  /** The lesson's starting state, prepared before the terminal opens. */
  start?: SandboxStart;
  outputBufferUnits: number;
  logger: Logger;
  now: () => number;
  /**
   * Rebuild the sandbox from a snapshot an earlier server process saved, instead of creating
   * a fresh one and preparing its starting state.
   */
  restore?: {
    snapshot: SandboxSnapshot;
    from: (snapshot: SandboxSnapshot, options: { onProgress?: StartProgress; signal?: AbortSignal }) => Promise<Sandbox>;
  };
  /** Offset of the first output (see OutputBuffer's origin). */
  outputOrigin?: number;
  /** Output shown before the shell's first prompt (a restored session says so). */
  notice?: string;
}

// Keystrokes typed while the sandbox starts are kept and sent once the shell is there,
// up to this many code units; a paste larger than that while starting is cut.
const PENDING_INPUT_LIMIT = 4096;
const DEFAULT_SIZE = { cols: 80, rows: 24 };

export class Session {
  readonly id: string;
  readonly clientKey: string;
  readonly quotaKey: string;
  readonly output: OutputBuffer;
  readonly createdAt: number;
  /** The start state the session was created with (a restored one keeps its original's). */
  readonly startState: SandboxStart;
  /** Rebuilt from a snapshot after a server restart. */
  readonly restored: boolean;

  #provider: SandboxProvider;
  #restore: SessionOptions["restore"];
  /** Aborted when the session ends: a restore waiting on its cluster stops waiting. */
  #startAbort = new AbortController();
  #startState: SandboxStart;
  #logger: Logger;
  #now: () => number;
  #state: SessionState = "starting";
  #progress = 0;
  #message = "Waiting for the terminal";
  #starting: Promise<void> | undefined;
  #sandbox: Sandbox | undefined;
  #tty: Tty | undefined;
  #ttyUnsubscribe: (() => void)[] = [];
  #size = { ...DEFAULT_SIZE };
  #pendingInput = "";
  #attached = 0;
  #lastDetached: number;
  #ended: SessionEnd | undefined;
  #disposed: Promise<void> | undefined;
  #outputListeners = new Set<(offset: number, data: string) => void>();
  #statusListeners = new Set<(status: StatusMessage) => void>();
  #endListeners = new Set<(end: SessionEnd) => void>();
  #learnerId: string | undefined;
  #lastAttachedAt: number;
  #watchers = 0;
  #watcherListeners = new Set<(count: number) => void>();

  constructor(options: SessionOptions) {
    this.id = options.id;
    this.clientKey = options.clientKey;
    this.quotaKey = options.quotaKey ?? `address:${options.clientKey}`;
    this.output = new OutputBuffer(options.outputBufferUnits, options.outputOrigin ?? 0);
    if (options.notice !== undefined) this.output.append(options.notice);
    this.#provider = options.provider;
    this.#restore = options.restore;
    this.restored = options.restore !== undefined;
    this.#startState = options.start ?? "empty";
    this.startState = this.#startState;
    this.#logger = options.logger;
    this.#now = options.now;
    this.createdAt = options.now();
    this.#lastDetached = this.createdAt;
    this.#lastAttachedAt = this.createdAt;
  }

  /** The learner whose page uses this session (from their cookie), once one has said so. */
  get learnerId(): string | undefined {
    return this.#learnerId;
  }

  /** Remembers which learner uses the session, so an instructor can find their terminal. */
  linkLearner(learnerId: string): void {
    this.#learnerId = learnerId;
  }

  /** When a terminal socket last attached: of a learner's sessions, the latest is the one in use. */
  get lastAttachedAt(): number {
    return this.#lastAttachedAt;
  }

  /** How many instructors watch this terminal right now. */
  get watchers(): number {
    return this.#watchers;
  }

  /**
   * Counts a read-only watcher until the returned function is called (once); the learner's
   * terminal is told the count so it can say someone is watching.
   */
  addWatcher(): () => void {
    this.#setWatchers(this.#watchers + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#setWatchers(this.#watchers - 1);
    };
  }

  onWatchers(listener: (count: number) => void): () => void {
    this.#watcherListeners.add(listener);
    return () => this.#watcherListeners.delete(listener);
  }

  #setWatchers(count: number): void {
    this.#watchers = Math.max(0, count);
    if (this.#ended) return;
    for (const listener of this.#watcherListeners) listener(this.#watchers);
  }

  get state(): SessionState {
    return this.#state;
  }

  get ended(): SessionEnd | undefined {
    return this.#ended;
  }

  /** The running sandbox: undefined before it has started and after the session ended. */
  get sandbox(): Sandbox | undefined {
    return this.#ended === undefined ? this.#sandbox : undefined;
  }

  /** What a newly attached socket should be told first. */
  status(): StatusMessage {
    const status: StatusMessage = { type: "status", state: this.#state };
    if (this.#message) status.message = this.#message;
    if (this.#state === "starting") status.progress = this.#progress;
    return status;
  }

  /** Starts the sandbox and opens the terminal; later calls share the first. */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const restore = this.#restore;
    this.#setStatus("starting", 0, restore !== undefined ? "Restoring your sandbox" : "Starting your sandbox");
    let sandbox: Sandbox;
    const onProgress: StartProgress = ({ message, progress }) => {
      if (this.#state === "starting") this.#setStatus("starting", clamp01(progress), message);
    };
    try {
      sandbox = restore !== undefined ? await restore.from(restore.snapshot, { onProgress, signal: this.#startAbort.signal }) : await this.#provider.create({ onProgress });
    } catch (error) {
      if (restore !== undefined) {
        this.#logger.error("sandbox failed to restore", { error });
        this.#setStatus("error", undefined, "Your sandbox could not be restored after a server restart. Start a new session to continue.");
        this.#finish({ code: null, reason: "sandbox failed to restore" });
        return;
      }
      this.#logger.error("sandbox failed to start", { error });
      this.#setStatus("error", undefined, "The sandbox could not be started. Reload the page to try again.");
      this.#finish({ code: null, reason: "sandbox failed to start" });
      return;
    }
    // The snapshot's data is the sandbox now: no need to hold it in memory.
    this.#restore = undefined;
    this.#sandbox = sandbox;
    // A restored sandbox is in its saved state already; the start script ran long ago.
    if (!this.#ended && restore === undefined && this.#startState !== "empty") {
      try {
        await prepareStart(sandbox, this.#startState, {
          onProgress: ({ message }) => {
            if (this.#state === "starting") this.#setStatus("starting", 0.9, message);
          },
        });
      } catch (error) {
        // Ended meanwhile: the sandbox went away under the script, as intended.
        if (this.#ended) return;
        this.#logger.error("starting state failed", { error, start: this.#startState });
        this.#setStatus("error", undefined, "The lesson's starting state could not be prepared. Reload the page to try again.");
        this.#finish({ code: null, reason: "starting state failed" });
        return;
      }
    }
    if (this.#ended) {
      // Ended while the sandbox was starting: nobody will use it.
      await this.#disposeResources();
      return;
    }
    let tty: Tty;
    try {
      tty = sandbox.openTty(this.#size);
    } catch (error) {
      this.#logger.error("terminal failed to open", { error });
      this.#setStatus("error", undefined, "The terminal could not be opened. Reload the page to try again.");
      this.#finish({ code: null, reason: "terminal failed to open" });
      return;
    }
    this.#tty = tty;
    this.#ttyUnsubscribe.push(
      tty.onData((data) => {
        if (this.#ended) return;
        const offset = this.output.append(data);
        if (data.length > 0) for (const listener of this.#outputListeners) listener(offset, data);
      }),
      tty.onExit((code) => {
        this.#logger.info("shell exited", { code });
        // No status broadcast here: sockets get an `exit` message, which says it better.
        this.#state = "ended";
        this.#message = `The shell exited with code ${code}.`;
        this.#finish({ code, reason: this.#message });
      }),
    );
    if (this.#ended) return;
    this.#setStatus("ready", undefined, undefined);
    if (this.#pendingInput) {
      const input = this.#pendingInput;
      this.#pendingInput = "";
      tty.write(input);
    }
  }

  write(data: string): void {
    if (this.#ended) return;
    if (this.#tty) {
      this.#tty.write(data);
      return;
    }
    this.#pendingInput = (this.#pendingInput + data).slice(0, PENDING_INPUT_LIMIT);
  }

  resize(cols: number, rows: number): void {
    this.#size = { cols, rows };
    if (!this.#ended) this.#tty?.resize(cols, rows);
  }

  /** Backpressure from the socket: the shell should stop producing output for now. */
  pause(): void {
    this.#tty?.pause();
  }

  resume(): void {
    this.#tty?.resume();
  }

  /** A socket is attached; the session is not idle while one is. */
  attach(): void {
    this.#attached += 1;
    this.#lastAttachedAt = this.#now();
  }

  detach(): void {
    this.#attached = Math.max(0, this.#attached - 1);
    if (this.#attached === 0) this.#lastDetached = this.#now();
  }

  /** Since when nobody has been attached, or undefined while someone is. */
  idleSince(): number | undefined {
    return this.#attached > 0 ? undefined : this.#lastDetached;
  }

  onOutput(listener: (offset: number, data: string) => void): () => void {
    this.#outputListeners.add(listener);
    return () => this.#outputListeners.delete(listener);
  }

  onStatus(listener: (status: StatusMessage) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  onEnd(listener: (end: SessionEnd) => void): () => void {
    if (this.#ended) {
      listener(this.#ended);
      return () => {};
    }
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }

  /** Ends the session from outside (API, idle expiry, shutdown) and frees the sandbox. */
  end(reason: string): Promise<void> {
    if (!this.#ended) {
      this.#setStatus("ended", undefined, reason);
      this.#finish({ code: null, reason });
    }
    // A sandbox still starting is disposed when it arrives: wait for that too.
    return Promise.all([this.#disposed, this.#starting]).then(() => undefined);
  }

  #setStatus(state: SessionState, progress: number | undefined, message: string | undefined): void {
    this.#state = state;
    if (progress !== undefined) this.#progress = progress;
    this.#message = message ?? "";
    const status = this.status();
    for (const listener of this.#statusListeners) listener(status);
  }

  #finish(end: SessionEnd): void {
    if (this.#ended) return;
    this.#ended = end;
    this.#startAbort.abort();
    for (const listener of this.#endListeners) listener(end);
    this.#endListeners.clear();
    this.#outputListeners.clear();
    this.#statusListeners.clear();
    this.#watcherListeners.clear();
    this.#disposed = this.#disposeResources();
  }

  async #disposeResources(): Promise<void> {
    for (const unsubscribe of this.#ttyUnsubscribe.splice(0)) unsubscribe();
    const tty = this.#tty;
    const sandbox = this.#sandbox;
    this.#tty = undefined;
    this.#sandbox = undefined;
    try {
      tty?.close();
    } catch (error) {
      this.#logger.warn("terminal close failed", { error });
    }
    try {
      await sandbox?.dispose();
    } catch (error) {
      this.#logger.warn("sandbox dispose failed", { error });
    }
  }
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
