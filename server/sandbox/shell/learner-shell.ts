// A learner's workstation shell: the interpreter worker with the sample files in place, and
// as many interactive shells on it as terminals are opened.
import { InteractiveShell } from "./interactive-shell.ts";
import { loadSampleFiles } from "./sample-files.ts";
import { ShellHost } from "./shell-host.ts";
import type { AllowedEndpoint } from "./connection-guard.ts";
import type { ShellOptionsInput } from "./shell-options.ts";
import type { WorkstationNetwork } from "./workstation-network.ts";

/** What a shell session had before a restore: its history (newest first) and cwd. */
export interface ShellSessionResume {
  history?: readonly string[];
  cwd?: string;
}

export interface LearnerShell {
  readonly host: ShellHost;
  /** Starts another interactive shell on this workstation (shared files, own env and cwd). */
  openShell(size: { cols: number; rows: number }): InteractiveShell;
  /**
   * After the worker's state was restored: shells opened from now on under one of these
   * session names start with its history and working directory.
   */
  resumeSessions(sessions: Record<string, ShellSessionResume>): void;
}

export interface CreateLearnerShellOptions {
  options?: ShellOptionsInput;
  /** Folder whose files appear under `~/samples/`; defaults to `content/samples/`. */
  samplesDir?: string;
  /** Extra files, absolute sandbox path → text. */
  files?: Record<string, string>;
  /** TCP endpoints the shell may reach (its cluster's API server); nothing else. */
  allowedEndpoints?: AllowedEndpoint[];
  /** The sandbox network `curl` sends into; without it no name resolves. */
  network?: WorkstationNetwork;
}

/** A learner's workstation: its interpreter worker with the sample files in place. */
export async function createLearnerShell(create: CreateLearnerShellOptions = {}): Promise<LearnerShell> {
  const home = create.options?.home ?? "/home/learner";
  const samples = await loadSampleFiles(`${home}/samples`, create.samplesDir);
  const host = await ShellHost.start({
    files: { ...samples, ...create.files },
    ...(create.allowedEndpoints !== undefined ? { allowedEndpoints: create.allowedEndpoints } : {}),
    ...(create.network !== undefined ? { network: create.network } : {}),
    ...(create.options !== undefined ? { options: create.options } : {}),
  });
  let shells = 0;
  let resumed = new Map<string, ShellSessionResume>();
  return {
    host,
    openShell: (size) => {
      const session = `tty-${++shells}`;
      const resume = resumed.get(session);
      return new InteractiveShell(host, {
        ...size,
        session,
        ...(resume?.history !== undefined ? { history: resume.history } : {}),
        ...(resume?.cwd !== undefined ? { cwd: resume.cwd } : {}),
      });
    },
    resumeSessions: (sessions) => {
      resumed = new Map(Object.entries(sessions));
    },
  };
}
