// Everything a learner shell may be tuned by, with the defaults in one place. The
// composition root passes values from config; tests pass small limits to run fast.

export interface ShellLimits {
  /** Commands one command line may run before it is stopped (stops `while true; do :; done`). */
  maxCommandCount: number;
  /** Iterations of one bash loop. */
  maxLoopIterations: number;
  /** Wall-clock time one command line may take. */
  maxExecutionMs: number;
  /** stdout + stderr bytes one command line may produce. */
  maxOutputBytes: number;
  /** Bytes the sandbox filesystem may hold. */
  maxFileSystemBytes: number;
  /** Length of one typed or pasted line, and of a multi-line command being collected. */
  maxInputChars: number;
}

export interface ShellOptions {
  limits: ShellLimits;
  /** Output held while the terminal is paused before the shell stops starting new commands. */
  outputHighWaterMark: number;
  /** Output is delivered to listeners in chunks of at most this many characters. */
  outputChunkChars: number;
  historySize: number;
  /** V8 heap cap of the interpreter worker. */
  workerHeapMb: number;
  user: string;
  hostname: string;
  home: string;
}

export const defaultShellOptions: ShellOptions = Object.freeze({
  limits: Object.freeze({
    maxCommandCount: 100_000,
    maxLoopIterations: 100_000,
    maxExecutionMs: 10 * 60_000,
    maxOutputBytes: 16 * 1024 * 1024,
    maxFileSystemBytes: 64 * 1024 * 1024,
    // Below the parser's own 1 MB limit, so an oversized paste gets "bash: command too long".
    maxInputChars: 950_000,
  }),
  outputHighWaterMark: 256 * 1024,
  outputChunkChars: 16 * 1024,
  historySize: 500,
  workerHeapMb: 96,
  user: "learner",
  hostname: "workstation",
  home: "/home/learner",
});

export type ShellOptionsInput = Partial<Omit<ShellOptions, "limits">> & { limits?: Partial<ShellLimits> };

export function resolveShellOptions(input: ShellOptionsInput = {}): ShellOptions {
  return {
    ...defaultShellOptions,
    ...input,
    limits: { ...defaultShellOptions.limits, ...input.limits },
  };
}
