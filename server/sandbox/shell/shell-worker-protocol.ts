// Messages between the main thread (ShellHost) and the interpreter worker (shell-worker.ts).
import type { CompletionResult } from "./completion/shell-completer.ts";
import type { AllowedEndpoint } from "./connection-guard.ts";
import type { WireHttpRequest, WireHttpResult } from "./workstation-network.ts";
import type { ShellLimits } from "./shell-options.ts";

export interface ShellWorkerData {
  /** Int32 slots, one per in-flight exec id (id % length): the main thread stores an id to interrupt it. */
  interruptFlags: SharedArrayBuffer;
  /** Files to place in the filesystem, path → UTF-8 text. */
  files: Record<string, string>;
  /** The login environment every new shell session starts from. */
  env: Record<string, string>;
  home: string;
  user: string;
  hostname: string;
  limits: ShellLimits;
  /** The only TCP endpoints the worker may connect to (the cluster's API server). */
  allowedEndpoints: AllowedEndpoint[];
  /** Whether the host answers `http-request` messages (the workstation's network). */
  network: boolean;
}

export interface ExecRequest {
  type: "exec";
  id: number;
  script: string;
  stdin?: string;
  /**
   * Interactive shell session whose env and cwd the script runs in and updates. A session
   * unknown to the worker starts from the login environment in the home directory.
   */
  session?: string;
  /** Start from a copy of this session's env and cwd without writing changes back. */
  inheritFrom?: string;
  /** Terminal size exported as COLUMNS / LINES. */
  size?: { cols: number; rows: number };
  /**
   * The command line's output goes to a terminal: a lone long-running command (`kubectl get
   * -w`, `kubectl logs -f`) then sends its output as it comes, in `output` messages.
   */
  live?: boolean;
}

export interface SnapshotRequest {
  type: "snapshot";
  id: number;
}

/** Puts a snapshot's files and shell sessions (env, cwd) back; answered by `restored`. */
export interface RestoreRequest {
  type: "restore";
  id: number;
  data: ShellSnapshotData;
}

export interface InterruptRequest {
  type: "interrupt";
  id: number;
}

export interface EndSessionRequest {
  type: "end-session";
  session: string;
}

/** Tab completion of `line` with the cursor at `cursor`, in a session's env and cwd. */
export interface CompleteRequest {
  type: "complete";
  id: number;
  session: string;
  line: string;
  cursor: number;
}

/** The host's answer to an `http-request` from the worker. */
export interface HttpResultMessage {
  type: "http-result";
  id: number;
  result: WireHttpResult;
}

export type WorkerRequest =
  | ExecRequest
  | SnapshotRequest
  | RestoreRequest
  | InterruptRequest
  | EndSessionRequest
  | HttpResultMessage
  | CompleteRequest;

export interface ExecResponse {
  type: "result";
  id: number;
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The script ran `exit` (or `set -e` stopped it): the interactive shell ends. */
  exited: boolean;
  cwd: string;
  /** The namespace of the kubeconfig's current context after the command, when not `default`. */
  namespace?: string;
}

/** Output of a live command, sent as it is produced (see ExecRequest.live). */
export interface OutputMessage {
  type: "output";
  id: number;
  stream: "stdout" | "stderr";
  data: string;
}

/** A request the workstation sends onto the sandbox network (curl); answered by `http-result`. */
export interface HttpRequestMessage {
  type: "http-request";
  id: number;
  request: WireHttpRequest;
}

export interface HttpAbortMessage {
  type: "http-abort";
  id: number;
}

export interface SnapshotEntry {
  path: string;
  kind: "file" | "directory" | "symlink";
  mode: number;
  /** base64 file content, or the symlink target. */
  content?: string;
}

export interface ShellSnapshotData {
  files: SnapshotEntry[];
  sessions: Record<string, { env: Record<string, string>; cwd: string }>;
}

export interface SnapshotResponse {
  type: "snapshot";
  id: number;
  data: ShellSnapshotData;
}

export interface RestoredResponse {
  type: "restored";
  id: number;
}

export interface CompletionResponse {
  type: "completion";
  id: number;
  result: CompletionResult;
}

export interface FailureResponse {
  type: "failure";
  id: number;
  message: string;
}

export type WorkerResponse =
  | ExecResponse
  | SnapshotResponse
  | RestoredResponse
  | CompletionResponse
  | FailureResponse
  | OutputMessage
  | HttpRequestMessage
  | HttpAbortMessage
  | { type: "ready" };
