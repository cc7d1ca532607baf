// What a caller sees when no HTTP response arrives. The data plane rejects upstream calls with
// these, and the client app (curl/sleep images) rejects every request with ECONNREFUSED because
// nothing listens in that container.

export type AppNetworkErrorCode =
  /** Nothing listens on the port (client-only images such as curl or sleep). */
  | 'ECONNREFUSED'
  /** The connection was reset before a response (e.g. a STRICT mTLS server refusing plaintext). */
  | 'ECONNRESET'
  /** The caller's own timeout fired before the response arrived. */
  | 'ETIMEDOUT'
  /** The host name did not resolve. */
  | 'ENOTFOUND';

export class AppNetworkError extends Error {
  readonly code: AppNetworkErrorCode;

  constructor(code: AppNetworkErrorCode, message: string) {
    super(message);
    this.name = 'AppNetworkError';
    this.code = code;
  }
}
