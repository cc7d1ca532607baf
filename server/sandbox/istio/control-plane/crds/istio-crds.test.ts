import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { istioSamplePath, istioSamplesMissing } from '../../../../../tests/support/istio-samples.ts';
import { istioCrds } from './istio-crds.ts';
import { gatewayApiCrds } from './gateway-api-crds.ts';
import { asArray, asObject, type JsonObject } from '../../../core/json-object.ts';

const SAMPLES = istioSamplePath('samples');

function crdNamed(crds: JsonObject[], name: string): JsonObject {
  const found = crds.find((crd) => asObject(crd.metadata).name === name);
  assert.ok(found, `missing CRD ${name}`);
  return found;
}

function columnsOf(crd: JsonObject, version = 'v1'): string[] {
  const entry = asArray(asObject(crd.spec).versions).map(asObject).find((v) => v.name === version);
  assert.ok(entry, `no version ${version}`);
  return asArray(entry.additionalPrinterColumns).map((column) => String(asObject(column).name).toUpperCase());
}

function schemaOf(crd: JsonObject, version: string): JsonObject {
  const entry = asArray(asObject(crd.spec).versions).map(asObject).find((v) => v.name === version);
  return asObject(asObject(asObject(entry).schema).openAPIV3Schema);
}

/** Every node of a structural schema names a type (or is int-or-string) and holds no undefined. */
function assertStructural(node: unknown, path: string): void {
  const schema = asObject(node);
  for (const [key, value] of Object.entries(schema)) assert.notEqual(value, undefined, `${path}.${key} is undefined`);
  if (schema['x-kubernetes-int-or-string'] !== true) assert.equal(typeof schema.type, 'string', `${path} has no type`);
  for (const [key, child] of Object.entries(asObject(schema.properties))) assertStructural(child, `${path}.${key}`);
  if (schema.items !== undefined) assertStructural(schema.items, `${path}[]`);
  if (schema.additionalProperties !== undefined) assertStructural(schema.additionalProperties, `${path}{}`);
}

/** Paths of fields a structural schema does not know (what the API server would prune). */
function unknownFields(value: unknown, schema: JsonObject, path: string): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] === true && schema.properties === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((item, index) => unknownFields(item, asObject(schema.items), `${path}[${index}]`));
  if (value === null || typeof value !== 'object') {
    const type = schema.type;
    if (type === 'integer') return Number.isInteger(value) ? [] : [`${path} (not an integer)`];
    if (type === 'string') return typeof value === 'string' ? [] : [`${path} (not a string)`];
    if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${path} (not a boolean)`];
    return [];
  }
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const properties = asObject(schema.properties);
    const childSchema = properties[key] ?? schema.additionalProperties;
    if (childSchema === undefined) out.push(`${path}.${key}`);
    else out.push(...unknownFields(child, asObject(childSchema), `${path}.${key}`));
  }
  return out;
}

describe('istioCrds', () => {
  const crds = istioCrds();

  it('defines every Istio kind under its upstream name', () => {
    const names = crds.map((crd) => asObject(crd.metadata).name).sort();
    assert.deepEqual(names, [
      'authorizationpolicies.security.istio.io',
      'destinationrules.networking.istio.io',
      'envoyfilters.networking.istio.io',
      'gateways.networking.istio.io',
      'peerauthentications.security.istio.io',
      'requestauthentications.security.istio.io',
      'serviceentries.networking.istio.io',
      'sidecars.networking.istio.io',
      'telemetries.telemetry.istio.io',
      'virtualservices.networking.istio.io',
      'wasmplugins.extensions.istio.io',
      'workloadentries.networking.istio.io',
      'workloadgroups.networking.istio.io',
    ]);
  });

  it('uses the short names kubectl users type', () => {
    const shortNames = Object.fromEntries(
      crds.map((crd) => [asObject(crd.metadata).name, asArray(asObject(asObject(crd.spec).names).shortNames)]),
    );
    assert.deepEqual(shortNames['virtualservices.networking.istio.io'], ['vs']);
    assert.deepEqual(shortNames['destinationrules.networking.istio.io'], ['dr']);
    assert.deepEqual(shortNames['gateways.networking.istio.io'], ['gw']);
    assert.deepEqual(shortNames['serviceentries.networking.istio.io'], ['se']);
    assert.deepEqual(shortNames['peerauthentications.security.istio.io'], ['pa']);
    assert.deepEqual(shortNames['authorizationpolicies.security.istio.io'], ['ap']);
    assert.deepEqual(shortNames['requestauthentications.security.istio.io'], ['ra']);
    assert.deepEqual(shortNames['workloadentries.networking.istio.io'], ['we']);
    assert.deepEqual(shortNames['workloadgroups.networking.istio.io'], ['wg']);
    assert.deepEqual(shortNames['sidecars.networking.istio.io'], []);
  });

  it('prints the columns of istio-behaviour §12.3', () => {
    assert.deepEqual(columnsOf(crdNamed(crds, 'virtualservices.networking.istio.io')), ['GATEWAYS', 'HOSTS', 'AGE']);
    assert.deepEqual(columnsOf(crdNamed(crds, 'destinationrules.networking.istio.io')), ['HOST', 'AGE']);
    assert.deepEqual(columnsOf(crdNamed(crds, 'gateways.networking.istio.io')), []);
    assert.deepEqual(columnsOf(crdNamed(crds, 'serviceentries.networking.istio.io')), ['HOSTS', 'LOCATION', 'RESOLUTION', 'AGE']);
    assert.deepEqual(columnsOf(crdNamed(crds, 'authorizationpolicies.security.istio.io')), ['ACTION', 'AGE']);
    assert.deepEqual(columnsOf(crdNamed(crds, 'peerauthentications.security.istio.io')), ['MODE', 'AGE']);
    assert.deepEqual(columnsOf(crdNamed(crds, 'requestauthentications.security.istio.io')), []);
    assert.deepEqual(columnsOf(crdNamed(crds, 'telemetries.telemetry.istio.io')), ['AGE']);
    const pa = asArray(asObject(asArray(asObject(crdNamed(crds, 'peerauthentications.security.istio.io').spec).versions)[0]).additionalPrinterColumns);
    assert.equal(asObject(pa[0]).jsonPath, '.spec.mtls.mode');
  });

  it('serves v1 with the older storage versions kept, and a status subresource', () => {
    for (const crd of crds) {
      const versions = asArray(asObject(crd.spec).versions).map(asObject);
      assert.equal(versions.filter((v) => v.storage === true).length, 1, `${String(asObject(crd.metadata).name)} needs one storage version`);
      for (const version of versions) assert.deepEqual(version.subresources, { status: {} });
    }
    const vs = asArray(asObject(crdNamed(crds, 'virtualservices.networking.istio.io').spec).versions).map(asObject);
    assert.deepEqual(vs.map((v) => [v.name, v.served, v.storage]), [['v1', true, false], ['v1alpha3', true, true], ['v1beta1', true, false]]);
    const telemetry = asArray(asObject(crdNamed(crds, 'telemetries.telemetry.istio.io').spec).versions).map(asObject);
    assert.deepEqual(telemetry.map((v) => [v.name, v.storage]), [['v1', false], ['v1alpha1', true]]);
    const ap = asArray(asObject(crdNamed(crds, 'authorizationpolicies.security.istio.io').spec).versions).map(asObject);
    assert.deepEqual(ap.map((v) => v.name), ['v1', 'v1beta1']);
  });

  it('has structural schemas', () => {
    for (const crd of [...crds, ...gatewayApiCrds()]) {
      for (const version of asArray(asObject(crd.spec).versions).map(asObject)) {
        assertStructural(asObject(asObject(version.schema).openAPIV3Schema), String(asObject(crd.metadata).name));
      }
    }
  });

  it('constrains mtls.mode and action to the upstream enums', () => {
    const pa = schemaOf(crdNamed(crds, 'peerauthentications.security.istio.io'), 'v1');
    const mode = asObject(asObject(asObject(asObject(asObject(pa.properties).spec).properties).mtls).properties).mode;
    assert.deepEqual(asObject(mode).enum, ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']);
    const ap = schemaOf(crdNamed(crds, 'authorizationpolicies.security.istio.io'), 'v1');
    const action = asObject(asObject(asObject(ap.properties).spec).properties).action;
    assert.deepEqual(asObject(action).enum, ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']);
  });

  it('knows every field the Istio samples use, and flags a misspelt one', { skip: istioSamplesMissing }, () => {
    const byKind = new Map<string, JsonObject>();
    for (const crd of [...crds, ...gatewayApiCrds()]) {
      const spec = asObject(crd.spec);
      byKind.set(`${String(spec.group)}/${String(asObject(spec.names).kind)}`, crd);
    }
    const files = [
      ...readdirSync(join(SAMPLES, 'bookinfo/networking')).map((f) => join(SAMPLES, 'bookinfo/networking', f)),
      ...readdirSync(join(SAMPLES, 'bookinfo/gateway-api')).map((f) => join(SAMPLES, 'bookinfo/gateway-api', f)),
      join(SAMPLES, 'httpbin/httpbin-gateway.yaml'),
      join(SAMPLES, 'helloworld/helloworld-gateway.yaml'),
    ];
    let checked = 0;
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const object = asObject(doc.toJS());
        const [group, version] = String(object.apiVersion).split('/');
        const crd = byKind.get(`${group}/${String(object.kind)}`);
        if (crd === undefined) continue;
        const schema = schemaOf(crd, String(version));
        const spec = asObject(asObject(schema.properties).spec);
        assert.deepEqual(unknownFields(object.spec, spec, 'spec'), [], `${file}`);
        checked++;
      }
    }
    assert.ok(checked >= 25, `only ${checked} sample objects checked`);
    const vs = schemaOf(crdNamed(crds, 'virtualservices.networking.istio.io'), 'v1');
    const vsSpec = asObject(asObject(vs.properties).spec);
    assert.deepEqual(unknownFields({ hosts: ['reviews'], http: [{ rout: [] }] }, vsSpec, 'spec'), ['spec.http[0].rout']);
    assert.deepEqual(unknownFields({ http: [{ route: [{ destination: { host: 'r' }, weight: 'fifty' }] }] }, vsSpec, 'spec'), ['spec.http[0].route[0].weight (not an integer)']);
  });
});
