import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { StatusError } from '../core/status-error.ts';
import { ClusterApi, type WatchEvent } from './cluster-api.ts';
import { ObjectStore } from './object-store.ts';

function setup(historyLimit?: number): { api: ClusterApi; clock: ManualClock } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const api = new ClusterApi({ clock, rng: createRng(1), store: new ObjectStore(historyLimit === undefined ? {} : { historyLimit }) });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  return { api, clock };
}

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  assert.fail('expected a StatusError');
}

describe('ClusterApi', () => {
  it('stamps metadata, defaults pods, and counts one cluster-wide resourceVersion', () => {
    const { api } = setup();
    const pods = api.resource('', 'v1', 'pods');
    const { object } = api.create(pods, 'default', { metadata: { generateName: 'web-' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
    const meta = object.metadata as Record<string, unknown>;
    assert.match(String(meta.name), /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(meta.creationTimestamp, '2026-01-01T00:00:00Z');
    assert.equal(meta.generation, undefined);
    const spec = object.spec as Record<string, unknown>;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.serviceAccountName, 'default');
    const container = (spec.containers as Array<Record<string, unknown>>)[0];
    assert.equal(container?.imagePullPolicy, 'IfNotPresent');
    assert.equal((container?.volumeMounts as Array<Record<string, unknown>>)[0]?.mountPath, '/var/run/secrets/kubernetes.io/serviceaccount');
    assert.deepEqual(object.status, { phase: 'Pending', qosClass: 'BestEffort' });
    const before = Number(meta.resourceVersion);
    const cm = api.create(api.resource('', 'v1', 'configmaps'), 'default', { metadata: { name: 'c' } }).object;
    assert.equal(Number((cm.metadata as Record<string, unknown>).resourceVersion), before + 1);
  });

  it('refuses missing namespaces, duplicates, stale updates and invalid objects with real Status errors', () => {
    const { api } = setup();
    const cms = api.resource('', 'v1', 'configmaps');
    assert.equal(statusOf(() => api.create(cms, 'nowhere', { metadata: { name: 'a' } })).message, 'namespaces "nowhere" not found');
    const created = api.create(cms, 'default', { metadata: { name: 'a' }, data: { k: 'v' } }).object;
    assert.equal(statusOf(() => api.create(cms, 'default', { metadata: { name: 'a' } })).reason, 'AlreadyExists');
    const stale = { ...created, metadata: { ...(created.metadata as object), resourceVersion: '1' } };
    const conflict = statusOf(() => api.update(cms, 'default', 'a', stale));
    assert.equal(conflict.code, 409);
    assert.match(conflict.message, /^Operation cannot be fulfilled on configmaps "a": the object has been modified/);
    const deployments = api.resource('apps', 'v1', 'deployments');
    const invalid = statusOf(() => api.create(deployments, 'default', { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c' }] } } } }));
    assert.equal(invalid.code, 422);
    assert.deepEqual(invalid.details?.causes?.map((cause) => cause.field), ['spec.template.metadata.labels', 'spec.template.spec.containers[0].image']);
  });

  it('bumps generation only on spec changes and keeps status out of main-resource writes', () => {
    const { api } = setup();
    const deployments = api.resource('apps', 'v1', 'deployments');
    const body = { metadata: { name: 'd' }, spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    api.create(deployments, 'default', body);
    api.patch(deployments, 'default', 'd', 'merge', '{"metadata":{"labels":{"x":"y"}},"status":{"replicas":5}}');
    let current = api.get(deployments, 'default', 'd');
    assert.equal((current.metadata as Record<string, unknown>).generation, 1);
    assert.deepEqual(current.status, {});
    api.patch(deployments, 'default', 'd', 'merge', '{"spec":{"replicas":3}}');
    api.patch(deployments, 'default', 'd', 'merge', '{"status":{"replicas":3}}', {}, 'status');
    current = api.get(deployments, 'default', 'd');
    assert.equal((current.metadata as Record<string, unknown>).generation, 2);
    assert.deepEqual(current.status, { replicas: 3 });
    assert.deepEqual(api.getScale(deployments, 'default', 'd').status, { replicas: 3, selector: 'app=d' });
  });

  it('keeps objects with finalizers until the last finalizer is removed', () => {
    const { api } = setup();
    const cms = api.resource('', 'v1', 'configmaps');
    api.create(cms, 'default', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const first = api.delete(cms, 'default', 'held');
    assert.equal(first.deleted, false);
    assert.equal((first.object.metadata as Record<string, unknown>).deletionTimestamp, '2026-01-01T00:00:00Z');
    api.patch(cms, 'default', 'held', 'merge', '{"metadata":{"finalizers":null}}');
    assert.equal(api.tryGet(cms, 'default', 'held'), undefined);
  });

  it('answers server-side apply with create-then-merge and dry runs without storing', () => {
    const { api } = setup();
    const cms = api.resource('', 'v1', 'configmaps');
    const first = api.patch(cms, 'default', 'ssa', 'apply', '{"apiVersion":"v1","kind":"ConfigMap","data":{"a":"1"}}', { fieldManager: 'me' });
    assert.equal(first.created, true);
    const second = api.patch(cms, 'default', 'ssa', 'apply', 'data:\n  b: "2"\n', { fieldManager: 'someone-else' });
    assert.deepEqual(second.object.data, { a: '1', b: '2' });
    api.create(cms, 'default', { metadata: { name: 'dry' } }, { dryRun: true });
    assert.equal(api.tryGet(cms, 'default', 'dry'), undefined);
  });

  it('watches with selectors, resumes from a resourceVersion and expires old ones with 410', () => {
    const { api } = setup(3);
    const cms = api.resource('', 'v1', 'configmaps');
    const events: WatchEvent[] = [];
    const stop = api.watch(cms, 'default', { labelSelector: 'app=x' }, (event) => events.push(event));
    api.create(cms, 'default', { metadata: { name: 'a', labels: { app: 'x' } } });
    api.create(cms, 'default', { metadata: { name: 'b', labels: { app: 'y' } } });
    api.patch(cms, 'default', 'b', 'merge', '{"metadata":{"labels":{"app":"x"}}}');
    api.patch(cms, 'default', 'a', 'merge', '{"metadata":{"labels":{"app":"z"}}}');
    stop();
    assert.deepEqual(events.map((e) => `${e.type} ${String((e.object.metadata as Record<string, unknown>).name)}`), ['ADDED a', 'ADDED b', 'DELETED a']);
    const rv = Number(api.store.resourceVersion);
    api.create(cms, 'default', { metadata: { name: 'c' } });
    const resumed: WatchEvent[] = [];
    api.watch(cms, 'default', { resourceVersion: String(rv) }, (event) => resumed.push(event))();
    assert.deepEqual(resumed.map((e) => e.type), ['ADDED']);
    const expired: WatchEvent[] = [];
    api.watch(cms, 'default', { resourceVersion: '1001' }, (event) => expired.push(event))();
    assert.equal(expired[0]?.type, 'ERROR');
    assert.equal((expired[0]?.object as Record<string, unknown>).code, 410);
  });

  it('serves custom resources once their CRD exists and validates them against its schema', () => {
    const { api } = setup();
    api.create(api.resource('apiextensions.k8s.io', 'v1', 'customresourcedefinitions'), '', {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    });
    const widgets = api.resource('example.com', 'v1', 'widgets');
    const bad = statusOf(() => api.create(widgets, 'default', { metadata: { name: 'w' }, spec: { size: 'big' } }));
    assert.equal(bad.message, 'Widget.example.com "w" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "big"');
    const pruned = api.create(widgets, 'default', { metadata: { name: 'w' }, spec: { size: 2, extra: true } });
    assert.deepEqual(pruned.object.spec, { size: 2 });
    assert.equal((pruned.object.metadata as Record<string, unknown>).generation, 1);
    assert.equal(statusOf(() => api.patch(widgets, 'default', 'w', 'strategic', '{}')).code, 415);
  });
});

describe('events in two API versions', () => {
  it('stores one set of events, shown in the core and the events.k8s.io shape', () => {
    const { api } = setup();
    const core = api.resource('', 'v1', 'events');
    const v1 = api.resource('events.k8s.io', 'v1', 'events');
    api.create(core, 'default', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'Started', message: 'Started container c', type: 'Normal', source: { component: 'kubelet' }, count: 1 });
    const shown = api.get(v1, 'default', 'e1');
    assert.equal(shown.apiVersion, 'events.k8s.io/v1');
    assert.deepEqual([shown.note, shown.reportingController, shown.deprecatedCount], ['Started container c', 'kubelet', 1]);
    assert.deepEqual(shown.regarding, { kind: 'Pod', name: 'p' });
    api.create(v1, 'default', { metadata: { name: 'e2' }, regarding: { kind: 'Node', name: 'n' }, reason: 'Ready', note: 'node is ready', type: 'Normal', eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'kubelet', reportingInstance: 'n', action: 'Ready' });
    const asCore = api.get(core, 'default', 'e2');
    assert.deepEqual([asCore.message, (asCore.involvedObject as Record<string, unknown>).name, asCore.reportingComponent], ['node is ready', 'n', 'kubelet']);
    assert.deepEqual(api.list(v1, 'default').items.map((e) => (e.metadata as Record<string, unknown>).name), ['e1', 'e2']);
  });
});

describe('server-side apply', () => {
  const deployment = (replicas: number, image: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image, ...extra }] } } } });

  it('conflicts with another manager that set a field to another value, unless forced', () => {
    const { api } = setup();
    const deployments = api.resource('apps', 'v1', 'deployments');
    api.patch(deployments, 'default', 'web', 'apply', deployment(2, 'nginx:1'), { fieldManager: 'alice' });
    api.patch(deployments, 'default', 'web', 'merge', '{"spec":{"replicas":5}}', { fieldManager: 'kubectl-scale' });
    const conflict = statusOf(() => api.patch(deployments, 'default', 'web', 'apply', deployment(2, 'nginx:2'), { fieldManager: 'alice' }));
    assert.equal(conflict.code, 409);
    assert.equal(conflict.message, 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
    assert.deepEqual(conflict.details?.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-scale" using apps/v1', field: '.spec.replicas' }]);
    // Agreeing with the other manager's value is no conflict.
    api.patch(deployments, 'default', 'web', 'apply', deployment(5, 'nginx:2'), { fieldManager: 'alice' });
    const forced = api.patch(deployments, 'default', 'web', 'apply', deployment(1, 'nginx:2'), { fieldManager: 'alice', force: true });
    assert.equal((forced.object.spec as Record<string, unknown>).replicas, 1);
    const managers = ((forced.object.metadata as Record<string, unknown>).managedFields as Array<{ manager: string; fieldsV1: Record<string, unknown> }>);
    assert.deepEqual(managers.map((entry) => entry.manager), ['alice']);
  });

  it('removes fields the manager stopped applying when nobody else owns them', () => {
    const { api } = setup();
    const deployments = api.resource('apps', 'v1', 'deployments');
    api.patch(deployments, 'default', 'web', 'apply', deployment(1, 'nginx:1', { args: ['--verbose'] }), { fieldManager: 'alice' });
    const trimmed = api.patch(deployments, 'default', 'web', 'apply', deployment(1, 'nginx:1'), { fieldManager: 'alice' });
    const container = ((((trimmed.object.spec as Record<string, unknown>).template as Record<string, unknown>).spec as Record<string, unknown>).containers as Array<Record<string, unknown>>)[0];
    assert.equal(container?.args, undefined);
    assert.equal(container?.image, 'nginx:1');
  });
});
