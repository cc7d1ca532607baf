import assert from 'node:assert/strict';
import { it } from 'node:test';
import { threeWayPatch } from './three-way-patch.ts';

const deployment = (image: string, labels: Record<string, string>) => ({
  metadata: { name: 'reviews', labels },
  spec: { template: { spec: { containers: [{ name: 'reviews', image }] } } },
});

it('is empty when the live object already matches the manifest', () => {
  const manifest = deployment('v1', { app: 'reviews' });
  const live = { ...deployment('v1', { app: 'reviews' }), status: { replicas: 1 } };
  assert.deepEqual(threeWayPatch(manifest, manifest, live, true), {});
});

it('changes containers by name with $setElementOrder and deletes labels no longer applied', () => {
  const original = deployment('v1', { app: 'reviews', version: 'v1' });
  const modified = deployment('v2', { app: 'reviews' });
  const live = deployment('v1', { app: 'reviews', version: 'v1' });
  assert.deepEqual(threeWayPatch(original, modified, live, true), {
    metadata: { labels: { version: null } },
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'reviews' }], containers: [{ image: 'v2', name: 'reviews' }] } } },
  });
});

it('keeps fields the server added that were never applied', () => {
  const manifest = { spec: { ports: [{ port: 80 }] } };
  const live = { spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], clusterIP: '10.0.0.1' } };
  assert.deepEqual(threeWayPatch(manifest, manifest, live, true), {});
});

it('removes list items that were applied before with $patch: delete', () => {
  const original = { spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] } };
  const modified = { spec: { containers: [{ name: 'a', image: 'x' }] } };
  assert.deepEqual(threeWayPatch(original, modified, original, true), {
    spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ $patch: 'delete', name: 'b' }] },
  });
});

it('replaces whole lists in a JSON merge patch', () => {
  const original = { spec: { hosts: ['a'] } };
  const modified = { spec: { hosts: ['a', 'b'] } };
  assert.deepEqual(threeWayPatch(original, modified, original, false), { spec: { hosts: ['a', 'b'] } });
});
