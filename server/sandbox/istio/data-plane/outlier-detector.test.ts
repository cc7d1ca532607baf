import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOutlierDetector, outlierSettings, type OutlierSettings } from './outlier-detector.ts';

test('outlierSettings fills in Istio defaults and reads durations', () => {
  assert.equal(outlierSettings(undefined), undefined);
  assert.deepEqual(outlierSettings({}), { consecutive5xx: 5, consecutiveGateway: 0, intervalMs: 10_000, baseEjectionMs: 30_000, maxEjectionPercent: 10 });
  assert.deepEqual(outlierSettings({ consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 }), { consecutive5xx: 1, consecutiveGateway: 0, intervalMs: 1000, baseEjectionMs: 180_000, maxEjectionPercent: 100 });
});

const settings: OutlierSettings = { consecutive5xx: 3, consecutiveGateway: 0, intervalMs: 1000, baseEjectionMs: 30_000, maxEjectionPercent: 100 };

test('consecutive 5xx eject the endpoint for baseEjectionTime; a success in between resets the count', () => {
  const d = createOutlierDetector(() => settings);
  assert.equal(d.record('a', { status: 500 }, 2, 0), false);
  assert.equal(d.record('a', { status: 503 }, 2, 0), false);
  assert.equal(d.record('a', { status: 200 }, 2, 0), false);
  assert.equal(d.record('a', { status: 500 }, 2, 0), false);
  assert.equal(d.record('a', { status: 500 }, 2, 0), false);
  assert.equal(d.record('a', { failure: 'connect' }, 2, 1000), true);
  assert.equal(d.ejected('a', 1000), true);
  assert.equal(d.ejected('b', 1000), false);
  assert.equal(d.ejected('a', 30_999), true);
  assert.equal(d.ejected('a', 31_000), false);
  assert.equal(d.ejections(), 1);
});

test('a host ejected again stays out longer: baseEjectionTime times the ejections', () => {
  const d = createOutlierDetector(() => ({ ...settings, consecutive5xx: 1 }));
  assert.equal(d.record('a', { status: 500 }, 1, 0), true);
  assert.equal(d.record('a', { status: 500 }, 1, 30_000), true);
  assert.equal(d.ejected('a', 89_999), true);
  assert.equal(d.ejected('a', 90_000), false);
});

test('maxEjectionPercent keeps part of the cluster in', () => {
  const d = createOutlierDetector(() => ({ ...settings, consecutive5xx: 1, maxEjectionPercent: 50 }));
  assert.equal(d.record('a', { status: 500 }, 3, 0), true);
  // One of three is out (33 %): a second ejection is still allowed, a third is not.
  assert.equal(d.record('b', { status: 500 }, 3, 0), true);
  assert.equal(d.record('c', { status: 500 }, 3, 0), false);
  assert.equal(d.ejected('c', 0), false);
});

test('gateway errors count only 502, 503, 504 and connection failures', () => {
  const d = createOutlierDetector(() => ({ ...settings, consecutive5xx: 0, consecutiveGateway: 2 }));
  assert.equal(d.record('a', { status: 500 }, 1, 0), false);
  assert.equal(d.record('a', { status: 500 }, 1, 0), false);
  assert.equal(d.record('a', { status: 502 }, 1, 0), false);
  assert.equal(d.record('a', { failure: 'reset' }, 1, 0), true);
});
