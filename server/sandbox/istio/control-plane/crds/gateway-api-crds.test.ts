import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayApiCrds, GATEWAY_API_BUNDLE_VERSION } from './gateway-api-crds.ts';
import { asArray, asObject, readPath, type JsonObject } from '../../../core/json-object.ts';

function byName(name: string): JsonObject {
  const crd = gatewayApiCrds().find((c) => asObject(c.metadata).name === name);
  assert.ok(crd, name);
  return crd;
}

function v1(crd: JsonObject, version = 'v1'): JsonObject {
  return asObject(asArray(asObject(crd.spec).versions).map(asObject).find((v) => v.name === version));
}

describe('gatewayApiCrds', () => {
  it('defines the five standard-channel kinds of bundle v1.6.0', () => {
    const crds = gatewayApiCrds();
    assert.deepEqual(crds.map((c) => asObject(c.metadata).name), [
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'referencegrants.gateway.networking.k8s.io',
    ]);
    assert.equal(GATEWAY_API_BUNDLE_VERSION, 'v1.6.0');
    for (const crd of crds) {
      assert.equal(asObject(asObject(crd.metadata).annotations)['gateway.networking.k8s.io/channel'], 'standard');
    }
  });

  it('prints CLASS ADDRESS PROGRAMMED AGE for gateways (short name gtw)', () => {
    const gtw = byName('gateways.gateway.networking.k8s.io');
    assert.deepEqual(readPath(gtw, ['spec', 'names', 'shortNames']), ['gtw']);
    const columns = asArray(v1(gtw).additionalPrinterColumns).map(asObject);
    assert.deepEqual(columns.map((c) => c.name), ['Class', 'Address', 'Programmed', 'Age']);
    assert.equal(columns[2]?.jsonPath, '.status.conditions[?(@.type=="Programmed")].status');
    assert.equal(v1(gtw).storage, true);
    assert.deepEqual(v1(gtw).subresources, { status: {} });
  });

  it('prints CONTROLLER ACCEPTED AGE DESCRIPTION for the cluster-scoped gatewayclasses', () => {
    const gc = byName('gatewayclasses.gateway.networking.k8s.io');
    assert.equal(readPath(gc, ['spec', 'scope']), 'Cluster');
    assert.deepEqual(readPath(gc, ['spec', 'names', 'shortNames']), ['gc']);
    assert.deepEqual(asArray(v1(gc).additionalPrinterColumns).map((c) => asObject(c).name), ['Controller', 'Accepted', 'Age', 'Description']);
  });

  it('defaults HTTPRoute backendRefs and matches as the API server shows them', () => {
    const route = v1(byName('httproutes.gateway.networking.k8s.io'));
    const rules = readPath(route, ['schema', 'openAPIV3Schema', 'properties', 'spec', 'properties', 'rules']);
    const backend = readPath(rules, ['items', 'properties', 'backendRefs', 'items', 'properties']);
    assert.equal(readPath(backend, ['weight', 'default']), 1);
    assert.equal(readPath(backend, ['group', 'default']), '');
    assert.equal(readPath(backend, ['kind', 'default']), 'Service');
    assert.deepEqual(readPath(rules, ['items', 'properties', 'matches', 'default']), [{ path: { type: 'PathPrefix', value: '/' } }]);
    const parent = readPath(route, ['schema', 'openAPIV3Schema', 'properties', 'spec', 'properties', 'parentRefs', 'items', 'properties']);
    assert.equal(readPath(parent, ['group', 'default']), 'gateway.networking.k8s.io');
    assert.equal(readPath(parent, ['kind', 'default']), 'Gateway');
    assert.deepEqual(asArray(route.additionalPrinterColumns).map((c) => asObject(c).name), ['Hostnames', 'Age']);
  });

  it('keeps ReferenceGrant at v1beta1 without a status subresource', () => {
    const grant = byName('referencegrants.gateway.networking.k8s.io');
    const versions = asArray(readPath(grant, ['spec', 'versions'])).map(asObject);
    assert.deepEqual(versions.map((v) => [v.name, v.storage]), [['v1beta1', true]]);
    assert.equal(versions[0]?.subresources, undefined);
  });
});
