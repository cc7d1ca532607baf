import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccessLogStore, formatAccessLogEntry } from './access-log.ts';
import { createEdgeMetrics } from './edge-metrics.ts';

test('Istio default TEXT format, dashes for absent fields', () => {
  const line = formatAccessLogEntry({
    startMs: Date.UTC(2026, 10, 24, 1, 2, 3, 456),
    method: 'GET',
    path: '/reviews/0',
    protocol: 'HTTP/1.1',
    status: 200,
    flags: '-',
    details: 'via_upstream',
    bytesReceived: 0,
    bytesSent: 358,
    durationMs: 23,
    upstreamServiceTimeMs: 22,
    userAgent: 'python-requests/2.32.3',
    requestId: 'f1b2c3d4-0000-4000-8000-000000000000',
    authority: 'reviews:9080',
    upstreamHost: '10.244.0.12:9080',
    upstreamCluster: 'outbound|9080|v2|reviews.default.svc.cluster.local',
    upstreamLocalAddress: '10.244.0.10:41234',
    downstreamLocalAddress: '10.96.0.20:9080',
    downstreamRemoteAddress: '10.244.0.10:52120',
    routeName: 'default',
  });
  assert.equal(
    line,
    '[2026-11-24T01:02:03.456Z] "GET /reviews/0 HTTP/1.1" 200 - via_upstream - "-" 0 358 23 22 "-" "python-requests/2.32.3" "f1b2c3d4-0000-4000-8000-000000000000" "reviews:9080" "10.244.0.12:9080" outbound|9080|v2|reviews.default.svc.cluster.local 10.244.0.10:41234 10.96.0.20:9080 10.244.0.10:52120 - default',
  );
  const nr = formatAccessLogEntry({ startMs: 0, method: 'GET', path: '/x', protocol: 'HTTP/1.1', status: 404, flags: 'NR', details: 'route_not_found', bytesReceived: 0, bytesSent: 0, durationMs: 0, downstreamLocalAddress: '10.244.0.5:8080', downstreamRemoteAddress: '10.244.0.1:5000' });
  assert.equal(nr, '[1970-01-01T00:00:00.000Z] "GET /x HTTP/1.1" 404 NR route_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10.244.0.5:8080 10.244.0.1:5000 - -');
});

test('the store keeps the newest entries per pod', () => {
  const store = createAccessLogStore(2);
  const entry = (status: number) => ({ startMs: 0, method: 'GET', path: '/', protocol: 'HTTP/1.1', status, flags: '-', details: 'via_upstream', bytesReceived: 0, bytesSent: 0, durationMs: 0, downstreamLocalAddress: 'a', downstreamRemoteAddress: 'b' });
  store.append('default', 'p', entry(200));
  store.append('default', 'p', entry(201));
  store.append('default', 'p', entry(202));
  store.append('default', 'q', entry(500));
  assert.deepEqual(store.entries('default', 'p').map((e) => e.status), [201, 202]);
  assert.equal(store.lines('default', 'q').length, 1);
  assert.deepEqual(store.lines('other', 'p'), []);
});

test('edge metrics count per label set and keep a bounded latency window', () => {
  const metrics = createEdgeMetrics(3);
  const edge = { sourceWorkload: 'productpage-v1', sourceNamespace: 'default', sourceVersion: 'v1', destinationService: 'reviews.default.svc.cluster.local', destinationWorkload: 'reviews-v2', destinationNamespace: 'default', destinationVersion: 'v2', responseCode: 200, mtls: true, flags: '-' };
  for (let i = 1; i <= 5; i++) metrics.record(edge, i, i);
  metrics.record({ ...edge, responseCode: 503, flags: 'UF' }, 9, 6);
  const edges = metrics.edges();
  assert.equal(edges.length, 2);
  assert.deepEqual([edges[0]?.requests, edges[0]?.latenciesMs, edges[0]?.lastSeenMs], [5, [3, 4, 5], 5]);
  assert.equal(edges[1]?.responseCode, 503);
});
