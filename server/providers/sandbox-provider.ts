import type { EdgeStats, RecentRequest } from "../sandbox/index.ts";

// The seam between sessions and the sandboxes they run in. A session only ever talks to
// a Sandbox through this interface, so the embedded emulation and a real cluster are
// interchangeable.

/** A terminal into the learner's workstation, like a TTY exec. */
export interface Tty {
  /** Keystrokes and pasted text from the learner. */
  write(data: string): void;
  /** Terminal output. Returns a function that removes the listener. */
  onData(listener: (data: string) => void): () => void;
  /** The shell process ended (`exit`, Ctrl-D, or the sandbox went away). */
  onExit(listener: (code: number) => void): () => void;
  resize(cols: number, rows: number): void;
  /** Backpressure: stop producing output until resume(). */
  pause(): void;
  resume(): void;
  close(): void;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A request for the preview panel: the page the learner's ingress gateway serves. */
export interface PreviewRequest {
  method: string;
  /** Path and query on the gateway. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PreviewResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

/** What the mesh has seen: traffic per edge and the latest requests with their traces. */
export interface MeshTelemetry {
  edges: readonly EdgeStats[];
  requests: readonly RecentRequest[];
}

export interface SandboxSnapshot {
  kind: string;
  data: unknown;
}

export type StartProgress = (step: { message: string; progress: number }) => void;

export interface Sandbox {
  readonly id: string;
  /** A kubeconfig with admin rights over the sandbox's cluster (checks read through it). */
  readonly kubeconfig: string;
  /** Open an interactive terminal on the workstation. */
  openTty(size: { cols: number; rows: number }): Tty;
  /** Run a command non-interactively in the workstation (checks, lesson solutions). */
  run(command: string, options?: { stdin?: string; signal?: AbortSignal }): Promise<CommandResult>;
  snapshot(): Promise<SandboxSnapshot>;
  /** Traffic the sandbox's mesh has carried (absent where a provider cannot observe it). */
  telemetry?(): MeshTelemetry;
  /** What the ingress gateway serves at a path (absent where a provider cannot reach it). */
  preview?(request: PreviewRequest, signal?: AbortSignal): Promise<PreviewResponse>;
  dispose(): Promise<void>;
}

export interface SandboxProvider {
  readonly name: string;
  create(options: { onProgress?: StartProgress }): Promise<Sandbox>;
  /** Releases what the provider holds beyond its sandboxes (servers, connections). */
  close?(): Promise<void>;
  /** Removes sandboxes an earlier server process left behind; resolves to how many. */
  sweep?(): Promise<number>;
}
