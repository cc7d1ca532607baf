// The embedded sandbox's public face. Code outside `server/sandbox/` imports from here only.
// For now that is the learner shell; the emulated cluster joins it later.
import { InteractiveShell } from "./shell/interactive-shell.ts";
import { loadSampleFiles } from "./shell/sample-files.ts";
import { ShellHost } from "./shell/shell-host.ts";
import type { ShellOptionsInput } from "./shell/shell-options.ts";

export { InteractiveShell } from "./shell/interactive-shell.ts";
export { ShellHost } from "./shell/shell-host.ts";
export type { RunningExec, ShellExecOptions, ShellExecResult } from "./shell/shell-host.ts";
export { ShellError } from "./shell/shell-error.ts";
export type { ShellErrorCode } from "./shell/shell-error.ts";
export { defaultShellOptions } from "./shell/shell-options.ts";
export type { ShellLimits, ShellOptions, ShellOptionsInput } from "./shell/shell-options.ts";
export type { ShellSnapshotData } from "./shell/shell-worker-protocol.ts";

export interface LearnerShell {
  readonly host: ShellHost;
  /** Starts another interactive shell on this workstation (shared files, own env and cwd). */
  openShell(size: { cols: number; rows: number }): InteractiveShell;
}

export interface CreateLearnerShellOptions {
  options?: ShellOptionsInput;
  /** Folder whose files appear under `~/samples/`; defaults to `content/samples/`. */
  samplesDir?: string;
  /** Extra files, absolute sandbox path → text. */
  files?: Record<string, string>;
}

/** A learner's workstation: its interpreter worker with the sample files in place. */
export async function createLearnerShell(create: CreateLearnerShellOptions = {}): Promise<LearnerShell> {
  const home = create.options?.home ?? "/home/learner";
  const samples = await loadSampleFiles(`${home}/samples`, create.samplesDir);
  const host = await ShellHost.start({
    files: { ...samples, ...create.files },
    ...(create.options !== undefined ? { options: create.options } : {}),
  });
  let shells = 0;
  return {
    host,
    openShell: (size) => new InteractiveShell(host, { ...size, session: `tty-${++shells}` }),
  };
}
