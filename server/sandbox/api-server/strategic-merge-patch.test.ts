import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyStrategicMergePatch } from './strategic-merge-patch.ts';

const deployment = {
  metadata: { labels: { app: 'reviews', version: 'v1' }, finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'reviews', image: 'reviews:1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 9080, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  },
};

it('merges keyed lists by their merge key, deletes with null, and keeps untouched items', () => {
  const patched = applyStrategicMergePatch(deployment, {
    metadata: { labels: { version: null }, finalizers: ['b'] },
    spec: { template: { spec: { containers: [{ name: 'reviews', image: 'reviews:2', env: [{ name: 'B', value: '2' }] }] } } },
  });
  assert.deepEqual(patched, {
    metadata: { labels: { app: 'reviews' }, finalizers: ['a', 'b'] },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'reviews', image: 'reviews:2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 9080, protocol: 'TCP' }] },
            { name: 'sidecar', image: 'proxy:1' },
          ],
        },
      },
    },
  });
});

it('honours $patch delete/replace, $setElementOrder and $deleteFromPrimitiveList', () => {
  const removed = applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }) as typeof deployment;
  assert.deepEqual(removed.spec.template.spec.containers.map((c) => c.name), ['reviews']);
  const reordered = applyStrategicMergePatch(deployment, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'reviews' }] } } } }) as typeof deployment;
  assert.deepEqual(reordered.spec.template.spec.containers.map((c) => c.name), ['sidecar', 'reviews']);
  const replaced = applyStrategicMergePatch(deployment, { metadata: { labels: { $patch: 'replace', only: 'this' } } }) as typeof deployment;
  assert.deepEqual(replaced.metadata.labels, { only: 'this' });
  const trimmed = applyStrategicMergePatch(deployment, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }) as typeof deployment;
  assert.deepEqual(trimmed.metadata.finalizers, []);
  const servicePorts = applyStrategicMergePatch({ ports: [{ port: 80, name: 'http' }] }, { ports: [{ port: 443, name: 'https' }] });
  assert.deepEqual(servicePorts, { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] });
});
