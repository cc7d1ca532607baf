// The default provider: every sandbox lives in this process. Its emulated cluster is served
// on a loopback port of its own, where the learner shell (a worker thread per sandbox)
// reaches it over HTTP like any client.
import { randomBytes } from "node:crypto";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import type { EmbeddedSandbox, ShellLimits, ShellOptionsInput, ShellSessionResume } from "../sandbox/index.ts";
import { dumpUserObjects } from "../snapshots/dump-user-objects.ts";
import {
  EMBEDDED_SNAPSHOT_KIND,
  type EmbeddedSnapshotData,
  kubeconfigCredentials,
  parseEmbeddedSnapshot,
  repointShellFiles,
} from "../snapshots/embedded-snapshot.ts";
import { restoreUserObjects, type RestoreFailure } from "../snapshots/restore-user-objects.ts";
import type {
  CommandResult,
  MeshTelemetry,
  PreviewRequest,
  PreviewResponse,
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
  /** Pod timings: `realistic` for learners (the default), `instant` for tests. */
  profile?: "instant" | "realistic";
  /** Saved objects a restored sandbox could not create again (worth logging; the rest is restored). */
  onRestoreFailures?: (sandbox: string, failures: RestoreFailure[]) => void;
  /** Controller failures inside a sandbox's cluster (a bug worth logging). */
  onControllerError?: (sandbox: string, key: string, error: unknown) => void;
  /**
   * Sandboxes kept started and waiting, so a learner who arrives gets one at once; the pool
   * refills in the background. Each costs the memory of an idle sandbox. Default 0.
   */
  warmSandboxes?: number;
}

export { EMBEDDED_SNAPSHOT_KIND };

export class EmbeddedProvider implements SandboxProvider {
  readonly name = "embedded";
  readonly #options: EmbeddedProviderOptions;
  readonly #host = new ClusterHost();
  readonly #warm: EmbeddedSandbox[] = [];
  #refilling = false;
  #closed = false;
  #listening: Promise<string> | undefined;

  constructor(options: EmbeddedProviderOptions = {}) {
    this.#options = options;
  }

  async create(options: { onProgress?: StartProgress } = {}): Promise<Sandbox> {
    const progress = options.onProgress ?? (() => {});
    const warm = this.#warm.shift();
    this.#refill();
    if (warm !== undefined) {
      progress({ message: "Workstation ready", progress: 1 });
      return new EmbeddedProviderSandbox(warm);
    }
    progress({ message: "Starting your cluster", progress: 0.1 });
    const sandbox = await this.#start(() => progress({ message: "Preparing your workstation", progress: 0.4 }));
    progress({ message: "Workstation ready", progress: 1 });
    return new EmbeddedProviderSandbox(sandbox);
  }

  /**
   * A sandbox rebuilt from a snapshot (Sandbox.snapshot) an earlier server process saved: a
   * fresh sandbox with the learner's objects created again (controllers bring back the pods)
   * and the workstation's files and shell sessions put back, its kubeconfig pointed at the
   * new cluster. Throws SnapshotFormatError for a snapshot of another kind or shape.
   */
  async restore(snapshot: SandboxSnapshot, options: { onProgress?: StartProgress; signal?: AbortSignal } = {}): Promise<Sandbox> {
    const progress = options.onProgress ?? (() => {});
    const saved = parseEmbeddedSnapshot(snapshot);
    progress({ message: "Restoring your cluster", progress: 0.1 });
    const warm = this.#warm.shift();
    this.#refill();
    const sandbox = warm ?? (await this.#start(() => progress({ message: "Restoring your cluster", progress: 0.4 })));
    try {
      const restored = await restoreUserObjects(sandbox.cluster.api, saved.objects, options.signal !== undefined ? { signal: options.signal } : {});
      if (restored.failures.length > 0) this.#options.onRestoreFailures?.(sandbox.id, restored.failures);
      progress({ message: "Restoring your workstation", progress: 0.7 });
      const shell = repointShellFiles(saved.shell, saved.credentials, kubeconfigCredentials(sandbox.learnerKubeconfig));
      await sandbox.shell.host.restore(shell);
      sandbox.shell.resumeSessions(resumeOf(saved.shell));
    } catch (error) {
      await sandbox.dispose();
      throw error;
    }
    progress({ message: "Workstation ready", progress: 1 });
    return new EmbeddedProviderSandbox(sandbox);
  }

  /** Starts the pool (at server start), so the first learners do not wait either. */
  warmUp(): void {
    this.#refill();
  }

  async #start(onListening: () => void = () => {}): Promise<EmbeddedSandbox> {
    // Loopback only: the clusters are for the shells in this process (and local tools).
    this.#listening ??= this.#host.listen({ host: "127.0.0.1", port: 0 });
    await this.#listening;
    onListening();
    const id = `s-${randomBytes(6).toString("hex")}`;
    const limits = this.#options.shell;
    const onControllerError = this.#options.onControllerError;
    return createEmbeddedSandbox({
      host: this.#host,
      id,
      profile: this.#options.profile ?? "realistic",
      shell: { ...this.#options.shellOptions, ...(limits !== undefined ? { limits } : {}) },
      ...(this.#options.samplesDir !== undefined ? { samplesDir: this.#options.samplesDir } : {}),
      ...(onControllerError !== undefined ? { onControllerError: (key: string, error: unknown) => onControllerError(id, key, error) } : {}),
    });
  }

  /** Tops the pool up one sandbox at a time, in the background. */
  #refill(): void {
    const target = this.#options.warmSandboxes ?? 0;
    if (this.#refilling || this.#closed || this.#warm.length >= target) return;
    this.#refilling = true;
    this.#start().then(
      (sandbox) => {
        this.#refilling = false;
        if (this.#closed) {
          void sandbox.dispose();
          return;
        }
        this.#warm.push(sandbox);
        this.#refill();
      },
      () => {
        // A sandbox that cannot start now will not start on a retry loop either; the next
        // create() tries again and reports the failure to its learner.
        this.#refilling = false;
      },
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#warm.splice(0).map((sandbox) => sandbox.dispose()));
    if (this.#listening === undefined) return;
    await this.#listening.catch(() => undefined);
    await this.#host.close();
  }
}

/**
 * Each openTty() starts another interactive shell on the same workstation: the files are
 * shared, env, cwd and history are its own. run() starts from the env and cwd of the most
 * recently opened shell (so `export GATEWAY_URL=…` is seen by checks) and, like a separate
 * process, changes neither.
 */
class EmbeddedProviderSandbox implements Sandbox {
  readonly #sandbox: EmbeddedSandbox;
  #lastSession: string | undefined;
  /** The terminals opened on this workstation, by session, for their history in a snapshot. */
  readonly #ttys = new Map<string, { readonly history: readonly string[] }>();

  constructor(sandbox: EmbeddedSandbox) {
    this.#sandbox = sandbox;
  }

  get id(): string {
    return this.#sandbox.id;
  }

  get kubeconfig(): string {
    return this.#sandbox.adminKubeconfig;
  }

  openTty(size: { cols: number; rows: number }): Tty {
    const tty = this.#sandbox.shell.openShell(size);
    this.#lastSession = tty.session;
    this.#ttys.set(tty.session, tty);
    return tty;
  }

  async run(command: string, options: { stdin?: string; signal?: AbortSignal } = {}): Promise<CommandResult> {
    const { stdout, stderr, exitCode } = await this.#sandbox.shell.host.exec(command, {
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(this.#lastSession !== undefined ? { inheritFrom: this.#lastSession } : {}),
    }).result;
    return { stdout, stderr, exitCode };
  }

  telemetry(): MeshTelemetry {
    const plane = this.#sandbox.workloads.plane;
    return { edges: plane.edges(), requests: plane.recentRequests() };
  }

  preview(request: PreviewRequest, signal?: AbortSignal): Promise<PreviewResponse> {
    return this.#sandbox.preview(request, signal);
  }

  /** The learner's cluster objects and workstation (files, env, cwd): see EmbeddedProvider.restore. */
  async snapshot(): Promise<SandboxSnapshot> {
    const worker = await this.#sandbox.shell.host.snapshot();
    const history = Object.fromEntries([...this.#ttys].map(([session, tty]) => [session, [...tty.history]]));
    const objects = dumpUserObjects(this.#sandbox.cluster.api);
    return { kind: EMBEDDED_SNAPSHOT_KIND, data: { objects, shell: { ...worker, history }, credentials: kubeconfigCredentials(this.#sandbox.learnerKubeconfig) } };
  }

  dispose(): Promise<void> {
    return this.#sandbox.dispose();
  }
}

/** Each saved shell session's history and cwd, for the terminals opened after a restore. */
function resumeOf(shell: EmbeddedSnapshotData["shell"]): Record<string, ShellSessionResume> {
  const resume: Record<string, ShellSessionResume> = {};
  for (const [session, state] of Object.entries(shell.sessions)) resume[session] = { cwd: state.cwd };
  for (const [session, history] of Object.entries(shell.history ?? {})) resume[session] = { ...resume[session], history };
  return resume;
}
