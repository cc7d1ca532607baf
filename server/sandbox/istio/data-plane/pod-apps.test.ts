import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppHandler } from '../../apps/app-handler.ts';
import type { NetworkPod } from '../../network/cluster-network.ts';
import { createPodApps } from './pod-apps.ts';

const pod = (uid: string): NetworkPod => ({
  name: 'web',
  namespace: 'default',
  ip: '10.244.0.9',
  labels: {},
  ready: true,
  containers: [
    { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', ports: [{ containerPort: 15090 }], env: {} },
    { name: 'bookinfo', image: 'docker.io/istio/examples-bookinfo-ratings-v1:1.20.3', ports: [], env: {} },
    { name: 'web', image: 'nginx:1.27.0', ports: [{ containerPort: 8081 }], env: {} },
  ],
  hasSidecar: true,
  serviceAccount: 'default',
  uid,
  object: {},
});

test('the container listening on a port: declared ports, then the image’s own; one handler per container', () => {
  const made: string[] = [];
  const apps = createPodApps((image) => {
    made.push(image);
    const handler: AppHandler = async () => ({ status: 200, headers: {}, body: image });
    return handler;
  });
  assert.equal(apps.listener(pod('a'), 8081)?.container.name, 'web');
  assert.equal(apps.listener(pod('a'), 9080)?.container.name, 'bookinfo');
  assert.equal(apps.listener(pod('a'), 80)?.container.name, 'web');
  assert.equal(apps.listener(pod('a'), 15090), undefined);
  assert.equal(apps.listener(pod('a'), 9999), undefined);
  assert.equal(apps.listener(pod('a'), 9080)?.handler, apps.listener(pod('a'), 9080)?.handler);
  assert.notEqual(apps.listener(pod('b'), 9080)?.handler, apps.listener(pod('a'), 9080)?.handler);
  assert.equal(made.length, 3);
});
