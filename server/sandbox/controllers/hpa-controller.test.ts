import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { startControllers } from './start-controllers.ts';

function cluster(): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rng = createRng('hpa');
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
const hpa = (min: number, max: number): JsonObject => ({
  metadata: { name: 'web' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: min, maxReplicas: max, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
});

describe('hpa controller without metrics-server', () => {
  it('reports the metrics as unavailable, every sync, without scaling', () => {
    const { api, clock, stop } = cluster();
    const hpas = api.resource('autoscaling', 'v2', 'horizontalpodautoscalers');
    api.create(api.resource('apps', 'v1', 'deployments'), 'default', deployment(2));
    api.create(hpas, 'default', hpa(1, 5));
    clock.advance(0);
    const status = asObject(api.get(hpas, 'default', 'web').status);
    assert.equal(status.currentReplicas, 2);
    assert.equal(status.desiredReplicas, 0);
    const conditions = asArray(status.conditions).map(asObject).map((c) => [c.type, c.status, c.reason, c.message]);
    assert.deepEqual(conditions, [
      ['AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale"],
      ['ScalingActive', 'False', 'FailedGetResourceMetric', 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)'],
    ]);
    const events = (): JsonObject[] => api.list(api.resource('', 'v1', 'events'), 'default').items.filter((e) => asObject(e.involvedObject).kind === 'HorizontalPodAutoscaler');
    assert.deepEqual(events().map((e) => [e.reason, e.message, e.count]).sort(), [
      ['FailedComputeMetricsReplicas', 'invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)', 1],
      ['FailedGetResourceMetric', 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)', 1],
    ]);
    clock.advance(30_000);
    assert.deepEqual(events().map((e) => e.count), [3, 3]);
    assert.equal(asObject(api.get(api.resource('apps', 'v1', 'deployments'), 'default', 'web').spec).replicas, 2);
    stop();
  });

  it('holds replicas within minReplicas and maxReplicas', () => {
    const { api, clock, stop } = cluster();
    const deployments = api.resource('apps', 'v1', 'deployments');
    const hpas = api.resource('autoscaling', 'v2', 'horizontalpodautoscalers');
    api.create(deployments, 'default', deployment(1));
    api.create(hpas, 'default', hpa(3, 5));
    clock.advance(0);
    assert.equal(asObject(api.get(deployments, 'default', 'web').spec).replicas, 3);
    const rescale = api.list(api.resource('', 'v1', 'events'), 'default').items.find((e) => e.reason === 'SuccessfulRescale');
    assert.equal(rescale?.message, 'New size: 3; reason: Current number of replicas below Spec.MinReplicas');
    api.patch(deployments, 'default', 'web', 'merge', JSON.stringify({ spec: { replicas: 9 } }));
    clock.advance(15_000);
    assert.equal(asObject(api.get(deployments, 'default', 'web').spec).replicas, 5);
    stop();
  });
});
