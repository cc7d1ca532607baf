import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject, type JsonObject } from '../../../core/json-object.ts';
import { httpRouteStatus, type RouteStatusInput } from './http-route-status.ts';

const gateway: JsonObject = { metadata: { name: 'bookinfo-gateway', namespace: 'default' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } };
const route = (parentRefs: JsonObject[], backend = 'productpage', status?: JsonObject): JsonObject => ({
  kind: 'HTTPRoute',
  metadata: { name: 'bookinfo', namespace: 'default', generation: 1 },
  spec: { parentRefs, rules: [{ backendRefs: [{ name: backend, port: 9080 }] }] },
  ...(status === undefined ? {} : { status }),
});
const services = new Set(['default/productpage', 'default/reviews']);
const input = (r: JsonObject, overrides: Partial<RouteStatusInput> = {}): RouteStatusInput => ({
  route: r,
  gateways: [gateway],
  serviceExists: (namespace, name) => services.has(`${namespace}/${name}`),
  referenceGrants: [],
  namespaceLabels: () => ({}),
  now: '2026-01-01T00:00:00Z',
  ...overrides,
});
const summary = (status: JsonObject | undefined): string[] =>
  asArray(status?.parents).map(asObject).map((p) => `${JSON.stringify(p.parentRef)} ${asArray(p.conditions).map((c) => `${String(asObject(c).type)}=${String(asObject(c).status)}:${String(asObject(c).reason)}:${String(asObject(c).message)}`).join(' | ')}`);

describe('httpRouteStatus', () => {
  it('accepts a route on an istio Gateway with resolved backends', () => {
    const status = httpRouteStatus(input(route([{ name: 'bookinfo-gateway' }])));
    assert.deepEqual(summary(status), ['{"group":"gateway.networking.k8s.io","kind":"Gateway","name":"bookinfo-gateway"} Accepted=True:Accepted:Route was valid | ResolvedRefs=True:ResolvedRefs:All references resolved']);
    assert.equal(asObject(asArray(status?.parents)[0]).controllerName, 'istio.io/gateway-controller');
  });

  it('reports missing backends and cross-namespace references without a ReferenceGrant', () => {
    assert.deepEqual(summary(httpRouteStatus(input(route([{ name: 'bookinfo-gateway' }], 'nowhere')))).map((line) => line.split(' | ')[1]), ['ResolvedRefs=False:BackendNotFound:backend(nowhere.default.svc.cluster.local) not found']);
    const crossing = { ...route([{ name: 'bookinfo-gateway' }]), spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules: [{ backendRefs: [{ name: 'db', namespace: 'data', port: 5432 }] }] } };
    assert.deepEqual(summary(httpRouteStatus(input(crossing))).map((line) => line.split(' | ')[1]), ['ResolvedRefs=False:RefNotPermitted:backendRef db/data not accessible to a HTTPRoute in namespace "default" (missing a ReferenceGrant?)']);
  });

  it('answers for Service parents (mesh routing) and skips parents it does not control', () => {
    const status = httpRouteStatus(input(route([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }, { name: 'someone-elses' }])));
    assert.deepEqual(summary(status).map((line) => line.split(' ')[0]), ['{"group":"","kind":"Service","name":"reviews","port":9080}']);
    assert.equal(httpRouteStatus(input(route([{ name: 'someone-elses' }]))), undefined);
  });

  it('refuses a listener the route names but the Gateway lacks', () => {
    const [line] = summary(httpRouteStatus(input(route([{ name: 'bookinfo-gateway', sectionName: 'https' }]))));
    assert.match(line ?? '', / Accepted=False:NoMatchingParent:sectionName "https" not found \| ResolvedRefs=True/);
  });

  it('keeps the entries other controllers wrote and its own transition times', () => {
    const first = httpRouteStatus(input(route([{ name: 'bookinfo-gateway' }]))) as JsonObject;
    const foreign = { controllerName: 'example.com/other', parentRef: { name: 'x' }, conditions: [] };
    const again = httpRouteStatus(input(route([{ name: 'bookinfo-gateway' }], 'productpage', { parents: [foreign, ...asArray(first.parents)] }), { now: '2026-01-02T00:00:00Z' }));
    assert.deepEqual(again, { parents: [foreign, ...asArray(first.parents)] });
  });
});
