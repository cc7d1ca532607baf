// The main-thread handle on one sandbox's interpreter worker: starts it, sends command
// lines, interrupts them (even while the worker is busy), snapshots and terminates it.
import { Worker } from "node:worker_threads";
import { ShellError } from "./shell-error.ts";
import { resolveShellOptions } from "./shell-options.ts";
import type { ShellOptions, ShellOptionsInput } from "./shell-options.ts";
import type {
  ExecResponse,
  ShellSnapshotData,
  ShellWorkerData,
  WorkerRequest,
  WorkerResponse,
} from "./shell-worker-protocol.ts";

const WORKER_URL = new URL("./shell-worker.ts", import.meta.url);
const INTERRUPT_SLOTS = 64;

export interface ShellExecOptions {
  stdin?: string;
  /** Aborting interrupts the command like Ctrl-C; it resolves with exit status 130. */
  signal?: AbortSignal;
  /** Interactive session whose env and cwd the command uses and updates. */
  session?: string;
  /** Start from a copy of this session's env and cwd, leaving it unchanged. */
  inheritFrom?: string;
  size?: { cols: number; rows: number };
}

export type ShellExecResult = Omit<ExecResponse, "type" | "id">;

export interface RunningExec {
  readonly result: Promise<ShellExecResult>;
  interrupt(): void;
}

export interface ShellHostStartOptions {
  /** Files placed in the sandbox, absolute path → UTF-8 text. */
  files?: Record<string, string>;
  options?: ShellOptionsInput;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}

export class ShellHost {
  readonly options: ShellOptions;
  readonly #worker: Worker;
  readonly #flags: Int32Array;
  readonly #pending = new Map<number, Pending>();
  readonly #exitListeners = new Set<(error: ShellError) => void>();
  #nextId = 1;
  #failure: ShellError | undefined;

  private constructor(worker: Worker, flags: Int32Array, options: ShellOptions) {
    this.#worker = worker;
    this.#flags = flags;
    this.options = options;
  }

  /** Starts the worker and resolves once the filesystem is populated. */
  static async start(start: ShellHostStartOptions = {}): Promise<ShellHost> {
    const options = resolveShellOptions(start.options);
    const interruptFlags = new SharedArrayBuffer(INTERRUPT_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const workerData: ShellWorkerData = {
      interruptFlags,
      files: start.files ?? {},
      env: loginEnvironment(options),
      home: options.home,
      user: options.user,
      hostname: options.hostname,
      limits: options.limits,
    };
    const worker = new Worker(WORKER_URL, {
      workerData,
      // Lean isolates: a benchmark runs fifty sandboxes side by side.
      resourceLimits: {
        maxOldGenerationSizeMb: options.workerHeapMb,
        maxYoungGenerationSizeMb: 8,
        stackSizeMb: 4,
      },
      execArgv: [],
      env: {},
      name: "mesh-academy-shell",
    });
    const host = new ShellHost(worker, new Int32Array(interruptFlags), options);
    await new Promise<void>((resolve, reject) => {
      const onReady = (message: WorkerResponse) => {
        if (message.type !== "ready") return;
        worker.off("message", onReady);
        worker.off("error", onError);
        resolve();
      };
      const onError = (error: Error) => {
        worker.off("message", onReady);
        reject(new ShellError("SHELL_WORKER_FAILED", `the shell worker failed to start: ${error.message}`, { cause: error }));
      };
      worker.on("message", onReady);
      worker.once("error", onError);
    });
    host.#listen();
    return host;
  }

  get alive(): boolean {
    return this.#failure === undefined;
  }

  /** Starts a command line; it runs concurrently with others, sharing the filesystem. */
  exec(script: string, options: ShellExecOptions = {}): RunningExec {
    const id = this.#nextId++;
    const result = this.#request<ShellExecResult>({
      type: "exec",
      id,
      script,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(options.session !== undefined ? { session: options.session } : {}),
      ...(options.inheritFrom !== undefined ? { inheritFrom: options.inheritFrom } : {}),
      ...(options.size !== undefined ? { size: options.size } : {}),
    });
    let done = false;
    const interrupt = () => {
      if (done || this.#failure !== undefined) return;
      // The flag reaches a worker stuck in a loop; the message wakes one that is waiting.
      Atomics.store(this.#flags, id % INTERRUPT_SLOTS, id);
      this.#post({ type: "interrupt", id });
    };
    const signal = options.signal;
    if (signal?.aborted) interrupt();
    signal?.addEventListener("abort", interrupt, { once: true });
    const settled = result.finally(() => {
      done = true;
      signal?.removeEventListener("abort", interrupt);
    });
    return { result: settled, interrupt };
  }

  snapshot(): Promise<ShellSnapshotData> {
    return this.#request<ShellSnapshotData>({ type: "snapshot", id: this.#nextId++ });
  }

  /** Forget an interactive session's env and cwd. */
  endSession(session: string): void {
    this.#post({ type: "end-session", session });
  }

  /** Called once if the worker dies or is disposed. */
  onExit(listener: (error: ShellError) => void): () => void {
    if (this.#failure !== undefined) {
      const failure = this.#failure;
      queueMicrotask(() => listener(failure));
      return () => {};
    }
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  async dispose(): Promise<void> {
    if (this.#failure !== undefined) return;
    this.#fail(new ShellError("SHELL_DISPOSED", "the sandbox shell was disposed"));
    await this.#worker.terminate();
  }

  #listen(): void {
    this.#worker.on("message", (message: WorkerResponse) => {
      if (message.type === "ready") return;
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      switch (message.type) {
        case "result": {
          const { type: _type, id: _id, ...result } = message;
          pending.resolve(result as never);
          break;
        }
        case "snapshot":
          pending.resolve(message.data as never);
          break;
        case "failure":
          pending.reject(new ShellError("SHELL_WORKER_FAILED", message.message));
          break;
      }
    });
    this.#worker.on("error", (error) => {
      this.#fail(new ShellError("SHELL_WORKER_FAILED", `the shell worker failed: ${error.message}`, { cause: error }));
    });
    this.#worker.on("exit", (code) => {
      this.#fail(new ShellError("SHELL_WORKER_FAILED", `the shell worker exited with code ${code}`));
    });
  }

  #request<T>(message: WorkerRequest & { id: number }): Promise<T> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(message.id, { resolve: resolve as (value: never) => void, reject });
      this.#post(message);
    });
  }

  #post(message: WorkerRequest): void {
    if (this.#failure === undefined) this.#worker.postMessage(message);
  }

  #fail(error: ShellError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
    for (const listener of this.#exitListeners) listener(error);
    this.#exitListeners.clear();
  }
}

function loginEnvironment(options: ShellOptions): Record<string, string> {
  return {
    HOME: options.home,
    USER: options.user,
    LOGNAME: options.user,
    HOSTNAME: options.hostname,
    SHELL: "/bin/bash",
    TERM: "xterm-256color",
    LANG: "C.UTF-8",
    PATH: "/usr/local/bin:/usr/bin:/bin",
    PWD: options.home,
  };
}
