import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { isPodReady } from './replicaset-controller.ts';
import { startControllers } from './start-controllers.ts';

function cluster(): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rng = createRng('rollouts');
  const api = new ClusterApi({ clock, rng });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const errors: unknown[] = [];
  const running = startControllers(api, { profile: 'realistic', rng, onError: (_key, error) => errors.push(error) });
  return { api, clock, stop: () => { running.stop(); assert.deepEqual(errors, []); } };
}

const deployment = (replicas: number, strategy: JsonObject): JsonObject => ({
  metadata: { name: 'web' },
  spec: { replicas, strategy, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } },
});

/** Rolls web out to nginx:1.27 and reports the most pods alive and the fewest ready during it. */
function rollOut(replicas: number, strategy: JsonObject): { maxPods: number; minReady: number; newBeforeOldGone: boolean; finalImages: string[] } {
  const { api, clock, stop } = cluster();
  const deployments = api.resource('apps', 'v1', 'deployments');
  const pods = api.resource('', 'v1', 'pods');
  api.create(deployments, 'default', deployment(replicas, strategy));
  clock.advance(60_000);
  const live = (): JsonObject[] => api.list(pods, 'default').items.filter((pod) => asObject(pod.metadata).deletionTimestamp === undefined);
  assert.equal(live().filter(isPodReady).length, replicas);
  let maxPods = 0;
  let minReady = replicas;
  let newBeforeOldGone = false;
  const image = (pod: JsonObject): unknown => asObject(asArray(asObject(pod.spec).containers)[0]).image;
  const unsubscribe = api.onChange((change) => {
    // maxSurge bounds the ReplicaSets' replicas, not the pods of the moment: each ReplicaSet
    // creates and deletes its pods on its own, on a real cluster too.
    if (change.storageKey === 'apps/replicasets') {
      maxPods = Math.max(maxPods, api.list(api.resource('apps', 'v1', 'replicasets'), 'default').items.reduce((sum, rs) => sum + Number(asObject(rs.spec).replicas ?? 0), 0));
    }
    if (change.storageKey !== '/pods') return;
    const all = api.list(pods, 'default').items;
    minReady = Math.min(minReady, all.filter((pod) => isPodReady(pod) && asObject(pod.metadata).deletionTimestamp === undefined).length);
    if (all.some((pod) => image(pod) === 'nginx:1.27') && all.some((pod) => image(pod) === 'nginx:1.26')) newBeforeOldGone = true;
  });
  api.patch(deployments, 'default', 'web', 'strategic', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }));
  clock.advance(5 * 60_000);
  unsubscribe();
  const finalImages = live().map((pod) => String(image(pod)));
  const status = asObject(api.get(deployments, 'default', 'web').status);
  assert.deepEqual([status.replicas, status.updatedReplicas, status.availableReplicas], [replicas, replicas, replicas]);
  stop();
  return { maxPods, minReady, newBeforeOldGone, finalImages };
}

describe('deployment rollouts', () => {
  it('maxSurge 1, maxUnavailable 0: at most one extra pod and never fewer ready than desired', () => {
    const result = rollOut(3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    assert.equal(result.maxPods, 4);
    assert.equal(result.minReady, 3);
    assert.deepEqual(result.finalImages, ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  it('maxSurge 0, maxUnavailable 1: never more pods than desired, one down at a time', () => {
    const result = rollOut(3, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    assert.equal(result.maxPods, 3);
    assert.equal(result.minReady, 2);
  });

  it('percentages: maxSurge rounds up, maxUnavailable rounds down', () => {
    // 4 replicas: 30% surge → 2 extra; 30% unavailable → 1.
    const result = rollOut(4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: '30%' } });
    assert.equal(result.maxPods, 6);
    assert.equal(result.minReady, 3);
  });

  it('Recreate: every old pod is gone before a new one starts', () => {
    const result = rollOut(3, { type: 'Recreate' });
    assert.equal(result.newBeforeOldGone, false);
    assert.equal(result.minReady, 0);
    assert.deepEqual(result.finalImages, ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  it('minReadySeconds: pods count as available only after being ready that long', () => {
    const { api, clock, stop } = cluster();
    const deployments = api.resource('apps', 'v1', 'deployments');
    api.create(deployments, 'default', { ...deployment(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }), spec: { ...asObject(deployment(2, {}).spec), minReadySeconds: 30 } });
    clock.advance(20_000);
    let status = asObject(api.get(deployments, 'default', 'web').status);
    assert.equal(status.readyReplicas, 2);
    assert.equal(status.availableReplicas, undefined);
    clock.advance(20_000);
    status = asObject(api.get(deployments, 'default', 'web').status);
    assert.equal(status.availableReplicas, 2);
    stop();
  });

  it('a paused Deployment scales but rolls nothing out until resumed', () => {
    const { api, clock, stop } = cluster();
    const deployments = api.resource('apps', 'v1', 'deployments');
    const replicaSets = api.resource('apps', 'v1', 'replicasets');
    api.create(deployments, 'default', deployment(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }));
    clock.advance(30_000);
    api.patch(deployments, 'default', 'web', 'merge', JSON.stringify({ spec: { paused: true } }));
    api.patch(deployments, 'default', 'web', 'strategic', JSON.stringify({ spec: { replicas: 3, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } }));
    clock.advance(30_000);
    assert.equal(api.list(replicaSets, 'default').items.length, 1, 'no new ReplicaSet while paused');
    assert.equal(asObject(api.list(replicaSets, 'default').items[0]?.spec).replicas, 3, 'scaling still applies');
    const progressing = (): JsonObject | undefined => asArray(asObject(api.get(deployments, 'default', 'web').status).conditions).map(asObject).find((c) => c.type === 'Progressing');
    assert.deepEqual([progressing()?.status, progressing()?.reason, progressing()?.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    api.patch(deployments, 'default', 'web', 'merge', JSON.stringify({ spec: { paused: null } }));
    clock.advance(60_000);
    const images = api.list(api.resource('', 'v1', 'pods'), 'default').items.filter((pod) => asObject(pod.metadata).deletionTimestamp === undefined).map((pod) => asObject(asArray(asObject(pod.spec).containers)[0]).image);
    assert.deepEqual(images, ['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    assert.equal(progressing()?.reason, 'NewReplicaSetAvailable');
    stop();
  });
});
