// curl's exit code and error text (the part after `curl: (N) `) for a failed transfer, as curl
// 8.x prints them: `Could not resolve host: x` (6), `Failed to connect to x port 80 after 3 ms:
// Could not connect to server` (7), `Operation timed out after 5002 milliseconds with 0 bytes
// received`, `Connection timed out after 5001 milliseconds` (--max-time while connecting),
// `Failed to connect to x port 80 after 2001 ms: Timeout was reached` (--connect-timeout) (28),
// `Empty reply from server` (52), `Recv failure: Connection reset by peer` (56), and a reset
// during the TLS handshake: `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to x:443 ` (35).
import type { NetworkError } from './network-error.ts';

export interface CurlFailure {
  exitCode: number;
  message: string;
}

export function curlFailure(error: NetworkError, options: { bytesReceived?: number } = {}): CurlFailure {
  const ms = Math.round(error.elapsedMs);
  switch (error.code) {
    case 'ENOTFOUND':
      return { exitCode: 6, message: `Could not resolve host: ${error.host}` };
    case 'ECONNREFUSED':
      return { exitCode: 7, message: `Failed to connect to ${error.host} port ${error.port} after ${ms} ms: Could not connect to server` };
    case 'ETIMEDOUT':
      if (error.phase === 'transfer') return { exitCode: 28, message: `Operation timed out after ${ms} milliseconds with ${options.bytesReceived ?? 0} bytes received` };
      if (error.timeout === 'total') return { exitCode: 28, message: `Connection timed out after ${ms} milliseconds` };
      // The kernel gives up on the SYN before curl's own 300 s connect limit: a plain connect failure.
      if (error.timeout === 'system') return { exitCode: 7, message: `Failed to connect to ${error.host} port ${error.port} after ${ms} ms: Could not connect to server` };
      return { exitCode: 28, message: `Failed to connect to ${error.host} port ${error.port} after ${ms} ms: Timeout was reached` };
    case 'ECONNRESET':
      // OpenSSL sees the connection end before the server's hello.
      if (error.tlsHandshake === true) return { exitCode: 35, message: `OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${error.host}:${error.port} ` };
      return { exitCode: 56, message: 'Recv failure: Connection reset by peer' };
    case 'EMPTY_REPLY':
      return { exitCode: 52, message: 'Empty reply from server' };
  }
}
