import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { admitEviction } from '../api-server/disruption-budget.ts';
import { asObject, type JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { StatusError } from '../core/status-error.ts';
import { startControllers } from './start-controllers.ts';

function cluster(): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rng = createRng('pdb');
  const api = new ClusterApi({ clock, rng });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const errors: unknown[] = [];
  const running = startControllers(api, { profile: 'instant', rng, onError: (_key, error) => errors.push(error) });
  return { api, clock, stop: () => { running.stop(); assert.deepEqual(errors, []); } };
}

const deployment = (replicas: number): JsonObject => ({
  metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});

describe('disruption controller', () => {
  it('minAvailable as a number counts the pods; maxUnavailable counts the Deployment\'s scale', () => {
    const { api, clock, stop } = cluster();
    const budgets = api.resource('policy', 'v1', 'poddisruptionbudgets');
    api.create(api.resource('apps', 'v1', 'deployments'), 'default', deployment(3));
    api.create(budgets, 'default', { metadata: { name: 'min' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });
    api.create(budgets, 'default', { metadata: { name: 'max' }, spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'web' } } } });
    clock.advance(0);
    const pick = (name: string): unknown[] => {
      const s = asObject(api.get(budgets, 'default', name).status);
      return [s.currentHealthy, s.desiredHealthy, s.expectedPods, s.disruptionsAllowed];
    };
    assert.deepEqual(pick('min'), [3, 2, 3, 1]);
    // 50% of 3 rounds up to 2 unavailable: 1 must stay healthy.
    assert.deepEqual(pick('max'), [3, 1, 3, 2]);
    assert.equal(asObject((asObject(api.get(budgets, 'default', 'min').status).conditions as JsonObject[])[0]).reason, 'SufficientPods');
    stop();
  });

  it('an eviction past the budget is refused with 429, an allowed one spends a disruption', () => {
    const { api, clock, stop } = cluster();
    const budgets = api.resource('policy', 'v1', 'poddisruptionbudgets');
    api.create(api.resource('apps', 'v1', 'deployments'), 'default', deployment(2));
    api.create(budgets, 'default', { metadata: { name: 'keep-one' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
    clock.advance(0);
    const pods = api.list(api.resource('', 'v1', 'pods'), 'default').items;
    admitEviction(api, 'default', pods[0] ?? {}, false);
    assert.equal(asObject(api.get(budgets, 'default', 'keep-one').status).disruptionsAllowed, 0);
    try {
      admitEviction(api, 'default', pods[1] ?? {}, false);
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof StatusError);
      assert.equal(error.code, 429);
      assert.equal(error.message, "Cannot evict pod as it would violate the pod's disruption budget.");
      assert.deepEqual(error.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget keep-one needs 1 healthy pods and has 2 currently' }]);
    }
    stop();
  });
});
