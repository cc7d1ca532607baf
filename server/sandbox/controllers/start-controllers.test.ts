import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import type { ProfileName } from './profiles.ts';
import { startControllers } from './start-controllers.ts';

function cluster(profile: ProfileName): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rng = createRng('controllers');
  const api = new ClusterApi({ clock, rng });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const errors: unknown[] = [];
  const running = startControllers(api, { profile, rng, onError: (_key, error) => errors.push(error) });
  return {
    api,
    clock,
    stop: () => {
      running.stop();
      assert.deepEqual(errors, []);
    },
  };
}

const deployment = (name: string, replicas: number, image = 'nginx:1.27'): JsonObject => ({
  metadata: { name, labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image, ports: [{ containerPort: 80, name: 'http' }] }] } } },
});

const meta = (object: JsonObject): JsonObject => asObject(object.metadata);

describe('controllers', () => {
  it('populate new namespaces and schedule nodes', () => {
    const { api, clock, stop } = cluster('instant');
    clock.advance(0);
    assert.ok(api.tryGet(api.resource('', 'v1', 'serviceaccounts'), 'default', 'default'));
    assert.ok(api.tryGet(api.resource('', 'v1', 'configmaps'), 'default', 'kube-root-ca.crt'));
    assert.deepEqual(api.list(api.resource('', 'v1', 'nodes'), undefined).items.map((node) => meta(node).name), ['sandbox-control-plane', 'sandbox-worker', 'sandbox-worker2']);
    stop();
  });

  it('turn a Deployment into a ReplicaSet and ready pods, with endpoints and a rollout-complete status', () => {
    const { api, clock, stop } = cluster('instant');
    const deployments = api.resource('apps', 'v1', 'deployments');
    api.create(deployments, 'default', deployment('web', 3));
    api.create(api.resource('', 'v1', 'services'), 'default', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } });
    for (let i = 0; i < 20; i++) clock.advance(0);
    const rs = api.list(api.resource('apps', 'v1', 'replicasets'), 'default').items;
    assert.equal(rs.length, 1);
    const hash = asObject(meta(rs[0] ?? {}).labels)['pod-template-hash'];
    assert.match(String(hash), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    assert.equal(meta(rs[0] ?? {}).name, `web-${String(hash)}`);
    assert.equal(asObject(meta(rs[0] ?? {}).annotations)['deployment.kubernetes.io/revision'], '1');
    const pods = api.list(api.resource('', 'v1', 'pods'), 'default').items;
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.match(String(meta(pod).name), new RegExp(`^web-${String(hash)}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(asObject(pod.status).phase, 'Running');
      assert.match(String(asObject(pod.spec).nodeName), /^sandbox-worker2?$/);
      assert.match(String(asObject(pod.status).podIP), /^10\.244\.[12]\.\d+$/);
    }
    const status = asObject(api.get(deployments, 'default', 'web').status);
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual([status.replicas, status.updatedReplicas, status.readyReplicas, status.availableReplicas], [3, 3, 3, 3]);
    assert.deepEqual(asArray(status.conditions).map((c) => `${String(asObject(c).type)}=${String(asObject(c).reason)}`), ['Available=MinimumReplicasAvailable', 'Progressing=NewReplicaSetAvailable']);
    const endpoints = api.get(api.resource('', 'v1', 'endpoints'), 'default', 'web');
    const subset = asObject(asArray(endpoints.subsets)[0]);
    assert.equal(asArray(subset.addresses).length, 3);
    assert.deepEqual(subset.ports, [{ port: 80, protocol: 'TCP' }]);
    const events = api.resource('', 'v1', 'events');
    assert.ok(api.list(events, 'default').items.some((event) => event.reason === 'ScalingReplicaSet' && event.message === `Scaled up replica set web-${String(hash)} from 0 to 3`));
    clock.advance(60 * 60 * 1000);
    assert.deepEqual(api.list(events, 'default').items, []);
    stop();
  });

  it('roll out a new template, keeping revision history, and garbage-collect on delete', () => {
    const { api, clock, stop } = cluster('instant');
    const deployments = api.resource('apps', 'v1', 'deployments');
    api.create(deployments, 'default', deployment('web', 2));
    for (let i = 0; i < 20; i++) clock.advance(0);
    api.patch(deployments, 'default', 'web', 'strategic', JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.28' }] } } } }));
    for (let i = 0; i < 40; i++) clock.advance(0);
    const replicaSets = api.list(api.resource('apps', 'v1', 'replicasets'), 'default').items;
    assert.deepEqual(replicaSets.map((rs) => [asObject(meta(rs).annotations)['deployment.kubernetes.io/revision'], asObject(rs.spec).replicas]).sort(), [['1', 0], ['2', 2]]);
    const pods = api.list(api.resource('', 'v1', 'pods'), 'default').items;
    assert.deepEqual(pods.map((pod) => asObject(asArray(asObject(pod.spec).containers)[0]).image), ['nginx:1.28', 'nginx:1.28']);
    assert.equal(asObject(api.get(deployments, 'default', 'web').status).observedGeneration, 2);
    api.delete(deployments, 'default', 'web', { propagationPolicy: 'Background' });
    for (let i = 0; i < 20; i++) clock.advance(0);
    assert.equal(api.list(api.resource('apps', 'v1', 'replicasets'), 'default').items.length, 0);
    assert.equal(api.list(api.resource('', 'v1', 'pods'), 'default').items.length, 0);
    stop();
  });

  it('take realistic time: pods pass through ContainerCreating before Running', () => {
    const { api, clock, stop } = cluster('realistic');
    api.create(api.resource('', 'v1', 'pods'), 'default', { metadata: { name: 'slow' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
    clock.advance(200);
    const creating = api.get(api.resource('', 'v1', 'pods'), 'default', 'slow');
    assert.equal(asObject(creating.status).phase, 'Pending');
    assert.deepEqual(asObject(asObject(asArray(asObject(creating.status).containerStatuses)[0]).state), { waiting: { reason: 'ContainerCreating' } });
    clock.advance(10_000);
    const running = api.get(api.resource('', 'v1', 'pods'), 'default', 'slow');
    assert.equal(asObject(running.status).phase, 'Running');
    api.delete(api.resource('', 'v1', 'pods'), 'default', 'slow');
    assert.ok(meta(api.get(api.resource('', 'v1', 'pods'), 'default', 'slow')).deletionTimestamp);
    clock.advance(31_000);
    assert.equal(api.tryGet(api.resource('', 'v1', 'pods'), 'default', 'slow'), undefined);
    stop();
  });

  it('terminate namespaces: contents first, then the namespace itself', () => {
    const { api, clock, stop } = cluster('instant');
    const namespaces = api.resource('', 'v1', 'namespaces');
    api.create(namespaces, '', { metadata: { name: 'team' } });
    clock.advance(0);
    api.create(api.resource('apps', 'v1', 'deployments'), 'team', deployment('api', 1));
    for (let i = 0; i < 20; i++) clock.advance(0);
    api.delete(namespaces, '', 'team');
    assert.equal(asObject(api.get(namespaces, '', 'team').status).phase, 'Terminating');
    for (let i = 0; i < 20; i++) clock.advance(300);
    assert.equal(api.tryGet(namespaces, '', 'team'), undefined);
    assert.equal(api.list(api.resource('', 'v1', 'pods'), 'team').items.length, 0);
    stop();
  });

  it('run one DaemonSet pod per fitting node and StatefulSet pods by ordinal', () => {
    const { api, clock, stop } = cluster('instant');
    const template = (app: string): JsonObject => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, image: 'busybox:1.36' }] } });
    api.create(api.resource('apps', 'v1', 'daemonsets'), 'default', { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') } });
    api.create(api.resource('apps', 'v1', 'statefulsets'), 'default', { metadata: { name: 'db' }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') } });
    for (let i = 0; i < 40; i++) clock.advance(0);
    const pods = api.list(api.resource('', 'v1', 'pods'), 'default').items;
    const agents = pods.filter((pod) => asObject(meta(pod).labels).app === 'agent');
    // The control plane's NoSchedule taint is not tolerated by this template.
    assert.deepEqual(agents.map((pod) => asObject(pod.spec).nodeName).sort(), ['sandbox-worker', 'sandbox-worker2']);
    const db = pods.filter((pod) => asObject(meta(pod).labels).app === 'db');
    assert.deepEqual(db.map((pod) => meta(pod).name), ['db-0', 'db-1', 'db-2']);
    assert.equal(asObject(db[1]?.spec).hostname, 'db-1');
    assert.equal(asObject(db[1]?.spec).subdomain, 'db');
    api.patch(api.resource('apps', 'v1', 'statefulsets'), 'default', 'db', 'merge', '{"spec":{"replicas":1}}');
    for (let i = 0; i < 40; i++) clock.advance(0);
    assert.deepEqual(api.list(api.resource('', 'v1', 'pods'), 'default', { labelSelector: 'app=db' }).items.map((pod) => meta(pod).name), ['db-0']);
    const ds = asObject(api.get(api.resource('apps', 'v1', 'daemonsets'), 'default', 'agent').status);
    assert.deepEqual([ds.desiredNumberScheduled, ds.numberReady, ds.updatedNumberScheduled], [2, 2, 2]);
    stop();
  });
});
