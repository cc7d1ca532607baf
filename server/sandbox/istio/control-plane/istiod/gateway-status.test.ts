import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject, type JsonObject } from '../../../core/json-object.ts';
import { gatewayStatus, type GatewayStatusInput } from './gateway-status.ts';

const gateway: JsonObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: 'default', generation: 2 },
  spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] },
};
const service = (type: string, ingress: object[] = []): JsonObject => ({ metadata: { name: 'bookinfo-gateway-istio', namespace: 'default' }, spec: { type }, status: { loadBalancer: { ingress } } });
const route = (namespace: string, parentRef: JsonObject = { name: 'bookinfo-gateway', namespace: 'default' }): JsonObject => ({ kind: 'HTTPRoute', metadata: { name: 'r', namespace }, spec: { parentRefs: [parentRef] } });

const input = (overrides: Partial<GatewayStatusInput>): GatewayStatusInput => ({ gateway, service: service('ClusterIP'), routes: [], namespaceLabels: () => ({}), now: '2026-01-01T00:00:00Z', ...overrides });
const condition = (status: JsonObject, type: string): JsonObject | undefined => asArray(status.conditions).map(asObject).find((c) => c.type === type);

describe('gatewayStatus', () => {
  it('addresses a ClusterIP gateway by its Service hostname and is Programmed', () => {
    const status = gatewayStatus(input({}));
    assert.deepEqual(status.addresses, [{ type: 'Hostname', value: 'bookinfo-gateway-istio.default.svc.cluster.local' }]);
    assert.deepEqual(condition(status, 'Accepted'), { lastTransitionTime: '2026-01-01T00:00:00Z', message: 'Resource accepted', reason: 'Accepted', status: 'True', type: 'Accepted', observedGeneration: 2 });
    assert.equal(condition(status, 'Programmed')?.message, 'Resource programmed, assigned to service(s) bookinfo-gateway-istio.default.svc.cluster.local:80');
  });

  it('waits for a LoadBalancer address: AddressNotAssigned, then the IP', () => {
    const pending = gatewayStatus(input({ service: service('LoadBalancer') }));
    assert.equal(pending.addresses, undefined);
    assert.deepEqual(condition(pending, 'Programmed'), {
      lastTransitionTime: '2026-01-01T00:00:00Z',
      message: 'Assigned to service(s) bookinfo-gateway-istio.default.svc.cluster.local:80, but failed to assign to all requested addresses: address pending for hostname "bookinfo-gateway-istio.default.svc.cluster.local"',
      reason: 'AddressNotAssigned',
      status: 'False',
      type: 'Programmed',
      observedGeneration: 2,
    });
    const assigned = gatewayStatus(input({ gateway: { ...gateway, status: pending }, service: service('LoadBalancer', [{ ip: '172.18.255.200' }]), now: '2026-01-01T00:01:00Z' }));
    assert.deepEqual(assigned.addresses, [{ type: 'IPAddress', value: '172.18.255.200' }]);
    assert.equal(condition(assigned, 'Programmed')?.status, 'True');
    // A condition that changed moves its transition time; one that did not keeps it.
    assert.equal(condition(assigned, 'Programmed')?.lastTransitionTime, '2026-01-01T00:01:00Z');
    assert.equal(condition(assigned, 'Accepted')?.lastTransitionTime, '2026-01-01T00:00:00Z');
  });

  it('counts the routes each listener admits', () => {
    const routes = [route('default'), route('other'), route('default', { name: 'bookinfo-gateway', sectionName: 'https' }), route('default', { name: 'elsewhere' })];
    const listener = asObject(asArray(gatewayStatus(input({ routes })).listeners)[0]);
    assert.equal(listener.attachedRoutes, 1);
    assert.deepEqual(asArray(listener.conditions).map((c) => `${String(asObject(c).type)}=${String(asObject(c).status)}`), ['Accepted=True', 'Conflicted=False', 'Programmed=True', 'ResolvedRefs=True']);
    assert.deepEqual(listener.supportedKinds, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }]);
    const all = { ...gateway, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] } };
    assert.equal(asObject(asArray(gatewayStatus(input({ gateway: all, routes })).listeners)[0]).attachedRoutes, 2);
    const selected = { ...gateway, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } } } }] } };
    const labels = (namespace: string): Record<string, string> => (namespace === 'other' ? { shared: 'yes' } : {});
    assert.equal(asObject(asArray(gatewayStatus(input({ gateway: selected, routes, namespaceLabels: labels })).listeners)[0]).attachedRoutes, 1);
  });
});
