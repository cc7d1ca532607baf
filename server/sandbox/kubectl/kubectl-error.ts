/**
 * A failure that kubectl reports with one line on stderr and exit code 1. `message` is the
 * exact text kubectl prints (without the trailing newline); `code` is a stable identifier.
 */
export class KubectlError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1) {
    super(message);
    this.name = 'KubectlError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A `metav1.Status` answer from the API server. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; group?: string; causes?: { field?: string; message?: string; reason?: string }[] };
}

/** An error answer from the API server, printed the way kubectl's `cmdutil.CheckErr` prints it. */
export class ApiStatusError extends Error {
  readonly code = 'API_STATUS';
  readonly status: ApiStatus;
  readonly httpStatus: number;
  constructor(httpStatus: number, status: ApiStatus) {
    super(status.message ?? `the server responded with status ${httpStatus}`);
    this.name = 'ApiStatusError';
    this.status = status;
    this.httpStatus = httpStatus;
  }

  /** The line kubectl prints; `context` is the "error when creating "file": " style prefix for the message. */
  render(context = ''): string {
    const { status } = this;
    if (this.httpStatus === 401) return 'error: You must be logged in to the server (Unauthorized)';
    // cmdutil.CheckErr: an Invalid answer without details carries only the server's message.
    if (status.reason === 'Invalid' && status.details === undefined) return `The request is invalid${status.message === undefined || status.message === '' ? '' : `: ${status.message}`}`;
    if (status.reason === 'Invalid' && status.details?.causes !== undefined && status.details.kind !== undefined) {
      const lines = status.details.causes.map((cause) => `* ${cause.field ?? ''}: ${cause.message ?? ''}`);
      return `The ${status.details.kind} "${status.details.name ?? ''}" is invalid: \n${lines.join('\n')}`;
    }
    const reason = status.reason ?? reasonForHttpStatus(this.httpStatus);
    return `Error from server (${reason}): ${context}${status.message ?? ''}`;
  }
}

function reasonForHttpStatus(code: number): string {
  switch (code) {
    case 400: return 'BadRequest';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 409: return 'Conflict';
    case 422: return 'Invalid';
    case 500: return 'InternalError';
    case 503: return 'ServiceUnavailable';
    default: return 'Unknown';
  }
}
