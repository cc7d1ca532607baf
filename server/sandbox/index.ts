// The embedded sandbox's public face. Code outside `server/sandbox/` imports from here only.
export { InteractiveShell } from "./shell/interactive-shell.ts";
export { ShellHost } from "./shell/shell-host.ts";
export type { RunningExec, ShellExecOptions, ShellExecResult } from "./shell/shell-host.ts";
export { ShellError } from "./shell/shell-error.ts";
export type { ShellErrorCode } from "./shell/shell-error.ts";
export { defaultShellOptions } from "./shell/shell-options.ts";
export type { ShellLimits, ShellOptions, ShellOptionsInput } from "./shell/shell-options.ts";
export type { ShellSnapshotData } from "./shell/shell-worker-protocol.ts";

export { createLearnerShell } from "./shell/learner-shell.ts";
export type { CreateLearnerShellOptions, LearnerShell, ShellSessionResume } from "./shell/learner-shell.ts";
export { createEmbeddedSandbox } from "./workstation/create-embedded-sandbox.ts";
export type { EmbeddedSandbox, EmbeddedSandboxOptions } from "./workstation/create-embedded-sandbox.ts";
export { ClusterHost } from "./cluster/cluster-host.ts";
export { WORKSTATION, workstationManifests } from "./workstation/provision-workstation.ts";
export type { RecentRequest } from "./istio/data-plane/create-data-plane.ts";
export type { EdgeStats } from "./istio/data-plane/edge-metrics.ts";
