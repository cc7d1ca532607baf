import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ageOf, humanDuration } from './human-duration.ts';

it('formats ages with duration.HumanDuration rules', () => {
  const s = 1000;
  const cases: Array<[number, string]> = [
    [-3 * s, '<invalid>'], [-1 * s, '0s'], [0, '0s'], [8 * s, '8s'], [119 * s, '119s'], [120 * s, '2m'], [250 * s, '4m10s'],
    [600 * s, '10m'], [179 * 60 * s, '179m'], [180 * 60 * s, '3h'], [(3 * 60 + 5) * 60 * s, '3h5m'], [8 * 3600 * s, '8h'],
    [47 * 3600 * s, '47h'], [48 * 3600 * s, '2d'], [(2 * 24 + 5) * 3600 * s, '2d5h'], [8 * 24 * 3600 * s, '8d'],
    [730 * 24 * 3600 * s, '2y'], [(731) * 24 * 3600 * s, '2y1d'], [8 * 365 * 24 * 3600 * s, '8y'],
  ];
  for (const [ms, expected] of cases) assert.equal(humanDuration(ms), expected, `${ms}ms`);
  assert.equal(ageOf('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:05:00Z')), '5m');
  assert.equal(ageOf(undefined, 0), '<unknown>');
});
