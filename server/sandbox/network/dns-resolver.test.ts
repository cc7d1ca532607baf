import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../core/json-object.ts';
import { buildClusterNetwork } from './cluster-network.ts';
import { resolveHost, searchPath } from './dns-resolver.ts';

function pod(name: string, namespace: string, ip: string, labels: Record<string, string>, ready = true): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'web', containerPort: 8080 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function service(name: string, namespace: string, spec: JsonObject): JsonObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

const network = buildClusterNetwork([
  service('httpbin', 'foo', { clusterIP: '10.96.0.20', selector: { app: 'httpbin' }, ports: [{ port: 8000, targetPort: 8080 }] }),
  service('httpbin', 'bar', { clusterIP: '10.96.0.21', selector: { app: 'httpbin' }, ports: [{ port: 8000, targetPort: 8080 }] }),
  service('db', 'foo', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] }),
  service('alias', 'foo', { type: 'ExternalName', externalName: 'httpbin.bar.svc.cluster.local' }),
  service('outside', 'foo', { type: 'ExternalName', externalName: 'example.com' }),
  pod('httpbin-1', 'foo', '10.244.0.5', { app: 'httpbin' }),
  pod('db-0', 'foo', '10.244.0.6', { app: 'db' }),
  pod('db-1', 'foo', '10.244.0.7', { app: 'db' }, false),
]);

test('short names resolve through the pod namespace search path', () => {
  assert.deepEqual(resolveHost(network, 'httpbin', 'foo')?.addresses, ['10.96.0.20']);
  assert.deepEqual(resolveHost(network, 'httpbin', 'bar')?.addresses, ['10.96.0.21']);
  assert.equal(resolveHost(network, 'httpbin', 'legacy'), undefined);
});

test('name.ns, name.ns.svc and the FQDN (with or without the root dot) all resolve', () => {
  for (const name of ['httpbin.bar', 'httpbin.bar.svc', 'httpbin.bar.svc.cluster.local', 'httpbin.bar.svc.cluster.local.']) {
    const answer = resolveHost(network, name, 'legacy');
    assert.deepEqual(answer?.addresses, ['10.96.0.21'], name);
    assert.equal(answer?.name, 'httpbin.bar.svc.cluster.local');
    assert.equal(answer?.service?.namespace, 'bar');
  }
});

test('unknown names, external names and other namespaces without qualification are NXDOMAIN', () => {
  assert.equal(resolveHost(network, 'reviews', 'foo'), undefined);
  assert.equal(resolveHost(network, 'istio.io', 'foo'), undefined);
  assert.equal(resolveHost(network, 'outside', 'foo'), undefined);
  assert.equal(resolveHost(network, 'httpbin.baz', 'foo'), undefined);
});

test('headless services answer with ready pod IPs; ExternalName follows its CNAME', () => {
  assert.deepEqual(resolveHost(network, 'db', 'foo')?.addresses, ['10.244.0.6']);
  assert.deepEqual(resolveHost(network, 'alias', 'foo')?.addresses, ['10.96.0.21']);
});

test('IP literals, localhost and pod A records', () => {
  assert.deepEqual(resolveHost(network, '10.1.2.3', 'foo')?.addresses, ['10.1.2.3']);
  assert.deepEqual(resolveHost(network, 'localhost', 'foo')?.addresses, ['127.0.0.1']);
  assert.deepEqual(resolveHost(network, '10-244-0-5.foo.pod.cluster.local', undefined)?.addresses, ['10.244.0.5']);
  assert.equal(resolveHost(network, '10-244-0-5.bar.pod.cluster.local', undefined), undefined);
  assert.equal(resolveHost(network, '999.1.1.1', 'foo'), undefined);
});

test('a client outside the cluster has no search path', () => {
  assert.deepEqual(searchPath(undefined), []);
  assert.equal(resolveHost(network, 'httpbin.foo', undefined), undefined);
  assert.deepEqual(searchPath('foo'), ['foo.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
});

test('the emulated internet: well-known external hosts answer from pods and outside, others stay NXDOMAIN', () => {
  const fromPod = resolveHost(network, 'httpbin.org', 'foo');
  assert.equal(fromPod?.name, 'httpbin.org');
  assert.equal(fromPod?.addresses.length, 1);
  assert.deepEqual(resolveHost(network, 'HTTPBIN.org.', undefined)?.addresses, fromPod?.addresses);
  assert.notDeepEqual(resolveHost(network, 'www.google.com', undefined)?.addresses, fromPod?.addresses);
  assert.ok(resolveHost(network, 'edition.cnn.com', 'foo') !== undefined);
  assert.equal(resolveHost(network, 'example.org', 'foo'), undefined);
  assert.equal(resolveHost(network, 'nothttpbin.org', undefined), undefined);
});
