// The default provider: every sandbox lives in this process, its learner shell in a worker
// thread of its own. (The emulated cluster joins the sandbox later.)
import { randomUUID } from "node:crypto";
import { createLearnerShell } from "../sandbox/index.ts";
import type { LearnerShell, ShellLimits, ShellOptionsInput } from "../sandbox/index.ts";
import type {
  CommandResult,
  Sandbox,
  SandboxProvider,
  SandboxSnapshot,
  StartProgress,
  Tty,
} from "./sandbox-provider.ts";

export interface EmbeddedProviderOptions {
  /** Limits of each learner shell; unset ones take the shell's defaults. */
  shell?: Partial<ShellLimits>;
  /** Other shell settings (prompt identity, output buffering, worker heap). */
  shellOptions?: Omit<ShellOptionsInput, "limits">;
  /** Folder copied to `~/samples/`; defaults to `content/samples/`. */
  samplesDir?: string;
}

export const EMBEDDED_SNAPSHOT_KIND = "embedded-shell/v1";

export class EmbeddedProvider implements SandboxProvider {
  readonly name = "embedded";
  readonly #options: EmbeddedProviderOptions;

  constructor(options: EmbeddedProviderOptions = {}) {
    this.#options = options;
  }

  async create(options: { onProgress?: StartProgress } = {}): Promise<Sandbox> {
    const progress = options.onProgress ?? (() => {});
    progress({ message: "Preparing your workstation", progress: 0.1 });
    const shell = await createLearnerShell({
      options: { ...this.#options.shellOptions, ...(this.#options.shell !== undefined ? { limits: this.#options.shell } : {}) },
      ...(this.#options.samplesDir !== undefined ? { samplesDir: this.#options.samplesDir } : {}),
    });
    progress({ message: "Workstation ready", progress: 1 });
    return new EmbeddedSandbox(shell);
  }
}

/**
 * Each openTty() starts another interactive shell on the same workstation: the files are
 * shared, env, cwd and history are its own. run() starts from the env and cwd of the most
 * recently opened shell (so `export GATEWAY_URL=…` is seen by checks) and, like a separate
 * process, changes neither.
 */
class EmbeddedSandbox implements Sandbox {
  readonly id = randomUUID();
  readonly #shell: LearnerShell;
  #lastSession: string | undefined;

  constructor(shell: LearnerShell) {
    this.#shell = shell;
  }

  openTty(size: { cols: number; rows: number }): Tty {
    const tty = this.#shell.openShell(size);
    this.#lastSession = tty.session;
    return tty;
  }

  async run(command: string, options: { stdin?: string; signal?: AbortSignal } = {}): Promise<CommandResult> {
    const { stdout, stderr, exitCode } = await this.#shell.host.exec(command, {
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(this.#lastSession !== undefined ? { inheritFrom: this.#lastSession } : {}),
    }).result;
    return { stdout, stderr, exitCode };
  }

  async snapshot(): Promise<SandboxSnapshot> {
    return { kind: EMBEDDED_SNAPSHOT_KIND, data: await this.#shell.host.snapshot() };
  }

  dispose(): Promise<void> {
    return this.#shell.host.dispose();
  }
}
