import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { asArray, asObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { startControllers } from './start-controllers.ts';

describe('job controller', () => {
  it('replaces failed pods after a growing back-off and fails the Job past backoffLimit', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const rng = createRng('jobs');
    const api = new ClusterApi({ clock, rng });
    api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
    const errors: unknown[] = [];
    const running = startControllers(api, { profile: 'instant', rng, onError: (_key, error) => errors.push(error) });
    const jobs = api.resource('batch', 'v1', 'jobs');
    api.create(jobs, 'default', { metadata: { name: 'fails' }, spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 2'] }] } } } });
    const pods = (): number => api.list(api.resource('', 'v1', 'pods'), 'default').items.length;
    clock.advance(0);
    assert.equal(pods(), 1);
    clock.advance(9_999);
    assert.equal(pods(), 1, 'the first replacement waits 10s');
    clock.advance(1);
    assert.equal(pods(), 2);
    clock.advance(20_000);
    assert.equal(pods(), 3);
    clock.advance(10 * 60_000);
    assert.equal(pods(), 3, 'no pods after the limit');
    const status = asObject(api.get(jobs, 'default', 'fails').status);
    assert.equal(status.failed, 3);
    const failed = asArray(status.conditions).map(asObject).find((c) => c.type === 'Failed');
    assert.deepEqual([failed?.status, failed?.reason, failed?.message], ['True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    running.stop();
    assert.deepEqual(errors, []);
  });
});
