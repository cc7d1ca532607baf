// A test double for the server's own tests: sandboxes whose terminal echoes what is typed,
// and lets a test push output, end the shell and watch pause/resume. It records every call
// so tests can assert, for example, that a refused connection never created a sandbox.
import type {
  CommandResult,
  Sandbox,
  SandboxProvider,
  SandboxSnapshot,
  StartProgress,
  Tty,
} from "../providers/sandbox-provider.ts";

export class FakeTty implements Tty {
  readonly writes: string[] = [];
  readonly sizes: { cols: number; rows: number }[] = [];
  paused = false;
  pauseCount = 0;
  closed = false;
  #dataListeners = new Set<(data: string) => void>();
  #exitListeners = new Set<(code: number) => void>();

  constructor(size: { cols: number; rows: number }) {
    this.sizes.push(size);
  }

  write(data: string): void {
    this.writes.push(data);
    // Ctrl-D ends the shell, like an interactive bash at an empty prompt.
    if (data.includes("\u0004")) {
      this.exit(0);
      return;
    }
    this.emit(data);
  }

  /** Output as if the shell printed it. */
  emit(data: string): void {
    for (const listener of this.#dataListeners) listener(data);
  }

  exit(code: number): void {
    for (const listener of this.#exitListeners) listener(code);
  }

  onData(listener: (data: string) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onExit(listener: (code: number) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  resize(cols: number, rows: number): void {
    this.sizes.push({ cols, rows });
  }

  pause(): void {
    this.paused = true;
    this.pauseCount += 1;
  }

  resume(): void {
    this.paused = false;
  }

  close(): void {
    this.closed = true;
  }
}

export class FakeSandbox implements Sandbox {
  readonly id: string;
  /** Names no reachable cluster: the server's own tests never read through it. */
  readonly kubeconfig = "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n";
  readonly ttys: FakeTty[] = [];
  disposed = false;

  constructor(id: string) {
    this.id = id;
  }

  openTty(size: { cols: number; rows: number }): FakeTty {
    const tty = new FakeTty(size);
    this.ttys.push(tty);
    return tty;
  }

  /** Every command run() was given, in order. */
  readonly runs: string[] = [];

  async run(command: string): Promise<CommandResult> {
    this.runs.push(command);
    return { stdout: command, stderr: "", exitCode: 0 };
  }

  /** What a restored sandbox was rebuilt from (RestorableFakeProvider). */
  restoredFrom: unknown;

  /** Everything typed into its terminals: what a restore should bring back. */
  async snapshot(): Promise<SandboxSnapshot> {
    return { kind: "fake", data: { typed: this.ttys.flatMap((tty) => tty.writes).join("") } };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

export interface FakeProviderOptions {
  /** Progress reported before the sandbox is ready. */
  steps?: { message: string; progress: number }[];
  /** When set, create() waits for it, so a test can look at a sandbox mid-start. */
  gate?: Promise<void>;
  /** create() rejects with this error. */
  failWith?: Error;
}

export class FakeSandboxProvider implements SandboxProvider {
  readonly name = "fake";
  readonly sandboxes: FakeSandbox[] = [];
  createCalls = 0;
  #options: FakeProviderOptions;

  constructor(options: FakeProviderOptions = {}) {
    this.#options = options;
  }

  async create(options: { onProgress?: StartProgress }): Promise<FakeSandbox> {
    this.createCalls += 1;
    for (const step of this.#options.steps ?? []) options.onProgress?.(step);
    if (this.#options.gate) await this.#options.gate;
    if (this.#options.failWith) throw this.#options.failWith;
    const sandbox = new FakeSandbox(`fake-${this.createCalls}`);
    this.sandboxes.push(sandbox);
    return sandbox;
  }

  /** The terminal of the n-th sandbox created (0-based). */
  tty(index = 0): FakeTty {
    const tty = this.sandboxes[index]?.ttys[0];
    if (!tty) throw new Error(`sandbox ${index} has no terminal yet`);
    return tty;
  }
}

/** A fake provider that can also rebuild sandboxes from their snapshots, as the embedded one can. */
export class RestorableFakeProvider extends FakeSandboxProvider {
  readonly restores: SandboxSnapshot[] = [];

  async restore(snapshot: SandboxSnapshot, options: { onProgress?: StartProgress }): Promise<FakeSandbox> {
    this.restores.push(snapshot);
    options.onProgress?.({ message: "Restoring", progress: 0.5 });
    if (snapshot.kind !== "fake") throw new Error(`not a fake snapshot: ${snapshot.kind}`);
    const sandbox = new FakeSandbox(`restored-${this.restores.length}`);
    sandbox.restoredFrom = snapshot.data;
    this.sandboxes.push(sandbox);
    return sandbox;
  }
}
