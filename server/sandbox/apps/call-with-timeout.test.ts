import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppResponse, UpstreamRequest } from './app-handler.ts';
import { AppNetworkError } from './app-network-error.ts';
import { callWithTimeout } from './call-with-timeout.ts';
import { answerAfter, createFakeAppContext } from './fake-app-context.ts';

const REQUEST: UpstreamRequest = { host: 'svc', port: 80, method: 'GET', path: '/', headers: {}, body: '' };
const OK: AppResponse = { status: 200, headers: {}, body: 'ok' };

test('answers that arrive in time are returned and nothing is aborted', async () => {
  let seen: UpstreamRequest | undefined;
  const fake = createFakeAppContext({
    upstream: (request) => {
      seen = request;
      return answerAfter(fake.context, 2900, OK);
    },
  });
  const response = await fake.settle(callWithTimeout(fake.context, REQUEST, 3000));
  assert.equal(response.body, 'ok');
  assert.equal(seen?.timeoutMs, 3000);
  assert.equal(seen?.signal?.aborted, false);
  assert.equal(fake.clock.pending, 0, 'the timeout timer is cleared');
});

test('late answers become ETIMEDOUT at the deadline and the call is aborted', async () => {
  let seen: UpstreamRequest | undefined;
  const fake = createFakeAppContext({
    upstream: (request) => {
      seen = request;
      return answerAfter(fake.context, Number.POSITIVE_INFINITY, OK);
    },
  });
  const started = fake.clock.now();
  await assert.rejects(fake.settle(callWithTimeout(fake.context, REQUEST, 3000)), (error: unknown) => error instanceof AppNetworkError && error.code === 'ETIMEDOUT');
  assert.equal(fake.clock.now() - started, 3000);
  assert.equal(seen?.signal?.aborted, true);
});

test('network errors pass through unchanged', async () => {
  const fake = createFakeAppContext({ upstream: async () => Promise.reject(new AppNetworkError('ECONNREFUSED', 'no')) });
  await assert.rejects(fake.settle(callWithTimeout(fake.context, REQUEST, 3000)), (error: unknown) => error instanceof AppNetworkError && error.code === 'ECONNREFUSED');
});
