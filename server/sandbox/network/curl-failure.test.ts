import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curlFailure } from './curl-failure.ts';
import { NetworkError } from './network-error.ts';

test('curl exit codes and messages per failure', () => {
  const at = (code: ConstructorParameters<typeof NetworkError>[0], phase: 'resolve' | 'connect' | 'transfer', elapsedMs = 3) => curlFailure(new NetworkError(code, { host: 'httpbin.foo', port: 8000, phase, elapsedMs }));
  assert.deepEqual(at('ENOTFOUND', 'resolve'), { exitCode: 6, message: 'Could not resolve host: httpbin.foo' });
  assert.deepEqual(at('ECONNREFUSED', 'connect'), { exitCode: 7, message: 'Failed to connect to httpbin.foo port 8000 after 3 ms: Could not connect to server' });
  assert.deepEqual(at('ETIMEDOUT', 'transfer', 5002), { exitCode: 28, message: 'Operation timed out after 5002 milliseconds with 0 bytes received' });
  assert.deepEqual(at('ETIMEDOUT', 'connect', 2001), { exitCode: 28, message: 'Failed to connect to httpbin.foo port 8000 after 2001 ms: Timeout was reached' });
  assert.deepEqual(at('ECONNRESET', 'transfer'), { exitCode: 56, message: 'Recv failure: Connection reset by peer' });
  assert.deepEqual(at('EMPTY_REPLY', 'transfer'), { exitCode: 52, message: 'Empty reply from server' });
});

test('timeouts while connecting name the limit that fired', () => {
  const timedOut = (timeout: 'total' | 'connect' | 'system', elapsedMs: number) => curlFailure(new NetworkError('ETIMEDOUT', { host: '10.1.2.3', port: 80, phase: 'connect', elapsedMs, timeout }));
  assert.deepEqual(timedOut('total', 5001), { exitCode: 28, message: 'Connection timed out after 5001 milliseconds' });
  assert.deepEqual(timedOut('connect', 2002), { exitCode: 28, message: 'Failed to connect to 10.1.2.3 port 80 after 2002 ms: Timeout was reached' });
  assert.deepEqual(timedOut('system', 130000), { exitCode: 7, message: 'Failed to connect to 10.1.2.3 port 80 after 130000 ms: Could not connect to server' });
});

test('a reset during the TLS handshake is exit 35, as OpenSSL reports it', () => {
  const failure = curlFailure(new NetworkError('ECONNRESET', { host: 'www.google.com', port: 443, phase: 'connect', elapsedMs: 1, tlsHandshake: true }));
  assert.deepEqual(failure, { exitCode: 35, message: 'OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to www.google.com:443 ' });
});
