import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ManualClock } from './manual-clock.ts';

it('fires timers in due order only when time is advanced, including timers scheduled meanwhile', () => {
  const clock = new ManualClock(1_000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b@300'), 300);
  clock.setTimeout(() => {
    fired.push('a@100');
    clock.setTimeout(() => fired.push('c@150'), 50);
  }, 100);
  const cancelled = clock.setTimeout(() => fired.push('never'), 200);
  clock.clearTimeout(cancelled);
  clock.advance(99);
  assert.deepEqual(fired, []);
  clock.advance(201);
  assert.deepEqual(fired, ['a@100', 'c@150', 'b@300']);
  assert.equal(clock.now(), 1_300);
  assert.equal(clock.pending, 0);
});
