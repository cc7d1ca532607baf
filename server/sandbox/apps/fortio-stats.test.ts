import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCounter, createHistogram, goG } from './fortio-stats.ts';

test('goG prints as Go does', () => {
  assert.equal(goG(0.0077848), '0.0077848');
  assert.equal(goG(2.392e-5, 4), '2.392e-05');
  assert.equal(goG(1_000_000), '1e+06');
  assert.equal(goG(123456.7), '123456.7');
  assert.equal(goG(0.00568691234, 8), '0.0056869123');
  assert.equal(goG(256.1894, 5), '256.19');
  assert.equal(goG(0.0030000001, 6), '0.003');
  assert.equal(goG(0), '0');
  assert.equal(goG(99.9), '99.9');
});

test('a counter prints count, avg, stddev, min, max and sum', () => {
  const c = createCounter();
  for (const v of [1, 2, 3, 4]) c.record(v);
  assert.equal(c.line('Sizes'), 'Sizes : count 4 avg 2.5 +/- 1.118 min 1 max 4 sum 10');
});

test('the histogram buckets by milliseconds and interpolates percentiles inside buckets', () => {
  const h = createHistogram(0.001);
  // Ten calls: 0.5 ms, then 1.5, 2.5 … 9.5 ms; one per bucket.
  for (let i = 0; i < 10; i++) h.record((i + 0.5) / 1000);
  const lines = h.lines('Aggregated Function Time');
  assert.equal(lines[1], '# range, mid point, percentile, count');
  assert.equal(lines[2], '>= 0.0005 <= 0.001 , 0.00075 , 10.00, 1');
  assert.equal(lines[3], '> 0.001 <= 0.002 , 0.0015 , 20.00, 1');
  // The last bucket ends at the largest value.
  assert.equal(lines[11], '> 0.009 <= 0.0095 , 0.00925 , 100.00, 1');
  // 50 % is the end of the fifth bucket; 75 % halfway through the eighth.
  assert.equal(lines[12], '# target 50% 0.005');
  assert.equal(lines[13], '# target 75% 0.0075');
  assert.equal(lines[16], '# target 99.9% 0.009495');
});
