import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../core/json-object.ts';
import { indexSnapshot } from './mesh-snapshot.ts';
import { meshOutboundTrafficMode, outboundTrafficMode } from './outbound-traffic-policy.ts';

function meshConfigMap(mesh: string): JsonObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh } };
}

function sidecarResource(name: string, namespace: string, spec: JsonObject, createdAt = '2026-01-01T00:00:00Z'): JsonObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name, namespace, creationTimestamp: createdAt }, spec };
}

const curl = { namespace: 'default', labels: { app: 'curl' } };

test('the mesh default is ALLOW_ANY, without a ConfigMap, without the field or with unreadable YAML', () => {
  assert.equal(meshOutboundTrafficMode(indexSnapshot([])), 'ALLOW_ANY');
  assert.equal(meshOutboundTrafficMode(indexSnapshot([meshConfigMap('accessLogFile: /dev/stdout\n')])), 'ALLOW_ANY');
  assert.equal(meshOutboundTrafficMode(indexSnapshot([meshConfigMap('outboundTrafficPolicy: [\n')])), 'ALLOW_ANY');
});

test('meshConfig.outboundTrafficPolicy.mode REGISTRY_ONLY applies to every workload', () => {
  const snapshot = indexSnapshot([meshConfigMap('outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n')]);
  assert.equal(meshOutboundTrafficMode(snapshot), 'REGISTRY_ONLY');
  assert.equal(outboundTrafficMode(snapshot, curl), 'REGISTRY_ONLY');
});

test('a Sidecar overrides the mesh: selector match, then namespace default, then root namespace', () => {
  const registryOnlyMesh = meshConfigMap('outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n');
  const root = sidecarResource('default', 'istio-system', { outboundTrafficPolicy: { mode: 'ALLOW_ANY' } });
  assert.equal(outboundTrafficMode(indexSnapshot([registryOnlyMesh, root]), curl), 'ALLOW_ANY');
  const nsDefault = sidecarResource('default', 'default', { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  assert.equal(outboundTrafficMode(indexSnapshot([registryOnlyMesh, root, nsDefault]), curl), 'REGISTRY_ONLY');
  const forCurl = sidecarResource('curl', 'default', { workloadSelector: { labels: { app: 'curl' } }, outboundTrafficPolicy: { mode: 'ALLOW_ANY' } });
  const snapshot = indexSnapshot([registryOnlyMesh, root, nsDefault, forCurl]);
  assert.equal(outboundTrafficMode(snapshot, curl), 'ALLOW_ANY');
  assert.equal(outboundTrafficMode(snapshot, { namespace: 'default', labels: { app: 'other' } }), 'REGISTRY_ONLY');
  // A Sidecar in another namespace does not apply; one without the field leaves the mesh setting.
  assert.equal(outboundTrafficMode(indexSnapshot([registryOnlyMesh, sidecarResource('x', 'foo', { outboundTrafficPolicy: { mode: 'ALLOW_ANY' } })]), curl), 'REGISTRY_ONLY');
  assert.equal(outboundTrafficMode(indexSnapshot([registryOnlyMesh, sidecarResource('default', 'default', { egress: [] })]), curl), 'REGISTRY_ONLY');
});
