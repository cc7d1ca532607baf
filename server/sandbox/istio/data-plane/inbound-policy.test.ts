import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { forwardedClientCert, withTraceHeaders } from './envoy-headers.ts';
import { checkInbound, inboundMtlsMode } from './inbound-policy.ts';
import { createRng } from '../../core/rng.ts';

function proxy(mode: 'STRICT' | 'PERMISSIVE', portMode?: 'STRICT' | 'PERMISSIVE' | 'DISABLE', authorization: ProxyConfig['authorization'] = []): ProxyConfig {
  return {
    proxy: { id: 'httpbin.foo', podName: 'httpbin', namespace: 'foo', type: 'sidecar', ip: '10.244.0.9', labels: { app: 'httpbin' }, serviceAccount: 'httpbin', identity: 'spiffe://cluster.local/ns/foo/sa/httpbin', istioVersion: '1.30.3', revision: 'default' },
    listeners: portMode === undefined ? [] : [{ name: 'virtualInbound', address: '0.0.0.0', port: 15006, direction: 'inbound', protocol: 'TCP', inbound: [{ port: 8080, protocol: 'HTTP', cluster: 'inbound|8080||', mtls: { mode: portMode, policies: [] } }] }],
    routes: [],
    clusters: [],
    endpoints: [],
    authorization,
    mtls: { mode, policies: [] },
    versions: { CDS: '', LDS: '', RDS: '', EDS: '' },
    version: '',
  };
}

const request = { method: 'GET', path: '/ip', host: 'httpbin.foo:8000', port: 8080, headers: {} };

test('STRICT resets plaintext, accepts mTLS; port-level mode wins', () => {
  assert.equal(checkInbound(proxy('STRICT'), { mtls: false, sourceIp: '10.244.0.2' }, request, { enforceMtls: true }).kind, 'reset');
  assert.equal(checkInbound(proxy('STRICT'), { mtls: true, clientIdentity: 'spiffe://cluster.local/ns/foo/sa/curl', sourceIp: '10.244.0.2' }, request, { enforceMtls: true }).kind, 'allowed');
  assert.equal(checkInbound(proxy('PERMISSIVE'), { mtls: false, sourceIp: '10.244.0.2' }, request, { enforceMtls: true }).kind, 'allowed');
  assert.equal(inboundMtlsMode(proxy('STRICT', 'PERMISSIVE'), 8080), 'PERMISSIVE');
  assert.equal(inboundMtlsMode(proxy('STRICT', 'PERMISSIVE'), 9090), 'STRICT');
  assert.equal(checkInbound(proxy('STRICT'), { mtls: false, sourceIp: '10.244.0.2' }, request, { enforceMtls: false }).kind, 'allowed');
});

test('principals reach authorization only over mTLS', () => {
  const policies: ProxyConfig['authorization'] = [{ name: 'only-curl', namespace: 'foo', action: 'ALLOW', rules: [{ from: [{ principals: ['cluster.local/ns/foo/sa/curl'] }], to: [], when: [] }] }];
  const config = proxy('PERMISSIVE', undefined, policies);
  const identity = 'spiffe://cluster.local/ns/foo/sa/curl';
  assert.equal(checkInbound(config, { mtls: true, clientIdentity: identity, sourceIp: '10.244.0.2' }, request, { enforceMtls: true }).kind, 'allowed');
  const plaintext = checkInbound(config, { mtls: false, clientIdentity: identity, sourceIp: '10.244.0.2' }, request, { enforceMtls: true });
  assert.equal(plaintext.kind, 'denied');
  assert.equal(plaintext.kind === 'denied' ? plaintext.decision.reason : '', 'no-allow-match');
});

test('trace headers: a new request id and trace, an existing trace continued', () => {
  const rng = createRng(3);
  const first = withTraceHeaders({}, rng);
  assert.match(first['x-request-id'] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(first['x-b3-traceid'] ?? '', /^[0-9a-f]{32}$/);
  assert.equal(first['x-b3-parentspanid'], undefined);
  const next = withTraceHeaders(first, rng);
  assert.equal(next['x-request-id'], first['x-request-id']);
  assert.equal(next['x-b3-traceid'], first['x-b3-traceid']);
  assert.equal(next['x-b3-parentspanid'], first['x-b3-spanid']);
  assert.notEqual(next['x-b3-spanid'], first['x-b3-spanid']);
  assert.match(forwardedClientCert('spiffe://cluster.local/ns/foo/sa/httpbin', 'spiffe://cluster.local/ns/foo/sa/curl'), /^By=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/httpbin;Hash=[0-9a-f]{64};Subject="";URI=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/curl$/);
});
