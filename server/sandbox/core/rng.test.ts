import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createRng } from './rng.ts';

it('repeats for a seed, differs across seeds, and produces Kubernetes-shaped values', () => {
  const a = createRng('seed-1');
  const b = createRng('seed-1');
  const c = createRng('seed-2');
  const fromA = [a.nameSuffix(10), a.uid(), a.hex(8)];
  assert.deepEqual([b.nameSuffix(10), b.uid(), b.hex(8)], fromA);
  assert.notDeepEqual([c.nameSuffix(10), c.uid(), c.hex(8)], fromA);
  assert.match(fromA[0] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  assert.match(fromA[1] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (let i = 0; i < 1000; i++) {
    const n = a.int(7);
    assert.ok(Number.isInteger(n) && n >= 0 && n < 7);
  }
});

it('a generator rebuilt from its state continues the same sequence', () => {
  const rng = createRng('state');
  rng.uid();
  const copy = createRng('ignored', JSON.parse(JSON.stringify(rng.state())) as number[]);
  assert.equal(copy.uid(), rng.uid());
  assert.equal(copy.nameSuffix(5), rng.nameSuffix(5));
});
