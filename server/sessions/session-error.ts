// Why a session request was refused. `status` is the HTTP status the API answers with;
// the terminal gateway uses the same codes before a WebSocket upgrade.

export type SessionErrorCode =
  | "SESSION_NOT_FOUND"
  | "SESSION_UNAUTHORIZED"
  | "SESSION_FORBIDDEN"
  | "SESSION_LIMIT_CLIENT"
  | "SESSION_LIMIT_GLOBAL";

const STATUS: Record<SessionErrorCode, number> = {
  SESSION_NOT_FOUND: 404,
  SESSION_UNAUTHORIZED: 401,
  SESSION_FORBIDDEN: 403,
  SESSION_LIMIT_CLIENT: 429,
  SESSION_LIMIT_GLOBAL: 429,
};

export class SessionError extends Error {
  readonly code: SessionErrorCode;
  readonly status: number;

  constructor(code: SessionErrorCode, message: string) {
    super(message);
    this.name = "SessionError";
    this.code = code;
    this.status = STATUS[code];
  }
}
