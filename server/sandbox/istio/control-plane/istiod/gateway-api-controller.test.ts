import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asObject, readPath } from '../../../core/json-object.ts';
import { containsSubset, reconcileGatewayApi } from './gateway-api-controller.ts';
import { applyObject, createTestApi, installGatewayApi, installIstio, setIstiodReady } from './istiod.test-support.ts';

const bookinfoGateway = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: 'default' },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
};

function setup() {
  const t = createTestApi();
  installIstio(t.api);
  installGatewayApi(t.api);
  return {
    ...t,
    gatewayClasses: t.api.resource('gateway.networking.k8s.io', 'v1', 'gatewayclasses'),
    gateways: t.api.resource('gateway.networking.k8s.io', 'v1', 'gateways'),
    services: t.api.resource('', 'v1', 'services'),
    deployments: t.api.resource('apps', 'v1', 'deployments'),
  };
}

describe('reconcileGatewayApi', () => {
  it('waits for a ready istiod, then creates the built-in GatewayClasses', () => {
    const { api, gatewayClasses } = setup();
    reconcileGatewayApi(api);
    assert.equal(api.list(gatewayClasses, undefined).items.length, 0);
    setIstiodReady(api, true);
    reconcileGatewayApi(api);
    const classes = api.list(gatewayClasses, undefined).items;
    assert.deepEqual(classes.map((c) => `${String(asObject(c.metadata).name)} ${String(readPath(c, ['spec', 'controllerName']))}`), ['istio istio.io/gateway-controller', 'istio-remote istio.io/unmanaged-gateway']);
    assert.equal(readPath(classes[0], ['status', 'conditions', '0', 'message']), 'Handled by Istio controller');
  });

  it('deploys a Gateway, writes its status, and settles: a second pass writes nothing', () => {
    const { api, gateways, services, deployments } = setup();
    setIstiodReady(api, true);
    reconcileGatewayApi(api);
    applyObject(api, bookinfoGateway);
    reconcileGatewayApi(api);
    assert.ok(api.tryGet(deployments, 'default', 'bookinfo-gateway-istio'));
    assert.equal(readPath(api.get(services, 'default', 'bookinfo-gateway-istio'), ['spec', 'type']), 'LoadBalancer');
    const gateway = api.get(gateways, 'default', 'bookinfo-gateway');
    assert.equal(readPath(gateway, ['status', 'conditions', '1', 'reason']), 'AddressNotAssigned');
    const version = api.store.resourceVersion;
    reconcileGatewayApi(api);
    assert.equal(api.store.resourceVersion, version);
  });

  it('follows the service-type annotation onto the existing Service', () => {
    const { api, gateways, services } = setup();
    setIstiodReady(api, true);
    reconcileGatewayApi(api);
    applyObject(api, bookinfoGateway);
    reconcileGatewayApi(api);
    api.patch(gateways, 'default', 'bookinfo-gateway', 'merge', JSON.stringify({ metadata: { annotations: { 'networking.istio.io/service-type': 'ClusterIP' } } }));
    reconcileGatewayApi(api);
    assert.equal(readPath(api.get(services, 'default', 'bookinfo-gateway-istio'), ['spec', 'type']), 'ClusterIP');
    const gateway = api.get(gateways, 'default', 'bookinfo-gateway');
    assert.deepEqual(readPath(gateway, ['status', 'addresses']), [{ type: 'Hostname', value: 'bookinfo-gateway-istio.default.svc.cluster.local' }]);
    assert.equal(readPath(gateway, ['status', 'conditions', '1', 'status']), 'True');
  });

  it('leaves Gateways of other classes alone', () => {
    const { api, gateways, deployments } = setup();
    setIstiodReady(api, true);
    reconcileGatewayApi(api);
    applyObject(api, { ...bookinfoGateway, spec: { ...bookinfoGateway.spec, gatewayClassName: 'nginx' } });
    reconcileGatewayApi(api);
    assert.equal(api.tryGet(deployments, 'default', 'bookinfo-gateway-nginx'), undefined);
    assert.ok(!JSON.stringify(api.get(gateways, 'default', 'bookinfo-gateway').status ?? {}).includes('Resource accepted'));
  });
});

describe('containsSubset', () => {
  it('compares objects by the desired keys and arrays element by element', () => {
    assert.equal(containsSubset({ a: 1, b: { c: [{ d: 1, e: 2 }] } }, { b: { c: [{ d: 1 }] } }), true);
    assert.equal(containsSubset({ b: { c: [{ d: 1 }, { d: 2 }] } }, { b: { c: [{ d: 1 }] } }), false);
    assert.equal(containsSubset({ a: 'LoadBalancer' }, { a: 'ClusterIP' }), false);
  });
});
