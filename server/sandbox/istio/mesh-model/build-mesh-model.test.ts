import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import { buildMeshModel, changedProxies, type MeshModel } from './build-mesh-model.ts';
import { clientUsesMtls } from './build-clusters.ts';
import { bookinfo, clusterBuilder, ingressGateway, kubeGatewayDeployment, loadSample, namespace } from './mesh-fixtures.test-support.ts';
import type { ProxyConfig, Route, RouteConfig } from './proxy-config.ts';

function sidecar(model: MeshModel, prefix: string): ProxyConfig {
  const found = model.proxies.find((p) => p.proxy.podName.startsWith(prefix));
  assert.ok(found, `no proxy for ${prefix}`);
  return found;
}

function vhostRoutes(config: ProxyConfig, routeName: string, vhostName: string): Route[] {
  const rc = config.routes.find((r: RouteConfig) => r.name === routeName);
  assert.ok(rc, `no route config ${routeName}`);
  const vh = rc.virtualHosts.find((v) => v.name === vhostName);
  assert.ok(vh, `no vhost ${vhostName} in ${rc.virtualHosts.map((v) => v.name).join(',')}`);
  return vh.routes;
}

function clustersOf(route: Route): Array<[string, number]> {
  assert.equal(route.action.kind, 'route');
  return route.action.kind === 'route' ? route.action.clusters.map((c) => [c.cluster, c.weight]) : [];
}

describe('proxies', { skip: istioSamplesMissing }, () => {
  it('lists injected Bookinfo pods and the ingress gateway, with SPIFFE identities', () => {
    const model = buildMeshModel(bookinfo().objects());
    assert.equal(model.proxies.length, 7);
    const gateway = model.proxies.find((p) => p.proxy.type === 'router');
    assert.equal(gateway?.proxy.namespace, 'istio-system');
    assert.equal(gateway?.proxy.identity, 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account');
    assert.equal(sidecar(model, 'productpage-v1').proxy.identity, 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
    assert.equal(sidecar(model, 'productpage-v1').proxy.istioVersion, '1.30.3');
    assert.deepEqual(model.proxies.map((p) => p.proxy.id), [...model.proxies.map((p) => p.proxy.id)].sort());
  });

  it('has only the gateway when Bookinfo is not injected', () => {
    const model = buildMeshModel(bookinfo({ injected: false }).objects());
    assert.deepEqual(model.proxies.map((p) => p.proxy.type), ['router']);
  });
});

describe('sidecar routes', { skip: istioSamplesMissing }, () => {
  it('routes every service to its default cluster without VirtualServices, with Istio domains', () => {
    const config = sidecar(buildMeshModel(bookinfo().objects()), 'productpage-v1');
    const routes = vhostRoutes(config, '9080', 'reviews.default.svc.cluster.local:9080');
    assert.equal(routes.length, 1);
    assert.deepEqual(clustersOf(routes[0] as Route), [['outbound|9080||reviews.default.svc.cluster.local', 100]]);
    const rc = config.routes.find((r) => r.name === '9080');
    const vh = rc?.virtualHosts.find((v) => v.name === 'reviews.default.svc.cluster.local:9080');
    for (const domain of ['reviews', 'reviews:9080', 'reviews.default', 'reviews.default.svc.cluster.local']) assert.ok(vh?.domains.includes(domain), domain);
    assert.ok(vh?.domains.some((d) => /^10\.96\.0\.\d+$/.test(d)));
    assert.equal(routes[0]?.action.kind === 'route' && routes[0].action.retries.attempts, 2);
    const listener = config.listeners.find((l) => l.name === '0.0.0.0_9080');
    assert.equal(listener?.routeConfigName, '9080');
  });

  it('sends everything to v1 with virtual-service-all-v1 + destination-rule-all', () => {
    const model = buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-all-v1.yaml'] }).objects());
    const config = sidecar(model, 'productpage-v1');
    const routes = vhostRoutes(config, '9080', 'reviews.default.svc.cluster.local:9080');
    assert.deepEqual(clustersOf(routes[0] as Route), [['outbound|9080|v1|reviews.default.svc.cluster.local', 100]]);
    assert.deepEqual(routes[0]?.source, { kind: 'VirtualService', name: 'reviews', namespace: 'default' });
    const v1 = config.clusters.find((c) => c.name === 'outbound|9080|v1|reviews.default.svc.cluster.local');
    assert.equal(v1?.destinationRule, 'reviews.default');
    const eps = config.endpoints.find((e) => e.cluster === 'outbound|9080|v1|reviews.default.svc.cluster.local')?.endpoints ?? [];
    assert.equal(eps.length, 1);
    assert.match(eps[0]?.podName ?? '', /^reviews-v1-/);
    assert.equal(config.endpoints.find((e) => e.cluster === 'outbound|9080||reviews.default.svc.cluster.local')?.endpoints.length, 3);
  });

  it('matches jason by header and falls back to v1', () => {
    const model = buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-reviews-test-v2.yaml'] }).objects());
    const routes = vhostRoutes(sidecar(model, 'productpage-v1'), '9080', 'reviews.default.svc.cluster.local:9080');
    assert.equal(routes.length, 2);
    assert.deepEqual(routes[0]?.match.headers, [{ name: 'end-user', match: { kind: 'exact', value: 'jason' }, invert: false }]);
    assert.deepEqual(clustersOf(routes[0] as Route), [['outbound|9080|v2|reviews.default.svc.cluster.local', 100]]);
    assert.deepEqual(routes[1]?.match.headers, []);
    assert.deepEqual(clustersOf(routes[1] as Route), [['outbound|9080|v1|reviews.default.svc.cluster.local', 100]]);
  });

  it('splits 50/50 between v1 and v3', () => {
    const model = buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-reviews-50-v3.yaml'] }).objects());
    const routes = vhostRoutes(sidecar(model, 'productpage-v1'), '9080', 'reviews.default.svc.cluster.local:9080');
    assert.deepEqual(clustersOf(routes[0] as Route), [
      ['outbound|9080|v1|reviews.default.svc.cluster.local', 50],
      ['outbound|9080|v3|reviews.default.svc.cluster.local', 50],
    ]);
  });

  it('carries the 7s delay and the 500 abort for jason on ratings', () => {
    const delay = buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-ratings-test-delay.yaml'] }).objects());
    const routes = vhostRoutes(sidecar(delay, 'reviews-v2'), '9080', 'ratings.default.svc.cluster.local:9080');
    assert.deepEqual(routes[0]?.fault, { delay: { fixedDelayMs: 7000, percentage: 100 } });
    assert.equal(routes[1]?.fault, undefined);
    const abort = buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml', 'bookinfo/networking/virtual-service-ratings-test-abort.yaml'] }).objects());
    assert.deepEqual(vhostRoutes(sidecar(abort, 'reviews-v2'), '9080', 'ratings.default.svc.cluster.local:9080')[0]?.fault, { abort: { httpStatus: 500, percentage: 100 } });
  });

  it('translates timeouts, retries, rewrites, redirects, mirrors and headers', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        hosts: ['reviews'],
        http: [
          { match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', redirectCode: 302 } },
          { match: [{ uri: { regex: '/r/.*' }, method: { exact: 'GET' }, queryParams: { a: { exact: 'b' } } }], rewrite: { uri: '/' }, route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
          {
            route: [{ destination: { host: 'reviews', subset: 'v1' } }],
            timeout: '0.5s',
            retries: { attempts: 3, perTryTimeout: '2s', retryOn: 'gateway-error,503' },
            mirror: { host: 'reviews', subset: 'v3' },
            mirrorPercentage: { value: 25 },
            headers: { request: { set: { 'X-Test': 'yes' } }, response: { remove: ['foo'] } },
          },
        ],
      },
    };
    const model = buildMeshModel(bookinfo({ extra: ['bookinfo/networking/destination-rule-all.yaml'] }).add(vs).objects());
    const routes = vhostRoutes(sidecar(model, 'productpage-v1'), '9080', 'reviews.default.svc.cluster.local:9080');
    assert.deepEqual(routes[0]?.action, { kind: 'redirect', redirect: { status: 302, uri: '/new' } });
    assert.deepEqual(routes[1]?.match.path, { kind: 'regex', value: '/r/.*' });
    assert.deepEqual(routes[1]?.match.method, { kind: 'exact', value: 'GET' });
    assert.deepEqual(routes[1]?.match.queryParams, [{ name: 'a', match: { kind: 'exact', value: 'b' }, invert: false }]);
    assert.equal(routes[1]?.action.kind === 'route' && routes[1].action.rewrite?.uri, '/');
    const last = routes[2]?.action;
    assert.ok(last?.kind === 'route');
    assert.equal(last.timeoutMs, 500);
    assert.deepEqual(last.retries, { attempts: 3, perTryTimeoutMs: 2000, retryOn: ['gateway-error', 'retriable-status-codes'], retriableStatusCodes: [503] });
    assert.deepEqual(last.mirrors, [{ cluster: 'outbound|9080|v3|reviews.default.svc.cluster.local', host: 'reviews.default.svc.cluster.local', port: 9080, subset: 'v3', percentage: 25 }]);
    assert.deepEqual(routes[2]?.headers.request.set, { 'x-test': 'yes' });
    assert.deepEqual(routes[2]?.headers.response.remove, ['foo']);
  });

  it('uses a Service-attached HTTPRoute (GAMMA) with bookinfo-versions backends', () => {
    const model = buildMeshModel(bookinfo({ extra: ['bookinfo/platform/kube/bookinfo-versions.yaml', 'bookinfo/gateway-api/route-reviews-50-v3.yaml'] }).objects());
    const routes = vhostRoutes(sidecar(model, 'productpage-v1'), '9080', 'reviews.default.svc.cluster.local:9080');
    assert.deepEqual(clustersOf(routes[0] as Route), [
      ['outbound|9080||reviews-v1.default.svc.cluster.local', 50],
      ['outbound|9080||reviews-v3.default.svc.cluster.local', 50],
    ]);
    assert.equal(routes[0]?.source.kind, 'HTTPRoute');
  });
});

describe('gateways', { skip: istioSamplesMissing }, () => {
  it('binds the httpbin Gateway on 8080 with the VirtualService routes', () => {
    const objects = clusterBuilder()
      .add(namespace('default', { 'istio-injection': 'enabled' }), ...ingressGateway(), ...loadSample('httpbin/httpbin.yaml'), ...loadSample('httpbin/httpbin-gateway.yaml'))
      .objects();
    const model = buildMeshModel(objects);
    const gateway = model.proxies.find((p) => p.proxy.type === 'router');
    assert.ok(gateway);
    const listener = gateway.listeners.find((l) => l.port === 8080);
    assert.equal(listener?.routeConfigName, 'http.8080');
    const rc = gateway.routes.find((r) => r.name === 'http.8080');
    assert.equal(rc?.virtualHosts.length, 1);
    assert.equal(rc?.virtualHosts[0]?.name, '*:80');
    assert.deepEqual(rc?.virtualHosts[0]?.domains, ['*']);
    const first = rc?.virtualHosts[0]?.routes[0];
    assert.ok(first?.action.kind === 'route');
    assert.equal(first.action.clusters[0]?.cluster, 'outbound|8000||httpbin.default.svc.cluster.local');
  });

  it('answers every host with 404 when a Gateway has no VirtualService', () => {
    const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'default' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } };
    const model = buildMeshModel(clusterBuilder().add(namespace('default'), ...ingressGateway(), gw).objects());
    const rc = model.proxies[0]?.routes.find((r) => r.name === 'http.8080');
    assert.deepEqual(rc?.virtualHosts, [{ name: 'blackhole:80', domains: ['*'], routes: [] }]);
  });

  it('configures the Gateway API bookinfo-gateway deployment from the HTTPRoute', () => {
    const model = buildMeshModel(bookinfo({ extra: ['bookinfo/gateway-api/bookinfo-gateway.yaml'] }).add(...kubeGatewayDeployment('bookinfo-gateway', 'default', [80])).objects());
    const gateway = model.proxies.find((p) => p.proxy.gatewayKind === 'gateway-api');
    assert.ok(gateway);
    assert.equal(gateway.proxy.gatewayName, 'bookinfo-gateway');
    const routes = vhostRoutes(gateway, 'http.80', '*:80');
    assert.deepEqual(
      routes.map((r) => r.match.path),
      [
        { kind: 'exact', value: '/productpage' },
        { kind: 'exact', value: '/logout' },
        { kind: 'exact', value: '/login' },
        { kind: 'pathPrefix', value: '/api/v1/products' },
        { kind: 'pathPrefix', value: '/static' },
      ],
    );
    assert.deepEqual(clustersOf(routes[0] as Route), [['outbound|9080||productpage.default.svc.cluster.local', 1]]);
  });
});

describe('mTLS and authorization', { skip: istioSamplesMissing }, () => {
  it('uses auto mTLS toward sidecars and plaintext toward pods without one', () => {
    const objects = clusterBuilder()
      .add(namespace('foo', { 'istio-injection': 'enabled' }), namespace('legacy'))
      .add(...loadSample('httpbin/httpbin.yaml', 'foo'), ...loadSample('curl/curl.yaml', 'foo'), ...loadSample('httpbin/httpbin.yaml', 'legacy'))
      .objects();
    const config = sidecar(buildMeshModel(objects), 'curl');
    const foo = config.clusters.find((c) => c.name === 'outbound|8000||httpbin.foo.svc.cluster.local');
    const legacy = config.clusters.find((c) => c.name === 'outbound|8000||httpbin.legacy.svc.cluster.local');
    assert.equal(foo?.tls.mode, 'AUTO');
    const fooEp = config.endpoints.find((e) => e.cluster === foo?.name)?.endpoints[0];
    const legacyEp = config.endpoints.find((e) => e.cluster === legacy?.name)?.endpoints[0];
    assert.ok(foo && fooEp && legacy && legacyEp);
    assert.equal(clientUsesMtls(foo, fooEp), true);
    assert.equal(fooEp.port, 8080);
    assert.equal(fooEp.identity, 'spiffe://cluster.local/ns/foo/sa/httpbin');
    assert.equal(clientUsesMtls(legacy, legacyEp), false);
  });

  it('gives inbound ports the namespace STRICT mode, and mesh-wide STRICT elsewhere', () => {
    const strict = (ns: string) => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: ns }, spec: { mtls: { mode: 'STRICT' } } });
    const base = () => clusterBuilder().add(namespace('foo', { 'istio-injection': 'enabled' }), namespace('bar', { 'istio-injection': 'enabled' }), ...loadSample('httpbin/httpbin.yaml', 'foo'), ...loadSample('httpbin/httpbin.yaml', 'bar'));
    const nsModel = buildMeshModel(base().add(strict('foo')).objects());
    const inboundMode = (model: MeshModel, ns: string) => model.proxies.find((p) => p.proxy.namespace === ns)?.listeners.find((l) => l.name === 'virtualInbound')?.inbound?.[0];
    assert.deepEqual(inboundMode(nsModel, 'foo')?.mtls, { mode: 'STRICT', policies: ['default.foo'] });
    assert.equal(inboundMode(nsModel, 'foo')?.port, 8080);
    assert.equal(inboundMode(nsModel, 'bar')?.mtls.mode, 'PERMISSIVE');
    const meshModel = buildMeshModel(base().add(namespace('istio-system'), strict('istio-system')).objects());
    assert.equal(inboundMode(meshModel, 'bar')?.mtls.mode, 'STRICT');
    assert.deepEqual(changedProxies(nsModel, meshModel).length, 2);
  });

  it('attaches namespace AuthorizationPolicies to every workload and selector ones to theirs', () => {
    const allowNothing = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'default' }, spec: {} };
    const viewer = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'productpage-viewer', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'productpage' } }, action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] } };
    const model = buildMeshModel(bookinfo().add(allowNothing, viewer).objects());
    assert.deepEqual(sidecar(model, 'productpage-v1').authorization.map((p) => p.name), ['allow-nothing', 'productpage-viewer']);
    assert.deepEqual(sidecar(model, 'reviews-v1').authorization.map((p) => p.name), ['allow-nothing']);
    assert.equal(sidecar(model, 'reviews-v1').authorization[0]?.rules, undefined);
  });
});

describe('versions', { skip: istioSamplesMissing }, () => {
  it('are stable for the same snapshot and change only for proxies whose config changed', () => {
    const before = buildMeshModel(bookinfo().objects());
    const again = buildMeshModel(bookinfo().objects());
    assert.deepEqual(changedProxies(before, again), []);
    const selected = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'ratings-viewer', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'ratings' } }, rules: [{}] } };
    const after = buildMeshModel(bookinfo().add(selected).objects());
    const changed = changedProxies(before, after);
    assert.equal(changed.length, 1);
    assert.match(changed[0] ?? '', /^ratings-v1-.*\.default$/);
    const r1 = sidecar(before, 'ratings-v1');
    const r2 = sidecar(after, 'ratings-v1');
    assert.equal(r1.versions.CDS, r2.versions.CDS);
    assert.notEqual(r1.versions.LDS, r2.versions.LDS);
  });
});

describe('circuit-breaking policy on clusters', { skip: istioSamplesMissing }, () => {
  it('carries connectionPool and outlierDetection, with subset and port-level overrides', () => {
    const rule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'default' },
      spec: {
        host: 'reviews',
        trafficPolicy: {
          connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } },
          portLevelSettings: [{ port: { number: 9080 }, outlierDetection: { consecutive5xxErrors: 2, baseEjectionTime: '1m' } }],
        },
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { connectionPool: { http: { http2MaxRequests: 7 } } } },
        ],
      },
    };
    const config = sidecar(buildMeshModel(bookinfo().add(rule).objects()), 'productpage');
    const cluster = (name: string) => config.clusters.find((c) => c.name === name)?.trafficPolicy;
    const all = cluster('outbound|9080||reviews.default.svc.cluster.local');
    assert.deepEqual(all?.connectionPool, { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } });
    assert.deepEqual(all?.outlierDetection, { consecutive5xxErrors: 2, baseEjectionTime: '1m' });
    assert.deepEqual(cluster('outbound|9080|v1|reviews.default.svc.cluster.local')?.connectionPool, { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } });
    // A subset's connectionPool replaces the top-level one as a whole (istiod's MergeTrafficPolicy).
    assert.deepEqual(cluster('outbound|9080|v2|reviews.default.svc.cluster.local')?.connectionPool, { http: { http2MaxRequests: 7 } });
    assert.deepEqual(cluster('outbound|9080|v2|reviews.default.svc.cluster.local')?.outlierDetection, { consecutive5xxErrors: 2, baseEjectionTime: '1m' });
  });
});

describe('outbound traffic policy', { skip: istioSamplesMissing }, () => {
  const registryOnly = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n' } };
  const catchAll = (config: ProxyConfig, port: string) => config.routes.find((r) => r.name === port)?.virtualHosts.at(-1);

  it('ALLOW_ANY by default: unknown hosts and addresses pass through', () => {
    const productpage = sidecar(buildMeshModel(bookinfo().objects()), 'productpage');
    assert.equal(productpage.listeners.find((l) => l.name === 'virtualOutbound')?.cluster, 'PassthroughCluster');
    assert.equal(catchAll(productpage, '9080')?.name, 'allow_any');
    assert.deepEqual(clustersOf(catchAll(productpage, '9080')?.routes[0] as Route), [['PassthroughCluster', 100]]);
  });

  it('REGISTRY_ONLY: block_all answers 502 and other connections go to the BlackHoleCluster', () => {
    const productpage = sidecar(buildMeshModel(bookinfo().add(registryOnly).objects()), 'productpage');
    assert.equal(productpage.listeners.find((l) => l.name === 'virtualOutbound')?.cluster, 'BlackHoleCluster');
    const blockAll = catchAll(productpage, '9080');
    assert.equal(blockAll?.name, 'block_all');
    assert.deepEqual(blockAll?.domains, ['*']);
    assert.deepEqual(blockAll?.routes[0]?.action, { kind: 'direct-response', status: 502, body: '' });
  });

  it('a ServiceEntry with resolution DNS has its host as the one endpoint', () => {
    const entry = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'httpbin-ext', namespace: 'default' }, spec: { hosts: ['httpbin.org'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }], resolution: 'DNS', location: 'MESH_EXTERNAL' } };
    const productpage = sidecar(buildMeshModel(bookinfo().add(registryOnly, entry).objects()), 'productpage');
    assert.equal(productpage.clusters.find((c) => c.name === 'outbound|80||httpbin.org')?.type, 'STRICT_DNS');
    assert.deepEqual(productpage.endpoints.find((g) => g.cluster === 'outbound|80||httpbin.org')?.endpoints.map((e) => `${e.address}:${e.port}`), ['httpbin.org:80']);
    assert.ok(productpage.routes.find((r) => r.name === '80')?.virtualHosts.some((v) => v.name === 'httpbin.org:80'));
  });
});
