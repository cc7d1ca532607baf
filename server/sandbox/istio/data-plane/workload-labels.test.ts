import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkPod } from '../../network/cluster-network.ts';
import { workloadLabels } from './workload-labels.ts';

const pod = (name: string, labels: Record<string, string>): NetworkPod => ({ name, namespace: 'default', ip: '10.244.0.9', labels, ready: true, containers: [], hasSidecar: true, serviceAccount: 'default', uid: name, object: {} });

test('workload from the pod name, app and version from canonical labels first', () => {
  assert.deepEqual(workloadLabels(pod('reviews-v2-7d79d5bd5d-8zzqd', { app: 'reviews', version: 'v2' })), { workload: 'reviews-v2', namespace: 'default', app: 'reviews', version: 'v2' });
  assert.deepEqual(workloadLabels(pod('ratings-v1-7dc98c7588-vzftc', { 'service.istio.io/canonical-name': 'ratings', 'service.istio.io/canonical-revision': 'v1', app: 'x' })), { workload: 'ratings-v1', namespace: 'default', app: 'ratings', version: 'v1' });
  assert.deepEqual(workloadLabels(pod('web-0', {})), { workload: 'web', namespace: 'default', app: 'web-0', version: 'unknown' });
  assert.equal(workloadLabels(pod('standalone', {})).workload, 'standalone');
});
