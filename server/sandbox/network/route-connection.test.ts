import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../core/json-object.ts';
import { createRng } from '../core/rng.ts';
import { buildClusterNetwork, resolveTargetPort } from './cluster-network.ts';
import { createEndpointPicker } from './endpoint-picker.ts';
import { routeConnection } from './route-connection.ts';

function pod(name: string, ip: string, ready: boolean, port: number): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http-web', containerPort: port }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

const objects: JsonObject[] = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { clusterIP: '10.96.0.30', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http-web', protocol: 'TCP' }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: 'default' }, spec: { clusterIP: '10.96.0.31', selector: { app: 'none' }, ports: [{ port: 80, protocol: 'TCP' }] } },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'lb', namespace: 'default' },
    spec: { type: 'LoadBalancer', clusterIP: '10.96.0.32', selector: { app: 'web' }, ports: [{ port: 8081, targetPort: 8080, protocol: 'TCP' }] },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
  },
  pod('web-a', '10.244.0.10', true, 8080),
  pod('web-b', '10.244.0.11', true, 9090),
  pod('web-c', '10.244.0.12', false, 8080),
];

test('named target ports resolve per pod', () => {
  const network = buildClusterNetwork(objects);
  const service = network.service('web', 'default');
  assert.ok(service);
  const port = service.ports[0];
  assert.ok(port);
  assert.deepEqual(
    network.endpoints(service, port).map((e) => [e.pod.name, e.port, e.ready]),
    [
      ['web-a', 8080, true],
      ['web-b', 9090, true],
      ['web-c', 8080, false],
    ],
  );
  const podB = network.pod('web-b', 'default');
  assert.ok(podB);
  assert.equal(resolveTargetPort({ name: 'x', port: 1, targetPort: 'nope', protocol: 'TCP' }, podB), undefined);
});

test('ClusterIP connections land on ready endpoints only, spread by the seeded rng', () => {
  const network = buildClusterNetwork(objects);
  const picker = createEndpointPicker(createRng(7));
  const seen = new Map<string, number>();
  for (let i = 0; i < 200; i++) {
    const target = routeConnection(network, picker, '10.96.0.30', 80);
    assert.equal(target.kind, 'pod');
    if (target.kind === 'pod') seen.set(`${target.pod.name}:${target.port}`, (seen.get(`${target.pod.name}:${target.port}`) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), ['web-a:8080', 'web-b:9090']);
  assert.ok((seen.get('web-a:8080') ?? 0) > 60 && (seen.get('web-b:9090') ?? 0) > 60);
});

test('no ready endpoints is refused; unserved ports and unknown addresses are unreachable', () => {
  const network = buildClusterNetwork(objects);
  const picker = createEndpointPicker(createRng(1));
  assert.equal(routeConnection(network, picker, '10.96.0.31', 80).kind, 'refused');
  assert.equal(routeConnection(network, picker, '10.96.0.30', 81).kind, 'unreachable');
  assert.equal(routeConnection(network, picker, '10.1.1.1', 80).kind, 'unreachable');
});

test('load balancer addresses and pod IPs', () => {
  const network = buildClusterNetwork(objects);
  const picker = createEndpointPicker(createRng(1));
  const viaLb = routeConnection(network, picker, '172.18.255.200', 8081);
  assert.equal(viaLb.kind === 'pod' ? viaLb.port : -1, 8080);
  const direct = routeConnection(network, picker, '10.244.0.12', 8080);
  assert.equal(direct.kind === 'pod' ? direct.pod.name : '', 'web-c');
});

test('round robin cycles per key', () => {
  const picker = createEndpointPicker(createRng(1));
  const picks = [1, 2, 3, 4].map(() => picker.pick('k', ['a', 'b', 'c'], 'ROUND_ROBIN'));
  assert.deepEqual(picks, ['a', 'b', 'c', 'a']);
  assert.equal(picker.pick('k', [], 'RANDOM'), undefined);
});
