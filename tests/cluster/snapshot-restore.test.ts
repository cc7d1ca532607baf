// A cluster snapshotted, serialised as JSON and restored into a new cluster answers the real
// kubectl exactly as before, and watches from before the snapshot get 410 Gone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCluster, type ClusterSnapshot } from '../../server/sandbox/cluster/create-cluster.ts';
import { ManualClock } from '../../server/sandbox/core/manual-clock.ts';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

const BOOKINFO = fileURLToPath(new URL('./fixtures/bookinfo.yaml', import.meta.url));

const CRD_AND_CR = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: integer}}}
`;

const EVERYTHING = 'all,configmaps,serviceaccounts,secrets,endpoints,endpointslices,roles,rolebindings,clusterroles,clusterrolebindings,customresourcedefinitions,nodes,namespaces,gadgets';

describe('cluster snapshot and restore', () => {
  let original: KubectlHarness;
  let restored: KubectlHarness | undefined;
  let snapshot: ClusterSnapshot;
  before(async () => {
    original = await startKubectlHarness();
  });
  after(async () => {
    await original.close();
    await restored?.close();
  });

  it('restores every object and resourceVersion: kubectl get -A -o yaml is identical', async () => {
    assert.equal((await original.kubectl(['apply', '-f', BOOKINFO])).code, 0);
    assert.equal((await original.kubectl(['apply', '-f', '-'], { input: CRD_AND_CR })).code, 0);
    assert.equal((await original.kubectl(['apply', '-f', '-'], { input: 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 3}\n' })).code, 0);
    assert.equal((await original.kubectl(['label', 'deployment/ratings-v1', 'tier=backend'])).code, 0);
    const wait = await original.kubectl(['wait', '--for=condition=Ready', 'pod', '--all', '--timeout=10s']);
    assert.equal(wait.code, 0, wait.stderr);
    // Let the controllers settle so nothing changes between the listing and the snapshot.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await original.kubectl(['get', EVERYTHING, '-A', '-o', 'yaml']);
    assert.equal(before.code, 0, before.stderr);
    snapshot = JSON.parse(JSON.stringify(original.cluster.snapshot())) as ClusterSnapshot;
    const rv = original.cluster.api.store.resourceVersion;
    assert.equal(snapshot.api.store.resourceVersion, rv);

    restored = await startKubectlHarness({ restore: snapshot });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await restored.kubectl(['get', EVERYTHING, '-A', '-o', 'yaml']);
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /name: g1/);
    assert.match(after.stdout, /tier: backend/);
    assert.equal(after.stdout, before.stdout);
    assert.equal(restored.cluster.api.store.resourceVersion, rv);
    // Allocations survive, so a new Service never gets an address already taken.
    const allocations = restored.cluster.snapshot().api;
    assert.ok(snapshot.api.clusterIPs.length >= 4);
    assert.deepEqual(allocations.clusterIPs, snapshot.api.clusterIPs);
  });

  it('answers 410 Gone to watches from before the snapshot and streams from its resourceVersion', async () => {
    assert.ok(restored !== undefined);
    const base = `${restored.server.url}/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1`;
    const old = await fetch(`${base}&resourceVersion=1001`);
    const text = await old.text();
    assert.match(text, /"code":410/);
    const current = await fetch(`${base}&resourceVersion=${snapshot.api.store.resourceVersion}`);
    assert.equal(current.status, 200);
    const created = await restored.kubectl(['create', 'configmap', 'after-restore']);
    assert.equal(created.code, 0, created.stderr);
    const events = await current.text();
    assert.match(events, /"type":"ADDED".*"name":"after-restore"/);
    assert.match(events, new RegExp(`"resourceVersion":"${snapshot.api.store.resourceVersion + 1}"`));
  });

  it('expires restored events an hour after they were recorded, as before the restart', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const first = createCluster({ clock, profile: 'instant' });
    const api = first.api;
    api.create(api.resource('apps', 'v1', 'deployments'), 'default', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } });
    for (let i = 0; i < 20; i++) clock.advance(10);
    const events = api.resource('', 'v1', 'events');
    assert.ok(api.list(events, 'default').items.length > 0);
    clock.advance(30 * 60 * 1000);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as ClusterSnapshot;
    first.dispose();
    const later = new ManualClock(clock.now());
    const second = createCluster({ clock: later, profile: 'instant', restore: saved });
    const restoredEvents = second.api.list(events, 'default').items.length;
    assert.ok(restoredEvents > 0);
    later.advance(20 * 60 * 1000);
    assert.equal(second.api.list(events, 'default').items.length, restoredEvents);
    later.advance(11 * 60 * 1000);
    assert.equal(second.api.list(events, 'default').items.length, 0);
    second.dispose();
  });
});
