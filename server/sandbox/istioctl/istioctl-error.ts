// A failure istioctl reports as cobra does: `Error: <message>` on stderr and an exit code from
// istioctl's sysexits (1 unknown error, 64 incorrect usage, 79 analyzers found issues).
export const EXIT_UNKNOWN_ERROR = 1;
export const EXIT_INCORRECT_USAGE = 64;

export class IstioctlError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /** Whether cobra's `Error: ` prefix is printed before the message. */
  readonly prefixed: boolean;
  constructor(code: string, message: string, options: { exitCode?: number; prefixed?: boolean } = {}) {
    super(message);
    this.name = 'IstioctlError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT_UNKNOWN_ERROR;
    this.prefixed = options.prefixed ?? true;
  }
}

/** A command-line mistake (unknown flag, missing argument): exit code 64. */
export function usageError(message: string): IstioctlError {
  return new IstioctlError('INCORRECT_USAGE', message, { exitCode: EXIT_INCORRECT_USAGE });
}
