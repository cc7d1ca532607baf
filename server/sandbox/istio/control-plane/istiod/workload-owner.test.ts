import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workloadOwner } from './workload-owner.ts';

const pod = (ownerReferences: object[] | undefined, labels: Record<string, string> = {}) => ({
  metadata: { name: 'reviews-v2-74455c6b9c-bv9tk', generateName: 'reviews-v2-74455c6b9c-', labels, ...(ownerReferences === undefined ? {} : { ownerReferences }) },
});

describe('workloadOwner', () => {
  it('names a Deployment for a ReplicaSet pod carrying its pod-template-hash', () => {
    const owned = pod([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reviews-v2-74455c6b9c', controller: true }], { 'pod-template-hash': '74455c6b9c' });
    assert.deepEqual(workloadOwner(owned), { name: 'reviews-v2', apiVersion: 'apps/v1', kind: 'Deployment' });
  });

  it('keeps a bare ReplicaSet, other controllers, and bare pods as they are', () => {
    assert.deepEqual(workloadOwner(pod([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reviews-v2-74455c6b9c', controller: true }])), { name: 'reviews-v2-74455c6b9c', apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    assert.deepEqual(workloadOwner(pod([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', controller: true }])), { name: 'web', apiVersion: 'apps/v1', kind: 'StatefulSet' });
    assert.deepEqual(workloadOwner(pod(undefined)), { name: 'reviews-v2-74455c6b9c-bv9tk', apiVersion: 'v1', kind: 'Pod' });
    // A reference that is not the controller does not make an owner.
    assert.deepEqual(workloadOwner(pod([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x' }])).kind, 'Pod');
  });
});
