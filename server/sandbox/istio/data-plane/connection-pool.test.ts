import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConnectionPool, poolLimits, type PoolLease, type PoolLimits } from './connection-pool.ts';

const UNLIMITED = 2 ** 32 - 1;

/** A pool whose connections open when the test says so. */
function manualPool(): { pool: ReturnType<typeof createConnectionPool>; openOne(): Promise<void>; opening(): number } {
  const waiting: Array<() => void> = [];
  const pool = createConnectionPool(() => new Promise<void>((resolve) => waiting.push(resolve)));
  return {
    pool,
    async openOne() {
      waiting.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    opening: () => waiting.length,
  };
}

const docsLimits: PoolLimits = { maxConnections: 1, maxPendingRequests: 1, maxRequests: UNLIMITED, maxRequestsPerConnection: 1 };

test('poolLimits reads the DestinationRule fields and leaves unset ones unlimited', () => {
  assert.equal(poolLimits(undefined), undefined);
  assert.equal(poolLimits({}), undefined);
  assert.deepEqual(poolLimits({ tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }), docsLimits);
  assert.deepEqual(poolLimits({ http: { http2MaxRequests: 5 } }), { maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: 5, maxRequestsPerConnection: 0 });
});

test('one connection, one pending request: the third concurrent request overflows', async () => {
  const { pool, openOne, opening } = manualPool();
  const signal = new AbortController().signal;
  const first = pool.acquire(docsLimits, signal);
  assert.equal(opening(), 1);
  // The first request waits for its connection, filling the single pending slot.
  assert.equal(await pool.acquire(docsLimits, signal), 'overflow');
  await openOne();
  const lease = await first;
  assert.notEqual(lease, 'overflow');
  const second = pool.acquire(docsLimits, signal);
  // maxConnections 1: no second connection while the first one is busy.
  assert.equal(opening(), 0);
  assert.equal(await pool.acquire(docsLimits, signal), 'overflow');
  (lease as PoolLease).release();
  // maxRequestsPerConnection 1: the used connection closes, a new one opens for the waiter.
  assert.equal(opening(), 1);
  await openOne();
  const secondLease = await second;
  assert.notEqual(secondLease, 'overflow');
  (secondLease as PoolLease).release();
  const stats = pool.stats();
  assert.equal(stats.pendingOverflow, 2);
  assert.equal(stats.pendingTotal, 2);
  assert.equal(stats.connectionsTotal, 2);
  assert.equal(stats.requestsTotal, 2);
  assert.equal(stats.requestsActive, 0);
});

test('without maxRequestsPerConnection an idle connection is reused at once', async () => {
  const { pool, openOne, opening } = manualPool();
  const limits: PoolLimits = { ...docsLimits, maxRequestsPerConnection: 0 };
  const signal = new AbortController().signal;
  const first = pool.acquire(limits, signal);
  await openOne();
  const lease = (await first) as PoolLease;
  lease.release();
  const again = await pool.acquire(limits, signal);
  assert.notEqual(again, 'overflow');
  assert.equal(opening(), 0);
  assert.equal(pool.stats().connectionsTotal, 1);
});

test('http2MaxRequests caps the requests in flight', async () => {
  const { pool, openOne } = manualPool();
  const limits: PoolLimits = { maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: 2, maxRequestsPerConnection: 0 };
  const signal = new AbortController().signal;
  const a = pool.acquire(limits, signal);
  const b = pool.acquire(limits, signal);
  assert.equal(await pool.acquire(limits, signal), 'overflow');
  await openOne();
  await openOne();
  ((await a) as PoolLease).release();
  assert.notEqual(await pool.acquire(limits, signal), 'overflow');
  assert.notEqual(await b, 'overflow');
  assert.equal(pool.stats().requestOverflow, 1);
});

test('a pending request whose caller gives up leaves the queue', async () => {
  const { pool, openOne } = manualPool();
  const controller = new AbortController();
  const pending = pool.acquire(docsLimits, controller.signal);
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
  // Its slot is free again.
  const next = pool.acquire(docsLimits, new AbortController().signal);
  await openOne();
  assert.notEqual(await next, 'overflow');
});
