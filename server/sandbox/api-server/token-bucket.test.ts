import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TokenBucket } from './token-bucket.ts';

it('allows a burst, then refuses with a retry delay until time refills it', () => {
  let now = 0;
  const bucket = new TokenBucket(2, 3, () => now);
  for (let i = 0; i < 3; i++) assert.deepEqual(bucket.take(), { ok: true });
  assert.deepEqual(bucket.take(), { ok: false, retryAfterSeconds: 1 });
  now += 500;
  assert.deepEqual(bucket.take(), { ok: true });
  assert.equal(bucket.take().ok, false);
  now += 10_000;
  for (let i = 0; i < 3; i++) assert.deepEqual(bucket.take(), { ok: true });
  assert.equal(bucket.take().ok, false);
});

it('says how long a slow bucket needs', () => {
  const bucket = new TokenBucket(0.1, 1, () => 0);
  bucket.take();
  assert.deepEqual(bucket.take(), { ok: false, retryAfterSeconds: 10 });
});
