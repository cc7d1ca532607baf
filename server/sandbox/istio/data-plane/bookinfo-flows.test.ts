// Bookinfo as the Istio docs walk through it (getting started, request routing, fault
// injection, traffic shifting), on snapshots built from the real sample manifests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import type { JsonObject } from '../../core/json-object.ts';
import { bookinfo, kubeGatewayDeployment, loadSample } from '../mesh-model/mesh-fixtures.test-support.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { testPlane, type TestPlane } from './data-plane.test-support.ts';

const skip = istioSamplesMissing;
const SORRY_REVIEWS = 'Sorry, product reviews are currently unavailable for this book.';
const RATINGS_DOWN = 'Ratings service is currently unavailable';

/** Bookinfo after `kubectl apply -f` of each sample in order: a later object replaces an earlier one of the same name. */
function applied(paths: string[]): JsonObject[] {
  const byKey = new Map<string, JsonObject>();
  for (const path of paths) {
    for (const object of loadSample(path)) {
      const meta = object.metadata as JsonObject;
      byKey.set(`${String(object.apiVersion)}/${String(object.kind)}/${String(meta.namespace)}/${String(meta.name)}`, object);
    }
  }
  return bookinfo()
    .add(...byKey.values())
    .objects();
}

function reviewsVersion(body: string): 'v1' | 'v2' | 'v3' | 'error' {
  if (body.includes(SORRY_REVIEWS)) return 'error';
  if (body.includes('text-red-500')) return 'v3';
  if (body.includes('text-black-500')) return 'v2';
  assert.match(body, /Reviews served by:/);
  return 'v1';
}

function clusterIp(objects: readonly JsonObject[], namespace: string, name: string): string {
  const service = objects.find((o) => o.kind === 'Service' && (o.metadata as JsonObject).name === name && (o.metadata as JsonObject).namespace === namespace);
  return String((service?.spec as JsonObject).clusterIP);
}

async function fromRatings(t: TestPlane, path: string, headers: Record<string, string> = {}) {
  const ratings = t.podName('default', 'ratings-v1');
  return t.send({ fromPod: { name: ratings, namespace: 'default' }, url: `http://productpage:9080${path}`, headers: { 'user-agent': 'curl/8.16.0', accept: '*/*', ...headers } });
}

/** Logs in through productpage's form and returns the session cookie, as a browser keeps it. */
async function login(t: TestPlane, user: string): Promise<string> {
  const result = await fromRatings(t, '/login', {}).then(() =>
    t.send({
      fromPod: { name: t.podName('default', 'ratings-v1'), namespace: 'default' },
      method: 'POST',
      url: 'http://productpage:9080/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'http://productpage:9080/productpage' },
      body: `username=${user}&passwd=x`,
    }),
  );
  assert.equal(result.response?.status, 302);
  const cookie = result.response?.headers['set-cookie'] ?? '';
  assert.match(cookie, /^session=/);
  return cookie.split(';')[0] as string;
}

async function versionsOver(t: TestPlane, count: number, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const result = await fromRatings(t, '/productpage', headers);
    assert.equal(result.response?.status, 200);
    const version = reviewsVersion(result.response?.body ?? '');
    seen.set(version, (seen.get(version) ?? 0) + 1);
  }
  return seen;
}

test('productpage answers a ratings pod through the sidecars', { skip }, async () => {
  const t = testPlane(bookinfo().objects());
  const result = await fromRatings(t, '/productpage');
  assert.equal(result.error, undefined);
  assert.equal(result.response?.status, 200);
  assert.match(result.response?.body ?? '', /<title>Simple Bookstore App<\/title>/);
  assert.equal(result.response?.headers.server, 'istio-envoy');
  assert.match(result.response?.headers['x-envoy-upstream-service-time'] ?? '', /^\d+$/);
  const hops = result.trace.hops;
  assert.deepEqual(
    hops.filter((h) => h.depth === 0).map((h) => h.kind),
    ['dns', 'sidecar-outbound', 'sidecar-inbound', 'app'],
  );
  assert.ok(hops.some((h) => h.depth === 1 && h.cluster === 'outbound|9080||details.default.svc.cluster.local' && h.mtls === true));
  assert.ok(hops.some((h) => h.depth === 1 && h.cluster === 'outbound|9080||reviews.default.svc.cluster.local'));
});

test('through the ingress gateway (Istio Gateway + VirtualService): routed paths only', { skip }, async () => {
  const objects = applied(['bookinfo/networking/bookinfo-gateway.yaml']);
  const t = testPlane(objects);
  const ingress = clusterIp(objects, 'istio-system', 'istio-ingressgateway');
  const page = await t.send({ fromWorkstation: {}, url: `http://${ingress}/productpage` });
  assert.equal(page.response?.status, 200);
  assert.match(page.response?.body ?? '', /<title>Simple Bookstore App<\/title>/);
  assert.equal(page.response?.headers.server, 'istio-envoy');
  const gatewayHop = page.trace.hops.find((h) => h.kind === 'gateway');
  assert.equal(gatewayHop?.routeSource, 'VirtualService bookinfo.default');
  const other = await t.send({ fromWorkstation: {}, url: `http://${ingress}/health` });
  assert.equal(other.response?.status, 404);
  const edges = t.plane.edges();
  assert.ok(edges.some((e) => e.sourceWorkload === 'istio-ingressgateway' && e.sourceNamespace === 'istio-system' && e.destinationWorkload === 'productpage-v1' && e.responseCode === 200 && e.mtls));
  assert.ok(edges.some((e) => e.sourceWorkload === 'istio-ingressgateway' && e.destinationService === 'unknown' && e.responseCode === 404 && e.flags === 'NR'));
  assert.equal(other.response?.body, '');
  assert.equal(other.trace.hops.find((h) => h.kind === 'gateway')?.flags, 'NR');
});

test('through a Gateway API gateway (bookinfo-gateway-istio)', { skip }, async () => {
  const objects = bookinfo({ extra: ['bookinfo/gateway-api/bookinfo-gateway.yaml'] })
    .add(...kubeGatewayDeployment('bookinfo-gateway', 'default', [80]))
    .objects();
  const t = testPlane(objects);
  const address = clusterIp(objects, 'default', 'bookinfo-gateway-istio');
  const page = await t.send({ fromWorkstation: { namespace: 'default' }, url: `http://bookinfo-gateway-istio.default.svc.cluster.local/productpage` });
  assert.equal(page.response?.status, 200, JSON.stringify(page.trace.hops));
  assert.match(page.response?.body ?? '', /<title>Simple Bookstore App<\/title>/);
  const byIp = await t.send({ fromWorkstation: {}, url: `http://${address}:80/api/v1/products/0` });
  assert.equal(byIp.response?.status, 200);
  assert.equal(byIp.trace.hops.find((h) => h.kind === 'gateway')?.routeSource, 'HTTPRoute bookinfo.default');
  assert.equal((await t.send({ fromWorkstation: {}, url: `http://${address}/staticx` })).response?.status, 404);
});

test('without routing rules reviews rotates over v1, v2 and v3', { skip }, async () => {
  const t = testPlane(bookinfo().objects());
  const seen = await versionsOver(t, 30);
  assert.deepEqual([...seen.keys()].sort(), ['v1', 'v2', 'v3']);
});

test('virtual-service-all-v1: never any stars', { skip }, async () => {
  const t = testPlane(applied(['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml']));
  const seen = await versionsOver(t, 20);
  assert.deepEqual([...seen.entries()], [['v1', 20]]);
});

test('subsets without their DestinationRule answer 503 (NC)', { skip }, async () => {
  const t = testPlane(applied(['bookinfo/networking/virtual-service-all-v1.yaml']));
  const page = await fromRatings(t, '/productpage');
  assert.equal(page.response?.status, 503);
  assert.equal(page.response?.headers.server, 'istio-envoy');
  const hop = page.trace.hops.find((h) => h.kind === 'sidecar-outbound');
  assert.equal(hop?.cluster, 'outbound|9080|v1|productpage.default.svc.cluster.local');
  assert.equal(hop?.flags, 'NC');
});

test('reviews-test-v2: jason sees black stars, everybody else none', { skip }, async () => {
  const t = testPlane(applied(['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml']));
  const cookie = await login(t, 'jason');
  const jason = await versionsOver(t, 10, { cookie });
  assert.deepEqual([...jason.entries()], [['v2', 10]]);
  const anonymous = await versionsOver(t, 10);
  assert.deepEqual([...anonymous.entries()], [['v1', 10]]);
  const other = await versionsOver(t, 5, { cookie: await login(t, 'alice') });
  assert.deepEqual([...other.entries()], [['v1', 5]]);
});

test('7 s ratings delay for jason: the page gives up on reviews after about 6 s', { skip }, async () => {
  const t = testPlane(
    applied(['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml', 'bookinfo/networking/virtual-service-ratings-test-delay.yaml']),
  );
  const cookie = await login(t, 'jason');
  const page = await fromRatings(t, '/productpage', { cookie });
  assert.equal(page.response?.status, 200);
  assert.ok(page.response?.body.includes(SORRY_REVIEWS));
  assert.ok(page.elapsedMs >= 5_900 && page.elapsedMs <= 6_500, `took ${page.elapsedMs} ms`);
  assert.ok(page.trace.hops.some((h) => h.fault === 'delay 7000 ms'));
  const anonymous = await fromRatings(t, '/productpage');
  assert.equal(reviewsVersion(anonymous.response?.body ?? ''), 'v1');
  assert.ok(anonymous.elapsedMs < 1_000);
});

test('ratings abort for jason: "Ratings service is currently unavailable", others unaffected', { skip }, async () => {
  const t = testPlane(
    applied(['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml', 'bookinfo/networking/virtual-service-ratings-test-abort.yaml']),
  );
  const cookie = await login(t, 'jason');
  const page = await fromRatings(t, '/productpage', { cookie });
  assert.equal(page.response?.status, 200);
  assert.ok(page.response?.body.includes(RATINGS_DOWN));
  const abortHop = page.trace.hops.find((h) => h.fault !== undefined);
  assert.equal(abortHop?.fault, 'abort 500');
  assert.equal(abortHop?.flags, 'FI');
  const anonymous = await fromRatings(t, '/productpage');
  assert.ok(!(anonymous.response?.body ?? '').includes(RATINGS_DOWN));
});

test('traffic shifting: 50/50 v1/v3, then all v3', { skip }, async () => {
  const base = ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml'];
  const t = testPlane(applied([...base, 'bookinfo/networking/virtual-service-reviews-50-v3.yaml']), 'shift');
  const half = await versionsOver(t, 100);
  assert.deepEqual([...half.keys()].sort(), ['v1', 'v3']);
  // Binomial(100, 0.5): 30..70 holds with overwhelming probability, and the rng is seeded.
  assert.ok((half.get('v3') ?? 0) >= 30 && (half.get('v3') ?? 0) <= 70, `v3 ${half.get('v3')}`);
  t.setObjects(applied([...base, 'bookinfo/networking/virtual-service-reviews-v3.yaml']));
  const all = await versionsOver(t, 100);
  assert.deepEqual([...all.entries()], [['v3', 100]]);
});

test('Gateway API traffic shifting with bookinfo-versions backends', { skip }, async () => {
  const objects = applied(['bookinfo/platform/kube/bookinfo-versions.yaml', 'bookinfo/gateway-api/route-reviews-50-v3.yaml']);
  const t = testPlane(objects, 'gamma');
  const seen = await versionsOver(t, 60);
  assert.deepEqual([...seen.keys()].sort(), ['v1', 'v3']);
});

test('access logs are written only when meshConfig.accessLogFile is set', { skip }, async () => {
  const quiet = testPlane(bookinfo().objects());
  await fromRatings(quiet, '/productpage');
  assert.deepEqual(quiet.plane.proxyLogs('default', quiet.podName('default', 'productpage-v1')), []);
  const meshConfig: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogFile: /dev/stdout\ndefaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\n' } };
  const t = testPlane([...bookinfo().objects(), meshConfig]);
  const page = await fromRatings(t, '/productpage');
  const productpage = t.podName('default', 'productpage-v1');
  const lines = t.plane.proxyLogs('default', productpage);
  const inbound = lines.find((l) => l.includes('inbound|9080||'));
  assert.ok(inbound);
  assert.match(inbound, /^\[2026-11-24T01:02:03\.\d{3}Z\] "GET \/productpage HTTP\/1\.1" 200 - via_upstream - "-" 0 \d+ \d+ \d+ "-" "curl\/8\.16\.0" "[0-9a-f-]{36}" "productpage:9080" "10\.244\.0\.\d+:9080" inbound\|9080\|\| 127\.0\.0\.6:\d+ 10\.244\.0\.\d+:9080 10\.244\.0\.\d+:\d+ outbound_\.9080_\._\.productpage\.default\.svc\.cluster\.local default$/);
  const outbound = lines.find((l) => l.includes('outbound|9080||details.default.svc.cluster.local'));
  assert.ok(outbound);
  assert.match(outbound, /"GET \/details\/0 HTTP\/1\.1" 200 - via_upstream - "-" 0 \d+ \d+ \d+ "-" "[^"]+" "[0-9a-f-]{36}" "details:9080" "10\.244\.0\.\d+:9080" outbound\|9080\|\|details\.default\.svc\.cluster\.local 10\.244\.0\.\d+:\d+ 10\.96\.0\.\d+:9080 10\.244\.0\.\d+:\d+ - default$/);
  // The request id the client sidecar generated is the one productpage's inbound logged.
  assert.ok(page.trace.requestId !== undefined && inbound.includes(page.trace.requestId));
  const edges = t.plane.edges();
  assert.ok(edges.some((e) => e.sourceWorkload === 'productpage-v1' && e.destinationService === 'details.default.svc.cluster.local' && e.destinationVersion === 'v1' && e.mtls && e.responseCode === 200));
  assert.ok(edges.some((e) => e.sourceWorkload === 'ratings-v1' && e.destinationWorkload === 'productpage-v1' && e.requests === 1 && e.latenciesMs.length === 1));
});

test('request timeouts: a 0.5 s reviews timeout against a 2 s ratings delay answers in about 1 s', { skip }, async () => {
  const vs = (name: string, http: JsonObject[]): JsonObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'default' }, spec: { hosts: [name], http } });
  const objects = bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml'] })
    .add(
      vs('reviews', [{ route: [{ destination: { host: 'reviews', subset: 'v2' } }], timeout: '0.5s' }]),
      vs('ratings', [{ fault: { delay: { percentage: { value: 100 }, fixedDelay: '2s' } }, route: [{ destination: { host: 'ratings', subset: 'v1' } }] }]),
    )
    .objects();
  const t = testPlane(objects);
  const page = await fromRatings(t, '/productpage');
  assert.equal(page.response?.status, 200);
  assert.ok(page.response?.body.includes(SORRY_REVIEWS));
  assert.ok(page.elapsedMs >= 950 && page.elapsedMs <= 1_200, `took ${page.elapsedMs} ms`);
  const timedOut = page.trace.hops.filter((h) => h.kind === 'sidecar-outbound' && h.cluster === 'outbound|9080|v2|reviews.default.svc.cluster.local');
  assert.equal(timedOut.length, 2);
  assert.ok(timedOut.every((h) => h.status === 504 && h.flags === 'UT' && h.timedOut === true));
  // The route timeout cut the only try short: it never answered.
  assert.ok(timedOut.every((h) => h.tries === undefined && h.attempts === 1));
});

test('a source pod that is not running is the caller’s error, with a code', { skip }, async () => {
  const t = testPlane(bookinfo().objects());
  await assert.rejects(t.plane.send({ fromPod: { name: 'gone', namespace: 'default' }, url: 'http://productpage:9080/' }), (error: unknown) => error instanceof DataPlaneError && error.code === 'POD_NOT_RUNNING');
});

test('the delay flow as the proxies log it: productpage gives up (DC), reviews still gets ratings after 7 s (DI)', { skip }, async () => {
  const meshConfig: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogFile: /dev/stdout\n' } };
  const t = testPlane([
    ...applied(['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml', 'bookinfo/networking/virtual-service-ratings-test-delay.yaml']),
    meshConfig,
  ]);
  const cookie = await login(t, 'jason');
  const page = await fromRatings(t, '/productpage', { cookie });
  assert.ok(page.response?.body.includes(SORRY_REVIEWS));
  const productpage = t.plane.proxyLogs('default', t.podName('default', 'productpage-v1')).filter((l) => l.includes('/reviews/0'));
  assert.equal(productpage.length, 2);
  assert.ok(productpage.every((l) => /"GET \/reviews\/0 HTTP\/1\.1" 0 DC downstream_remote_disconnect /.test(l)), productpage.join('\n'));
  // The two calls productpage gave up on are on its edge to reviews, as failed requests.
  const gaveUp = t.plane.edges().filter((e) => e.sourceWorkload === 'productpage-v1' && e.destinationService === 'reviews.default.svc.cluster.local' && e.responseCode === 0 && e.flags === 'DC');
  assert.equal(gaveUp.reduce((sum, e) => sum + e.requests, 0), 2);
  await t.idle(5_000, 100);
  const reviews = t.plane.proxyLogs('default', t.podName('default', 'reviews-v2')).filter((l) => l.includes('outbound|9080|v1|ratings.default.svc.cluster.local'));
  assert.equal(reviews.length, 2);
  assert.ok(reviews.every((l) => /"GET \/ratings\/0 HTTP\/1\.1" 200 DI via_upstream - "-" 0 \d+ (700\d|70[1-9]\d) /.test(l)), reviews.join('\n'));
});
