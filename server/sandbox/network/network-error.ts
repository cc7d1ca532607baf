// What a client sees when no HTTP response arrives, with enough detail for curl's message.

export type NetworkErrorCode =
  /** The name did not resolve (curl exit 6). */
  | 'ENOTFOUND'
  /** Nothing accepted the connection (curl exit 7). */
  | 'ECONNREFUSED'
  /** The client's own timeout fired (curl exit 28). */
  | 'ETIMEDOUT'
  /** The peer reset the connection after it was established (curl exit 56). */
  | 'ECONNRESET'
  /** The peer closed the connection without sending anything (curl exit 52). */
  | 'EMPTY_REPLY';

export class NetworkError extends Error {
  readonly code: NetworkErrorCode;
  /** The host as the client named it, and the port it dialled. */
  readonly host: string;
  readonly port: number;
  /** Whether the failure happened while connecting or after the connection was up. */
  readonly phase: 'resolve' | 'connect' | 'transfer';
  /** Clock time from the start of the request to the failure. */
  readonly elapsedMs: number;
  /** For ETIMEDOUT: which limit fired (curl `--max-time`, `--connect-timeout`, or the kernel's SYN retries). */
  readonly timeout?: 'total' | 'connect' | 'system';
  /** The connection ended during the client's TLS handshake (curl exit 35, not 56). */
  readonly tlsHandshake?: boolean;

  constructor(code: NetworkErrorCode, details: { host: string; port: number; phase: 'resolve' | 'connect' | 'transfer'; elapsedMs: number; message?: string; timeout?: 'total' | 'connect' | 'system'; tlsHandshake?: boolean }) {
    super(details.message ?? `${code} ${details.host}:${details.port}`);
    this.name = 'NetworkError';
    this.code = code;
    this.host = details.host;
    this.port = details.port;
    this.phase = details.phase;
    this.elapsedMs = details.elapsedMs;
    if (details.timeout !== undefined) this.timeout = details.timeout;
    if (details.tlsHandshake === true) this.tlsHandshake = true;
  }
}
