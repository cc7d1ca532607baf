// The ingress (httpbin), mutual TLS migration and HTTP authorization tasks from the Istio docs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import type { JsonObject } from '../../core/json-object.ts';
import { curlFailure } from '../../network/curl-failure.ts';
import { bookinfo, clusterBuilder, ingressGateway, kubeGatewayDeployment, loadSample, namespace } from '../mesh-model/mesh-fixtures.test-support.ts';
import { testPlane, type TestPlane } from './data-plane.test-support.ts';

const skip = istioSamplesMissing;

function yamlObjects(text: string, ns = 'default'): JsonObject[] {
  return parseAllDocuments(text).map((d) => {
    const object = d.toJS() as JsonObject;
    const meta = object.metadata as JsonObject;
    meta.namespace ??= ns;
    return object;
  });
}

function service(objects: readonly JsonObject[], ns: string, name: string): JsonObject {
  const found = objects.find((o) => o.kind === 'Service' && (o.metadata as JsonObject).name === name && (o.metadata as JsonObject).namespace === ns);
  assert.ok(found);
  return found;
}

const HTTPBIN_GATEWAY = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 80
      name: http
      protocol: HTTP
    hosts:
    - "httpbin.example.com"
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - "httpbin.example.com"
  gateways:
  - httpbin-gateway
  http:
  - match:
    - uri:
        prefix: /status
    - uri:
        prefix: /delay
    route:
    - destination:
        port:
          number: 8000
        host: httpbin
`;

test('httpbin through the ingress gateway: Host and path decide, server is istio-envoy', { skip }, async () => {
  const objects = clusterBuilder()
    .add(namespace('default', { 'istio-injection': 'enabled' }), ...ingressGateway(), ...loadSample('httpbin/httpbin.yaml'), ...yamlObjects(HTTPBIN_GATEWAY))
    .objects();
  // The load balancer controller gives the ingress Service an external address.
  service(objects, 'istio-system', 'istio-ingressgateway').status = { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } };
  const t = testPlane(objects);
  const ok = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200:80/status/200', headers: { host: 'httpbin.example.com' } });
  assert.equal(ok.response?.status, 200);
  assert.equal(ok.response?.headers.server, 'istio-envoy');
  assert.match(ok.response?.headers['x-envoy-upstream-service-time'] ?? '', /^\d+$/);
  const teapot = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200/status/418', headers: { host: 'httpbin.example.com' } });
  assert.equal(teapot.response?.status, 418);
  const seen = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200/status/200', headers: { host: 'httpbin.example.com' } });
  const appHop = seen.trace.hops.find((h) => h.kind === 'sidecar-inbound');
  assert.equal(appHop?.mtls, true);
  const headersPath = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200/headers', headers: { host: 'httpbin.example.com' } });
  assert.equal(headersPath.response?.status, 404);
  // Envoy's empty local reply, in the order curl prints it: date, server, then content-length 0.
  assert.deepEqual(Object.keys(headersPath.response?.headers ?? {}), ['date', 'server', 'content-length']);
  assert.equal(headersPath.response?.headers['content-length'], '0');
  // A proxied answer keeps the app's headers first; Envoy appends its service time, then server.
  assert.deepEqual(Object.keys(ok.response?.headers ?? {}).slice(-2), ['x-envoy-upstream-service-time', 'server']);
  const otherHost = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200/status/200' });
  assert.equal(otherHost.response?.status, 404);
  // Port 443 has no HTTP server for this Gateway: nothing listens behind it.
  const https = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200:443/status/200', headers: { host: 'httpbin.example.com' } });
  assert.equal(https.error?.code, 'ECONNREFUSED');
});

test('httpbin through a Gateway API gateway with a hostname listener', { skip }, async () => {
  const gatewayApi = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: httpbin-gateway
spec:
  gatewayClassName: istio
  listeners:
  - name: http
    hostname: "httpbin.example.com"
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Same
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: httpbin
spec:
  parentRefs:
  - name: httpbin-gateway
  hostnames: ["httpbin.example.com"]
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /get
    backendRefs:
    - name: httpbin
      port: 8000
`;
  const objects = clusterBuilder()
    .add(namespace('default'), ...loadSample('httpbin/httpbin.yaml'), ...yamlObjects(gatewayApi), ...kubeGatewayDeployment('httpbin-gateway', 'default', [80]))
    .objects();
  const t = testPlane(objects);
  const ip = String((service(objects, 'default', 'httpbin-gateway-istio').spec as JsonObject).clusterIP);
  const ok = await t.send({ fromWorkstation: {}, url: `http://${ip}/get`, headers: { host: 'httpbin.example.com' } });
  assert.equal(ok.response?.status, 200);
  assert.equal(ok.response?.headers.server, 'istio-envoy');
  const seen = (JSON.parse(ok.response?.body ?? '{}') as { headers: Record<string, string[]> }).headers;
  assert.deepEqual(seen['X-Envoy-Internal'], ['true']);
  assert.deepEqual(seen['X-Forwarded-For'], ['10.244.255.254']);
  assert.deepEqual(seen['X-Envoy-Attempt-Count'], ['1']);
  assert.match(seen['X-Request-Id']?.[0] ?? '', /^[0-9a-f-]{36}$/);
  const wrong = await t.send({ fromWorkstation: {}, url: `http://${ip}/get` });
  assert.equal(wrong.response?.status, 404);
});

function mtlsCluster(extra: JsonObject[] = []): JsonObject[] {
  const builder = clusterBuilder().add(namespace('istio-system'));
  for (const ns of ['foo', 'bar']) builder.add(namespace(ns, { 'istio-injection': 'enabled' }), ...loadSample('httpbin/httpbin.yaml', ns), ...loadSample('curl/curl.yaml', ns));
  builder.add(namespace('legacy'), ...loadSample('curl/curl.yaml', 'legacy'), ...loadSample('httpbin/httpbin.yaml', 'legacy'));
  return builder.add(...extra).objects();
}

const strict = (ns: string): JsonObject => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: ns }, spec: { mtls: { mode: 'STRICT' } } });

/** The docs' loop: `curl http://httpbin.${to}:8000/ip -s -o /dev/null -w "curl.${from} to httpbin.${to}: %{http_code}\n"`. */
async function matrix(t: TestPlane): Promise<string[]> {
  const lines: string[] = [];
  for (const from of ['foo', 'bar', 'legacy']) {
    for (const to of ['foo', 'bar']) {
      const result = await t.send({ fromPod: { name: t.podName(from, 'curl-'), namespace: from }, url: `http://httpbin.${to}:8000/ip`, headers: { 'user-agent': 'curl/8.16.0', accept: '*/*' } });
      lines.push(`curl.${from} to httpbin.${to}: ${result.response === undefined ? '000' : String(result.response.status).padStart(3, '0')}`);
      if (result.error !== undefined) lines.push(`command terminated with exit code ${curlFailure(result.error).exitCode}`);
    }
  }
  return lines;
}

test('mTLS migration: the curl-loop matrix, PERMISSIVE, namespace STRICT, mesh-wide STRICT', { skip }, async () => {
  const t = testPlane(mtlsCluster());
  assert.deepEqual(await matrix(t), ['curl.foo to httpbin.foo: 200', 'curl.foo to httpbin.bar: 200', 'curl.bar to httpbin.foo: 200', 'curl.bar to httpbin.bar: 200', 'curl.legacy to httpbin.foo: 200', 'curl.legacy to httpbin.bar: 200']);
  t.setObjects(mtlsCluster([strict('foo')]));
  assert.deepEqual(await matrix(t), [
    'curl.foo to httpbin.foo: 200',
    'curl.foo to httpbin.bar: 200',
    'curl.bar to httpbin.foo: 200',
    'curl.bar to httpbin.bar: 200',
    'curl.legacy to httpbin.foo: 000',
    'command terminated with exit code 56',
    'curl.legacy to httpbin.bar: 200',
  ]);
  const meshConfig: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogFile: /dev/stdout\n' } };
  t.setObjects(mtlsCluster([strict('foo'), meshConfig]));
  await matrix(t);
  const httpbinFoo = t.plane.proxyLogs('foo', t.podName('foo', 'httpbin-'));
  assert.equal(httpbinFoo.filter((l) => l.includes('filter_chain_not_found')).length, 1);
  assert.match(httpbinFoo.find((l) => l.includes('filter_chain_not_found')) ?? '', /^\[[^\]]+\] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - 10\.244\.0\.\d+:8080 10\.244\.0\.\d+:\d+ - -$/);
  t.setObjects(mtlsCluster([strict('istio-system')]));
  assert.deepEqual(await matrix(t), [
    'curl.foo to httpbin.foo: 200',
    'curl.foo to httpbin.bar: 200',
    'curl.bar to httpbin.foo: 200',
    'curl.bar to httpbin.bar: 200',
    'curl.legacy to httpbin.foo: 000',
    'command terminated with exit code 56',
    'curl.legacy to httpbin.bar: 000',
    'command terminated with exit code 56',
  ]);
});

test('auto mTLS evidence: X-Forwarded-Client-Cert to sidecar servers only', { skip }, async () => {
  const t = testPlane(mtlsCluster());
  const curl = t.podName('foo', 'curl-');
  const mesh = await t.send({ fromPod: { name: curl, namespace: 'foo' }, url: 'http://httpbin.foo:8000/headers' });
  const headers = (JSON.parse(mesh.response?.body ?? '{}') as { headers: Record<string, string[]> }).headers;
  const xfcc = headers['X-Forwarded-Client-Cert']?.[0] ?? '';
  assert.match(xfcc, /^By=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/httpbin;Hash=[a-f0-9]{64};Subject="";URI=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/curl$/);
  const legacy = await t.send({ fromPod: { name: curl, namespace: 'foo' }, url: 'http://httpbin.legacy:8000/headers' });
  assert.equal(legacy.response?.status, 200);
  assert.ok(!(legacy.response?.body ?? '').includes('X-Forwarded-Client-Cert'));
});

test('plain clients: refused, unresolved and timed-out requests carry curl exit codes', { skip }, async () => {
  const t = testPlane(mtlsCluster());
  const curl = t.podName('legacy', 'curl-');
  const unknown = await t.send({ fromPod: { name: curl, namespace: 'legacy' }, url: 'http://nope:8000/ip' });
  assert.deepEqual(unknown.error === undefined ? undefined : curlFailure(unknown.error), { exitCode: 6, message: 'Could not resolve host: nope' });
  // The curl Service selects the curl pod, where nothing listens.
  const refused = await t.send({ fromPod: { name: curl, namespace: 'legacy' }, url: 'http://curl/' });
  assert.equal(refused.error === undefined ? undefined : curlFailure(refused.error).exitCode, 7);
  const slow = await t.send({ fromPod: { name: curl, namespace: 'legacy' }, url: 'http://httpbin:8000/delay/5', timeoutMs: 2_000 });
  assert.equal(slow.error?.code, 'ETIMEDOUT');
  assert.equal(slow.elapsedMs, 2_000);
  assert.equal(slow.error === undefined ? undefined : curlFailure(slow.error).message, 'Operation timed out after 2000 milliseconds with 0 bytes received');
  const blackhole = await t.send({ fromPod: { name: curl, namespace: 'legacy' }, url: 'http://10.1.2.3/', connectTimeoutMs: 2_000 }, 100);
  assert.deepEqual(blackhole.error === undefined ? undefined : curlFailure(blackhole.error), { exitCode: 28, message: 'Failed to connect to 10.1.2.3 port 80 after 2000 ms: Timeout was reached' });
  const maxTime = await t.send({ fromPod: { name: curl, namespace: 'legacy' }, url: 'http://10.1.2.3/', timeoutMs: 3_000 }, 100);
  assert.deepEqual(maxTime.error === undefined ? undefined : curlFailure(maxTime.error), { exitCode: 28, message: 'Connection timed out after 3000 milliseconds' });
  // A sidecar client to a non-HTTP port nobody serves: Envoy accepted, then closes without a byte.
  const closed = await t.send({ fromPod: { name: t.podName('foo', 'curl-'), namespace: 'foo' }, url: 'http://10.1.2.3:5432/' }, 1_000);
  assert.deepEqual(closed.error === undefined ? undefined : curlFailure(closed.error), { exitCode: 52, message: 'Empty reply from server' });
  // Through a sidecar the same refused connection is Envoy's 503.
  const viaSidecar = await t.send({ fromPod: { name: t.podName('foo', 'curl-'), namespace: 'foo' }, url: 'http://curl.foo/' });
  assert.equal(viaSidecar.response?.status, 503);
  assert.match(viaSidecar.response?.body ?? '', /^upstream connect error or disconnect\/reset before headers\. (retried and the latest )?reset reason: remote connection failure, transport failure reason: delayed connect error: 111$/);
});

function policy(name: string, spec: JsonObject): JsonObject {
  return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'default' }, spec };
}

const viewer = (name: string, app: string, principal?: string): JsonObject =>
  policy(name, {
    selector: { matchLabels: { app } },
    action: 'ALLOW',
    rules: [{ ...(principal === undefined ? {} : { from: [{ source: { principals: [principal] } }] }), to: [{ operation: { methods: ['GET'] } }] }],
  });

test('authorization: allow-nothing, then productpage, details/reviews and ratings viewers', { skip }, async () => {
  const objects = (...policies: JsonObject[]): JsonObject[] => bookinfo({ extra: ['bookinfo/networking/bookinfo-gateway.yaml'] }).add(...policies).objects();
  const denyAll = policy('allow-nothing', {});
  const t = testPlane(objects(denyAll));
  const ingress = String((service(objects(), 'istio-system', 'istio-ingressgateway').spec as JsonObject).clusterIP);
  const page = (): Promise<{ status: number | undefined; body: string }> => t.send({ fromWorkstation: {}, url: `http://${ingress}/productpage` }).then((r) => ({ status: r.response?.status, body: r.response?.body ?? '' }));

  const denied = await page();
  assert.deepEqual(denied, { status: 403, body: 'RBAC: access denied' });

  t.setObjects(objects(denyAll, viewer('productpage-viewer', 'productpage')));
  const stage1 = await page();
  assert.equal(stage1.status, 200);
  assert.ok(stage1.body.includes('Error fetching product details') && stage1.body.includes('Error fetching product reviews'));

  const productpageSa = 'cluster.local/ns/default/sa/bookinfo-productpage';
  t.setObjects(objects(denyAll, viewer('productpage-viewer', 'productpage'), viewer('details-viewer', 'details', productpageSa), viewer('reviews-viewer', 'reviews', productpageSa)));
  const stage2 = await page();
  assert.ok(stage2.body.includes('PublisherA'));
  assert.ok(stage2.body.includes('Book Reviews'));
  // reviews v1 never calls ratings; keep asking until v2/v3 answer.
  let sawRatingsDown = stage2.body.includes('Ratings service is currently unavailable');
  for (let i = 0; i < 6 && !sawRatingsDown; i++) sawRatingsDown = (await page()).body.includes('Ratings service is currently unavailable');
  assert.ok(sawRatingsDown);

  t.setObjects(
    objects(denyAll, viewer('productpage-viewer', 'productpage'), viewer('details-viewer', 'details', productpageSa), viewer('reviews-viewer', 'reviews', productpageSa), viewer('ratings-viewer', 'ratings', 'cluster.local/ns/default/sa/bookinfo-reviews')),
  );
  let stars = false;
  for (let i = 0; i < 6 && !stars; i++) {
    const body = (await page()).body;
    assert.ok(!body.includes('Ratings service is currently unavailable'));
    stars = body.includes('glyphicon glyphicon-star');
  }
  assert.ok(stars);
});

test('authorization principals need mTLS: a plaintext client is denied by a principal rule', { skip }, async () => {
  const objects = mtlsCluster([
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'only-curl', namespace: 'foo' }, spec: { selector: { matchLabels: { app: 'httpbin' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/foo/sa/curl'] } }] }] } },
  ]);
  const t = testPlane(objects);
  const mesh = await t.send({ fromPod: { name: t.podName('foo', 'curl-'), namespace: 'foo' }, url: 'http://httpbin.foo:8000/ip' });
  assert.equal(mesh.response?.status, 200);
  const legacy = await t.send({ fromPod: { name: t.podName('legacy', 'curl-'), namespace: 'legacy' }, url: 'http://httpbin.foo:8000/ip' });
  assert.equal(legacy.response?.status, 403);
  assert.equal(legacy.response?.body, 'RBAC: access denied');
  const bar = await t.send({ fromPod: { name: t.podName('bar', 'curl-'), namespace: 'bar' }, url: 'http://httpbin.foo:8000/ip' });
  assert.equal(bar.response?.status, 403);
});

test('a TCP service port: no HTTP routing or Envoy headers, denial closes the connection', { skip }, async () => {
  const tcpHttpbin = loadSample('httpbin/httpbin.yaml', 'foo').map((o) => {
    if (o.kind !== 'Service') return o;
    const spec = o.spec as JsonObject;
    return { ...o, spec: { ...spec, ports: (spec.ports as JsonObject[]).map((p) => ({ ...p, name: 'tcp-echo' })) } };
  });
  const builder = clusterBuilder().add(namespace('istio-system'), namespace('foo', { 'istio-injection': 'enabled' }), ...tcpHttpbin, ...loadSample('curl/curl.yaml', 'foo'));
  const t = testPlane(builder.objects());
  const curl = t.podName('foo', 'curl-');
  const ok = await t.send({ fromPod: { name: curl, namespace: 'foo' }, url: 'http://httpbin.foo:8000/headers' });
  assert.equal(ok.response?.status, 200);
  assert.notEqual(ok.response?.headers.server, 'istio-envoy');
  assert.ok(!(ok.response?.body ?? '').includes('X-Forwarded-Client-Cert'));
  assert.ok(ok.trace.hops.some((h) => h.kind === 'sidecar-outbound' && h.listener?.endsWith('_8000') === true && h.listener !== '0.0.0.0_8000'));
  const deny: JsonObject = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-all', namespace: 'foo' }, spec: { action: 'DENY', rules: [{}] } };
  t.setObjects(clusterBuilder().add(namespace('istio-system'), namespace('foo', { 'istio-injection': 'enabled' }), ...tcpHttpbin, ...loadSample('curl/curl.yaml', 'foo'), deny).objects());
  const denied = await t.send({ fromPod: { name: t.podName('foo', 'curl-'), namespace: 'foo' }, url: 'http://httpbin.foo:8000/headers' });
  assert.equal(denied.error?.code, 'EMPTY_REPLY');
});

test('a TCP service port is logged per connection: "- - -" lines with bytes, and the RBAC denial as termination details', { skip }, async () => {
  const tcpHttpbin = loadSample('httpbin/httpbin.yaml', 'foo').map((o) => {
    if (o.kind !== 'Service') return o;
    const spec = o.spec as JsonObject;
    return { ...o, spec: { ...spec, ports: (spec.ports as JsonObject[]).map((p) => ({ ...p, name: 'tcp-echo' })) } };
  });
  const meshConfig: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogFile: /dev/stdout\n' } };
  const objects = (...extra: JsonObject[]): JsonObject[] =>
    clusterBuilder().add(namespace('istio-system'), namespace('foo', { 'istio-injection': 'enabled' }), meshConfig, ...tcpHttpbin, ...loadSample('curl/curl.yaml', 'foo'), ...extra).objects();
  const t = testPlane(objects());
  const curl = t.podName('foo', 'curl-');
  const httpbin = t.podName('foo', 'httpbin-');
  const ok = await t.send({ fromPod: { name: curl, namespace: 'foo' }, url: 'http://httpbin.foo:8000/headers' });
  assert.equal(ok.response?.status, 200);
  const client = t.plane.proxyLogs('foo', curl);
  assert.equal(client.length, 1);
  assert.match(client[0] ?? '', /^\[2026-11-24T01:02:03\.\d{3}Z\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "10\.244\.\d+\.\d+:8080" outbound\|8000\|\|httpbin\.foo\.svc\.cluster\.local 10\.244\.\d+\.\d+:\d+ 10\.96\.\d+\.\d+:8000 10\.244\.\d+\.\d+:\d+ - -$/);
  const server = t.plane.proxyLogs('foo', httpbin);
  assert.equal(server.length, 1);
  assert.match(server[0] ?? '', /^\[\S+\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "10\.244\.\d+\.\d+:8080" inbound\|8080\|\| 127\.0\.0\.6:\d+ 10\.244\.\d+\.\d+:8080 10\.244\.\d+\.\d+:\d+ outbound_\.8000_\._\.httpbin\.foo\.svc\.cluster\.local -$/);
  // Bytes are what crossed the wire, headers included, so the server sent more than the body.
  const [received, sent] = (server[0] ?? '').split('"-" ')[1]?.split(' ').map(Number) ?? [];
  assert.ok((received ?? 0) > 0 && (sent ?? 0) > Buffer.byteLength(ok.response?.body ?? ''));

  const deny: JsonObject = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'deny-all', namespace: 'foo' }, spec: { action: 'DENY', rules: [{}] } };
  t.setObjects(objects(deny));
  const denied = await t.send({ fromPod: { name: curl, namespace: 'foo' }, url: 'http://httpbin.foo:8000/headers' });
  assert.equal(denied.error?.code, 'EMPTY_REPLY');
  assert.match(t.plane.proxyLogs('foo', httpbin).at(-1) ?? '', /"- - -" 0 - - rbac_access_denied_matched_policy\[ns\[foo\]-policy\[deny-all\]-rule\[0\]\] "-" 0 0 \d+ /);
});

test('Gateway API: allow-nothing also blocks the gateway pods in default until a viewer policy lets GET through', { skip }, async () => {
  const objects = (...policies: JsonObject[]): JsonObject[] =>
    bookinfo({ extra: ['bookinfo/gateway-api/bookinfo-gateway.yaml'] })
      .add(...kubeGatewayDeployment('bookinfo-gateway', 'default', [80]), ...policies)
      .objects();
  const denyAll = policy('allow-nothing', {});
  const gatewayViewer = policy('bookinfo-gateway-viewer', { selector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' } }, action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] });
  const t = testPlane(objects(denyAll));
  const url = 'http://bookinfo-gateway-istio.default.svc.cluster.local/productpage';
  const blocked = await t.send({ fromWorkstation: { namespace: 'default' }, url });
  assert.deepEqual([blocked.response?.status, blocked.response?.body, blocked.response?.headers.server], [403, 'RBAC: access denied', 'istio-envoy']);
  assert.deepEqual(Object.keys(blocked.response?.headers ?? {}), ['content-length', 'content-type', 'date', 'server']);
  t.setObjects(objects(denyAll, gatewayViewer, viewer('productpage-viewer', 'productpage')));
  const get = await t.send({ fromWorkstation: { namespace: 'default' }, url });
  assert.equal(get.response?.status, 200);
  const post = await t.send({ fromWorkstation: { namespace: 'default' }, method: 'POST', url: 'http://bookinfo-gateway-istio.default.svc.cluster.local/login', body: 'username=jason' });
  assert.equal(post.response?.status, 403);
});

test('an HTTPS server on the ingress gateway: https is routed, plaintext to port 443 gets an empty reply', { skip }, async () => {
  const secure = `
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: mygateway
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    tls:
      mode: SIMPLE
      credentialName: httpbin-credential
    hosts:
    - httpbin.example.com
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: httpbin
spec:
  hosts:
  - "httpbin.example.com"
  gateways:
  - mygateway
  http:
  - match:
    - uri:
        prefix: /status
    route:
    - destination:
        port:
          number: 8000
        host: httpbin
`;
  const objects = clusterBuilder()
    .add(namespace('default', { 'istio-injection': 'enabled' }), ...ingressGateway(), ...loadSample('httpbin/httpbin.yaml'), ...yamlObjects(secure))
    .objects();
  service(objects, 'istio-system', 'istio-ingressgateway').status = { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } };
  const t = testPlane(objects);
  const teapot = await t.send({ fromWorkstation: {}, url: 'https://172.18.255.200/status/418', headers: { host: 'httpbin.example.com' } });
  assert.equal(teapot.response?.status, 418);
  const plaintext = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200:443/status/418', headers: { host: 'httpbin.example.com' } });
  assert.equal(plaintext.error === undefined ? undefined : curlFailure(plaintext.error).exitCode, 52);
  const noServer = await t.send({ fromWorkstation: {}, url: 'http://172.18.255.200/status/418', headers: { host: 'httpbin.example.com' } });
  assert.equal(noServer.error?.code, 'ECONNREFUSED');
});
