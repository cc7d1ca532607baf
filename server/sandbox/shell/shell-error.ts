// Failures of the learner shell that callers may react to, told apart by a stable code.
export type ShellErrorCode =
  | "SHELL_DISPOSED"
  | "SHELL_WORKER_FAILED"
  | "SHELL_TTY_CLOSED";

export class ShellError extends Error {
  readonly code: ShellErrorCode;

  constructor(code: ShellErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ShellError";
    this.code = code;
  }
}
