// Circuit breaking and outlier detection through the whole plane: the calling sidecar enforces
// its DestinationRule's connectionPool (503 UO, counted in its access log and stats) and ejects
// endpoints that fail in a row (503 UH once none is left, back after baseEjectionTime).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import type { JsonObject } from '../../core/json-object.ts';
import { clusterBuilder, loadSample, namespace } from '../mesh-model/mesh-fixtures.test-support.ts';
import { testPlane } from './data-plane.test-support.ts';

const skip = istioSamplesMissing;

function destinationRule(trafficPolicy: JsonObject): JsonObject {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'httpbin', namespace: 'default' }, spec: { host: 'httpbin', trafficPolicy } };
}

function mesh(extra: JsonObject[], httpbinReplicas = 1): JsonObject[] {
  const httpbin = loadSample('httpbin/httpbin.yaml');
  for (const o of httpbin) if (o.kind === 'Deployment') (o.spec as JsonObject).replicas = httpbinReplicas;
  return clusterBuilder()
    .add(namespace('istio-system'), namespace('default', { 'istio-injection': 'enabled' }), ...httpbin, ...loadSample('curl/curl.yaml'), ...extra)
    .objects();
}

// The accessLogFile mesh setting, as the demo profile sets it.
const meshConfig: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogFile: /dev/stdout\n' } };

test('connectionPool limits: the request beyond one connection and one pending overflows with 503 UO', { skip }, async () => {
  const t = testPlane(mesh([meshConfig, destinationRule({ connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } } })]));
  const curl = t.podName('default', 'curl');
  const send = () => t.plane.send({ fromPod: { name: curl, namespace: 'default' }, url: 'http://httpbin:8000/delay/1' });
  const results = [send()];
  // The first request holds the only connection once it has opened; while a request waits for
  // a connection it is itself pending.
  await t.idle(10, 1);
  results.push(send(), send());
  await t.idle(3_000, 10);
  const [first, second, third] = await Promise.all(results);
  assert.equal(first?.response?.status, 200);
  assert.equal(second?.response?.status, 200);
  assert.equal(third?.response?.status, 503);
  assert.equal(third?.response?.body, 'upstream connect error or disconnect/reset before headers. reset reason: overflow');
  assert.equal(third?.response?.headers.server, 'istio-envoy');
  // The overflow is answered at once, the second request waited for the first one's connection to close.
  assert.ok((third?.elapsedMs ?? Infinity) < 10, `overflow after ${third?.elapsedMs} ms`);
  assert.ok((second?.elapsedMs ?? 0) >= 2_000, `second after ${second?.elapsedMs} ms`);
  const log = t.plane.proxyLogs('default', curl);
  const overflowed = log.filter((l) => / 503 UO upstream_reset_before_response_started\{overflow\} /.test(l));
  assert.equal(overflowed.length, 1, log.join('\n'));
  // No connection, so no upstream host; the cluster is named.
  assert.match(overflowed[0] ?? '', /"httpbin:8000" "-" outbound\|8000\|\|httpbin\.default\.svc\.cluster\.local - /);
  assert.equal(log.filter((l) => / 200 - via_upstream /.test(l)).length, 2, log.join('\n'));
  const stats = t.plane.clusterStats('default', curl);
  assert.ok(stats.includes('cluster.outbound|8000||httpbin.default.svc.cluster.local;.upstream_rq_pending_overflow: 1'), stats.join('\n'));
  assert.ok(stats.includes('cluster.outbound|8000||httpbin.default.svc.cluster.local;.upstream_rq_total: 2'), stats.join('\n'));
  // The overflow was not retried (Envoy never retries one), and httpbin served only two.
  assert.equal(third?.trace.hops.find((h) => h.kind === 'sidecar-outbound')?.attempts, 1);
});

test('without a DestinationRule the same burst all passes', { skip }, async () => {
  const t = testPlane(mesh([meshConfig]));
  const curl = t.podName('default', 'curl');
  const results = [1, 2, 3].map(() => t.plane.send({ fromPod: { name: curl, namespace: 'default' }, url: 'http://httpbin:8000/delay/1' }));
  await t.idle(1_500, 10);
  assert.deepEqual((await Promise.all(results)).map((r) => r.response?.status), [200, 200, 200]);
  assert.deepEqual(t.plane.clusterStats('default', curl), []);
});

test('outlierDetection ejects failing endpoints, answers 503 UH when none is left, and brings them back', { skip }, async () => {
  const t = testPlane(mesh([meshConfig, destinationRule({ outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '30s', maxEjectionPercent: 100 } })], 2));
  const curl = t.podName('default', 'curl');
  const get = (path: string) => t.send({ fromPod: { name: curl, namespace: 'default' }, url: `http://httpbin:8000${path}` });
  const a = await get('/status/500');
  const b = await get('/status/500');
  assert.equal(a.response?.status, 500);
  assert.equal(b.response?.status, 500);
  const endpoints = [a, b].map((r) => r.trace.hops.find((h) => h.kind === 'sidecar-outbound')?.endpoint);
  // The first failure ejected its endpoint, so the second request went to the other one.
  assert.notEqual(endpoints[0], endpoints[1]);
  const none = await get('/get');
  assert.equal(none.response?.status, 503);
  assert.equal(none.response?.body, 'no healthy upstream');
  assert.ok(t.plane.proxyLogs('default', curl).some((l) => / 503 UH no_healthy_upstream /.test(l)));
  assert.ok(t.plane.clusterStats('default', curl).includes('cluster.outbound|8000||httpbin.default.svc.cluster.local;.outlier_detection.ejections_enforced_total: 2'));
  t.clock.advance(30_000);
  assert.equal((await get('/get')).response?.status, 200);
});

test('maxEjectionPercent keeps an endpoint serving', { skip }, async () => {
  const t = testPlane(mesh([destinationRule({ outlierDetection: { consecutive5xxErrors: 1, baseEjectionTime: '30s', maxEjectionPercent: 50 } })], 2));
  const curl = t.podName('default', 'curl');
  const get = (path: string) => t.send({ fromPod: { name: curl, namespace: 'default' }, url: `http://httpbin:8000${path}` });
  await get('/status/500');
  await get('/status/500');
  const after = await get('/get');
  assert.equal(after.response?.status, 200);
});
