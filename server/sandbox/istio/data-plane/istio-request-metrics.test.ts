import assert from 'node:assert/strict';
import { test } from 'node:test';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import type { JsonObject } from '../../core/json-object.ts';
import type { NetworkPod } from '../../network/cluster-network.ts';
import { bookinfo, loadSample } from '../mesh-model/mesh-fixtures.test-support.ts';
import { testPlane } from './data-plane.test-support.ts';
import { envoyPrometheusPage } from './envoy-prometheus-page.ts';
import { createIstioRequestMetrics, DURATION_BUCKETS_MS, istioPeer, serviceOfCluster } from './istio-request-metrics.ts';

const skip = istioSamplesMissing;

function pod(name: string, labels: Record<string, string>, serviceAccount = 'default'): NetworkPod {
  return { name, namespace: 'default', ip: '10.244.0.9', labels, ready: true, containers: [], hasSidecar: true, serviceAccount, uid: 'u', object: {} };
}

test('a pod is named by its Deployment, app and version labels; its principal only over mTLS', () => {
  const reviews = pod('reviews-v2-5b667bcbf8-x7k2p', { app: 'reviews', version: 'v2' }, 'bookinfo-reviews');
  assert.deepEqual(istioPeer(reviews, true), {
    workload: 'reviews-v2',
    namespace: 'default',
    principal: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews',
    app: 'reviews',
    version: 'v2',
    canonicalService: 'reviews',
    canonicalRevision: 'v2',
    cluster: 'Kubernetes',
  });
  const bare = istioPeer(pod('curl-6d8f4b7c9d-abcde', {}), false);
  assert.equal(bare.principal, 'unknown');
  assert.equal(bare.version, 'unknown');
  assert.equal(bare.canonicalService, 'curl');
  assert.equal(bare.canonicalRevision, 'latest');
});

test('the service of an outbound cluster: in-cluster hosts split into name and namespace', () => {
  assert.deepEqual(serviceOfCluster('outbound|9080|v1|reviews.default.svc.cluster.local'), { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' });
  assert.deepEqual(serviceOfCluster('outbound|80||httpbin.org'), { host: 'httpbin.org', name: 'httpbin.org', namespace: 'unknown' });
  assert.equal(serviceOfCluster('PassthroughCluster'), undefined);
});

test('counts per label set, in Istio\'s label order, with cumulative duration buckets', () => {
  const metrics = createIstioRequestMetrics();
  const source = istioPeer(pod('productpage-v1-7d5b9c8f6d-abcde', { app: 'productpage', version: 'v1' }, 'bookinfo-productpage'), true);
  const destination = istioPeer(pod('reviews-v3-6f9d8c7b5a-fghij', { app: 'reviews', version: 'v3' }, 'bookinfo-reviews'), true);
  const service = { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' };
  const base = { reporter: 'source' as const, source, destination, service, responseFlags: '-', connectionSecurityPolicy: 'unknown' as const };
  metrics.record('productpage-v1-7d5b9c8f6d-abcde.default', { ...base, responseCode: 200, durationMs: 3 });
  metrics.record('productpage-v1-7d5b9c8f6d-abcde.default', { ...base, responseCode: 200, durationMs: 30 });
  metrics.record('productpage-v1-7d5b9c8f6d-abcde.default', { ...base, responseCode: 500, responseFlags: 'FI', durationMs: 0 });
  assert.deepEqual(metrics.families('reviews-v3-6f9d8c7b5a-fghij.default'), []);
  const lines = envoyPrometheusPage(metrics.families('productpage-v1-7d5b9c8f6d-abcde.default')).trimEnd().split('\n');
  assert.equal(lines[0], '# TYPE istio_requests_total counter');
  assert.equal(
    lines[1],
    'istio_requests_total{reporter="source",source_workload="productpage-v1",source_canonical_service="productpage",source_canonical_revision="v1",source_workload_namespace="default",source_principal="spiffe://cluster.local/ns/default/sa/bookinfo-productpage",source_app="productpage",source_version="v1",source_cluster="Kubernetes",destination_workload="reviews-v3",destination_workload_namespace="default",destination_principal="spiffe://cluster.local/ns/default/sa/bookinfo-reviews",destination_app="reviews",destination_version="v3",destination_service="reviews.default.svc.cluster.local",destination_canonical_service="reviews",destination_canonical_revision="v3",destination_service_name="reviews",destination_service_namespace="default",destination_cluster="Kubernetes",request_protocol="http",response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="unknown"} 2',
  );
  assert.match(lines[2] ?? '', /response_code="500",grpc_response_status="",response_flags="FI",connection_security_policy="unknown"\} 1$/);
  assert.equal(lines[3], '# TYPE istio_request_duration_milliseconds histogram');
  const ok = lines.filter((line) => line.startsWith('istio_request_duration_milliseconds_bucket{') && line.includes('response_code="200"'));
  assert.equal(ok.length, DURATION_BUCKETS_MS.length + 1);
  const count = (le: string): string | undefined => ok.find((line) => line.includes(`,le="${le}"}`))?.split(' ').pop();
  assert.equal(count('1'), '0');
  assert.equal(count('5'), '1');
  assert.equal(count('50'), '2');
  assert.equal(count('3600000'), '2');
  assert.equal(count('+Inf'), '2');
  assert.ok(lines.some((line) => line.startsWith('istio_request_duration_milliseconds_sum{') && line.includes('response_code="200"') && line.endsWith('} 33')));
  assert.ok(lines.some((line) => line.startsWith('istio_request_duration_milliseconds_count{') && line.includes('response_code="200"') && line.endsWith('} 2')));
});

/** The value of the istio_requests_total series on `proxy` whose labels contain every fragment. */
function requests(text: string, ...fragments: string[]): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith('istio_requests_total{') && fragments.every((f) => line.includes(f)))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

test('each proxy counts from its own side: the client as source, the server as destination', { skip }, async () => {
  const t = testPlane(bookinfo().objects());
  const ratings = t.podName('default', 'ratings-v1');
  const details = t.podName('default', 'details-v1');
  for (let i = 0; i < 3; i++) {
    const result = await t.send({ fromPod: { name: ratings, namespace: 'default' }, url: 'http://details:9080/details/0' });
    assert.equal(result.response?.status, 200);
  }
  const client = t.plane.prometheusStats?.('default', ratings) ?? '';
  const server = t.plane.prometheusStats?.('default', details) ?? '';
  assert.equal(requests(client, 'reporter="source"', 'source_workload="ratings-v1"', 'destination_workload="details-v1"', 'destination_service="details.default.svc.cluster.local"', 'response_code="200"', 'connection_security_policy="unknown"'), 3);
  assert.equal(requests(client, 'reporter="destination"'), 0);
  assert.equal(
    requests(server, 'reporter="destination"', 'source_workload="ratings-v1"', 'source_principal="spiffe://cluster.local/ns/default/sa/bookinfo-ratings"', 'destination_workload="details-v1"', 'destination_version="v1"', 'destination_service_name="details"', 'response_code="200"', 'connection_security_policy="mutual_tls"'),
    3,
  );
});

test('an aborted request is counted by its source with FI and never by the destination', { skip }, async () => {
  const abort: JsonObject = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'details', namespace: 'default' },
    spec: { hosts: ['details'], http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [{ destination: { host: 'details' } }] }] },
  };
  const t = testPlane(bookinfo().add(...loadSample('bookinfo/networking/destination-rule-all.yaml'), abort).objects());
  const ratings = t.podName('default', 'ratings-v1');
  const details = t.podName('default', 'details-v1');
  const result = await t.send({ fromPod: { name: ratings, namespace: 'default' }, url: 'http://details:9080/details/0' });
  assert.equal(result.response?.status, 503);
  assert.equal(requests(t.plane.prometheusStats?.('default', ratings) ?? '', 'reporter="source"', 'destination_service_name="details"', 'response_code="503"', 'response_flags="FI"'), 1);
  assert.equal(requests(t.plane.prometheusStats?.('default', details) ?? ''), 0);
  // The mesh graph's edge names the service the route chose, so the caller's edge to it shows the error.
  assert.ok(t.plane.edges().some((e) => e.destinationService === 'details.default.svc.cluster.local' && e.destinationWorkload === 'unknown' && e.responseCode === 503 && e.flags === 'FI'));
});

test('a TCP connection is counted with Istio\'s TCP metrics: request_protocol tcp, no response code, bytes each way', () => {
  const metrics = createIstioRequestMetrics();
  const source = istioPeer(pod('productpage-v1-7d5b9c8f6d-abcde', { app: 'productpage', version: 'v1' }, 'bookinfo-productpage'), true);
  const destination = istioPeer(pod('reviews-v3-6f9d8c7b5a-fghij', { app: 'reviews', version: 'v3' }, 'bookinfo-reviews'), true);
  const service = { host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' };
  metrics.recordTcp('reviews-v3-6f9d8c7b5a-fghij.default', { reporter: 'destination', source, destination, service, responseFlags: '-', connectionSecurityPolicy: 'mutual_tls', receivedBytes: 120, sentBytes: 900 });
  metrics.recordTcp('reviews-v3-6f9d8c7b5a-fghij.default', { reporter: 'destination', source, destination, service, responseFlags: '-', connectionSecurityPolicy: 'mutual_tls', receivedBytes: 80, sentBytes: 100 });
  const page = envoyPrometheusPage(metrics.families('reviews-v3-6f9d8c7b5a-fghij.default'));
  const lines = page.split('\n');
  const opened = lines.find((line) => line.startsWith('istio_tcp_connections_opened_total{'));
  assert.ok(opened?.endsWith('} 2'), opened);
  assert.ok(opened?.includes('destination_cluster="Kubernetes",request_protocol="tcp",response_flags="-",connection_security_policy="mutual_tls"}'), opened);
  assert.ok(!opened?.includes('response_code'), 'TCP metrics carry no response code');
  assert.ok(lines.some((line) => line.startsWith('istio_tcp_connections_closed_total{') && line.endsWith('} 2')));
  assert.ok(lines.some((line) => line.startsWith('istio_tcp_received_bytes_total{') && line.endsWith('} 200')));
  assert.ok(lines.some((line) => line.startsWith('istio_tcp_sent_bytes_total{') && line.endsWith('} 1000')));
  assert.ok(page.includes('# TYPE istio_tcp_sent_bytes_total counter\n'));
  assert.ok(!page.includes('istio_requests_total'), 'no HTTP request was counted');
});

/** The value of a TCP metric's series whose labels contain every fragment. */
function tcpMetric(text: string, name: string, ...fragments: string[]): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && fragments.every((f) => line.includes(f)))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

test('a Service port named tcp: both proxies count connections and bytes, the graph\'s edge is TCP', { skip }, async () => {
  const objects = bookinfo()
    .objects()
    .map((o) => {
      if (o.kind !== 'Service' || (o.metadata as JsonObject).name !== 'reviews') return o;
      const spec = o.spec as JsonObject;
      return { ...o, spec: { ...spec, ports: (spec.ports as JsonObject[]).map((p) => ({ ...p, name: 'tcp' })) } };
    });
  const t = testPlane(objects);
  const productpage = t.podName('default', 'productpage-v1');
  for (let i = 0; i < 2; i++) {
    const result = await t.send({ fromPod: { name: productpage, namespace: 'default' }, url: 'http://reviews:9080/reviews/0' });
    assert.equal(result.response?.status, 200);
  }
  const client = t.plane.prometheusStats?.('default', productpage) ?? '';
  assert.equal(tcpMetric(client, 'istio_tcp_connections_opened_total', 'reporter="source"', 'source_workload="productpage-v1"', 'destination_service="reviews.default.svc.cluster.local"', 'request_protocol="tcp"', 'connection_security_policy="unknown"'), 2);
  assert.equal(requests(client, 'destination_service_name="reviews"'), 0);
  const sentBySource = tcpMetric(client, 'istio_tcp_sent_bytes_total', 'reporter="source"');
  assert.ok(sentBySource > 0);
  // The server side: whichever reviews versions answered, two connections over mTLS with the same bytes.
  const servers = ['reviews-v1', 'reviews-v2', 'reviews-v3'].map((prefix) => t.plane.prometheusStats?.('default', t.podName('default', prefix)) ?? '');
  const opened = servers.reduce((sum, page) => sum + tcpMetric(page, 'istio_tcp_connections_opened_total', 'reporter="destination"', 'source_workload="productpage-v1"', 'source_principal="spiffe://cluster.local/ns/default/sa/bookinfo-productpage"', 'connection_security_policy="mutual_tls"'), 0);
  assert.equal(opened, 2);
  assert.equal(servers.reduce((sum, page) => sum + tcpMetric(page, 'istio_tcp_sent_bytes_total', 'reporter="destination"'), 0), sentBySource);
  const tcpEdges = t.plane.edges().filter((e) => e.sourceWorkload === 'productpage-v1' && e.destinationService === 'reviews.default.svc.cluster.local');
  assert.ok(tcpEdges.length > 0);
  assert.ok(tcpEdges.every((e) => e.protocol === 'tcp' && e.requests === 0 && e.responseCode === 0 && e.mtls));
  assert.equal(tcpEdges.reduce((sum, e) => sum + (e.connections ?? 0), 0), 2);
  assert.equal(tcpEdges.reduce((sum, e) => sum + (e.bytesSent ?? 0), 0), sentBySource);
});
