import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { istioSamplePath, istioSamplesMissing } from '../../../../../tests/support/istio-samples.ts';
import { configurationInvalidMessage, validateIstioConfig } from './validate-istio-config.ts';
import { asObject, type JsonObject } from '../../../core/json-object.ts';

const vs = (spec: JsonObject): JsonObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec });
const errors = (object: JsonObject) => validateIstioConfig(object).errors;

describe('validateIstioConfig', () => {
  it('accepts every Istio-API sample', { skip: istioSamplesMissing }, () => {
    const dir = istioSamplePath('samples/bookinfo/networking');
    let checked = 0;
    for (const file of readdirSync(dir)) {
      for (const doc of parseAllDocuments(readFileSync(`${dir}/${file}`, 'utf8'))) {
        const object = asObject(doc.toJS());
        assert.deepEqual(errors(object), [], `${file} ${String(object.kind)}`);
        checked++;
      }
    }
    assert.ok(checked >= 20);
  });

  it('refuses an all-zero split but, like 1.30, accepts weights that do not sum to 100', () => {
    const route = (w1: number, w2: number) => vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: w1 }, { destination: { host: 'reviews', subset: 'v3' }, weight: w2 }] }] });
    assert.deepEqual(errors(route(0, 0)), ['total destination weight = 0']);
    assert.deepEqual(errors(route(60, 60)), []);
  });

  it('words the common VirtualService mistakes as istiod does', () => {
    assert.deepEqual(errors(vs({ hosts: ['reviews'], http: [{ route: [{ weight: 100 }] }] })), ['destination is required']);
    assert.deepEqual(errors(vs({ hosts: ['reviews'] })), ['http, tcp or tls must be provided in virtual service']);
    assert.deepEqual(errors(vs({ hosts: ['*'], http: [{ route: [{ destination: { host: 'reviews' } }] }] })), ['wildcard host * is not allowed for virtual services bound to the mesh gateway']);
    assert.deepEqual(errors(vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'Reviews_v1' } }] }] })), ['domain name "Reviews_v1" invalid (label "Reviews_v1" invalid)']);
    assert.deepEqual(errors(vs({ hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', port: { number: 70000 } } }] }] })), ['port number 70000 must be in the range 1..65535']);
    assert.deepEqual(errors(vs({ hosts: ['reviews'], http: [{ match: [{ uri: { regex: '/api/(v1' } }], route: [{ destination: { host: 'reviews' } }] }] })), [
      '"uri": error parsing regexp: missing closing ): `/api/(v1`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
    ]);
    assert.deepEqual(errors(vs({ hosts: ['ratings'], http: [{ fault: {}, route: [{ destination: { host: 'ratings' } }] }] })), ['HTTP fault injection must have an abort and/or a delay']);
    assert.deepEqual(errors(vs({ hosts: ['ratings'], http: [{ fault: { abort: { httpStatus: 700, percentage: { value: 100 } } }, route: [{ destination: { host: 'ratings' } }] }] })), ['HTTP status 700 is not in range 200-599']);
    assert.deepEqual(errors(vs({ hosts: ['ratings'], http: [{ retries: { attempts: 3, retryOn: '5xx,bogus' }, route: [{ destination: { host: 'ratings' } }] }] })), ['"bogus" is not a valid retryOn policy']);
  });

  it('checks Gateway, DestinationRule, ServiceEntry, PeerAuthentication and AuthorizationPolicy', () => {
    assert.deepEqual(errors({ kind: 'Gateway', metadata: { name: 'gw' }, spec: { selector: { istio: 'ingressgateway' } } }), ['gateway must have at least one server']);
    assert.deepEqual(errors({ kind: 'Gateway', metadata: { name: 'gw' }, spec: { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'] }] } }), ['server must have TLS settings for HTTPS/TLS protocols']);
    assert.deepEqual(errors({ kind: 'DestinationRule', metadata: { name: 'r' }, spec: { host: 'reviews', subsets: [{ name: 'V1' }] } }), ['subset name is invalid: V1']);
    assert.deepEqual(errors({ kind: 'ServiceEntry', metadata: { name: 'se' }, spec: { hosts: ['*'], ports: [{ number: 80, name: 'http', protocol: 'HTTP' }] } }), ['invalid host *']);
    assert.deepEqual(errors({ kind: 'PeerAuthentication', metadata: { name: 'default' }, spec: { portLevelMtls: { 8080: { mode: 'DISABLE' } } } }), ['mesh/namespace peer authentication cannot have port level mTLS']);
    assert.deepEqual(errors({ kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: 'default' }, spec: {} }), []);
    assert.deepEqual(errors({ kind: 'AuthorizationPolicy', metadata: { name: 'deny', namespace: 'foo' }, spec: { action: 'DENY' } }), ['a deny policy without `rules` is meaningless and has no effect, found in deny.foo']);
    assert.deepEqual(errors({ kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'foo' }, spec: { rules: [{ to: [{ operation: {} }] }] } }), ['invalid policy p.foo: `to.operation` must not be empty, found at rule 0']);
  });
});

describe('configurationInvalidMessage', () => {
  it('prints one reason inline and several as a go-multierror list', () => {
    assert.equal(configurationInvalidMessage(['total destination weight = 0']), 'configuration is invalid: total destination weight = 0');
    assert.equal(configurationInvalidMessage(['a', 'b']), 'configuration is invalid: 2 errors occurred:\n\t* a\n\t* b\n\n');
  });
});
