// The main-thread handle on one sandbox's interpreter worker: starts it, sends command
// lines, interrupts them (even while the worker is busy), snapshots and terminates it.
import { Worker } from "node:worker_threads";
import type { CompletionResult } from "./completion/shell-completer.ts";
import type { AllowedEndpoint } from "./connection-guard.ts";
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
import type { WorkstationNetwork } from "./workstation-network.ts";

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
  /**
   * Output goes to a terminal: a lone long-running command (`kubectl get pods -w`) reports
   * its output through `onOutput` as it comes instead of in the result.
   */
  onOutput?: (stream: "stdout" | "stderr", data: string) => void;
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
  /** TCP endpoints the shell may reach (its cluster's API server); nothing else. */
  allowedEndpoints?: AllowedEndpoint[];
  /** The sandbox network `curl` sends into; without it no name resolves. */
  network?: WorkstationNetwork;
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
  readonly #outputListeners = new Map<number, NonNullable<ShellExecOptions["onOutput"]>>();
  readonly #network: WorkstationNetwork | undefined;
  readonly #requests = new Map<number, AbortController>();
  #nextId = 1;
  #failure: ShellError | undefined;

  private constructor(worker: Worker, flags: Int32Array, options: ShellOptions, network: WorkstationNetwork | undefined) {
    this.#worker = worker;
    this.#network = network;
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
      allowedEndpoints: start.allowedEndpoints ?? [],
      network: start.network !== undefined,
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
    const host = new ShellHost(worker, new Int32Array(interruptFlags), options, start.network);
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
      ...(options.onOutput !== undefined ? { live: true } : {}),
    });
    if (options.onOutput !== undefined) this.#outputListeners.set(id, options.onOutput);
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
      this.#outputListeners.delete(id);
      signal?.removeEventListener("abort", interrupt);
    });
    return { result: settled, interrupt };
  }

  /** Tab completion candidates for the word at `cursor` in `line`, in a session's env and cwd. */
  complete(session: string, line: string, cursor: number): Promise<CompletionResult> {
    return this.#request<CompletionResult>({ type: "complete", id: this.#nextId++, session, line, cursor });
  }

  snapshot(): Promise<ShellSnapshotData> {
    return this.#request<ShellSnapshotData>({ type: "snapshot", id: this.#nextId++ });
  }

  /** Puts a snapshot's files and sessions' env and cwd back (a sandbox restored after a restart). */
  restore(data: ShellSnapshotData): Promise<void> {
    return this.#request<void>({ type: "restore", id: this.#nextId++, data });
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
      switch (message.type) {
        case "ready":
          return;
        case "output":
          this.#outputListeners.get(message.id)?.(message.stream, message.data);
          return;
        case "http-request":
          this.#sendHttp(message.id, message.request);
          return;
        case "http-abort":
          this.#requests.get(message.id)?.abort();
          this.#requests.delete(message.id);
          return;
      }
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
        case "restored":
          pending.resolve(undefined as never);
          break;
        case "completion":
          pending.resolve(message.result as never);
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

  #sendHttp(id: number, request: Parameters<WorkstationNetwork>[0]): void {
    const network = this.#network;
    if (network === undefined) return;
    const controller = new AbortController();
    this.#requests.set(id, controller);
    network(request, controller.signal).then(
      (result) => {
        if (this.#requests.delete(id)) this.#post({ type: "http-result", id, result });
      },
      (error: unknown) => {
        // The network itself failed (not a refused connection, which is a result): the
        // request resolves as an empty reply so the command ends instead of hanging.
        if (!this.#requests.delete(id)) return;
        const message = error instanceof Error ? error.message : String(error);
        const host = (() => {
          try {
            return new URL(request.url.includes("://") ? request.url : `http://${request.url}`).hostname;
          } catch {
            return request.url;
          }
        })();
        this.#post({
          type: "http-result",
          id,
          result: { trace: { hops: [] }, elapsedMs: 0, error: { code: "EMPTY_REPLY", host, port: 0, phase: "transfer", elapsedMs: 0, message } },
        });
      },
    );
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
    for (const controller of this.#requests.values()) controller.abort();
    this.#requests.clear();
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
