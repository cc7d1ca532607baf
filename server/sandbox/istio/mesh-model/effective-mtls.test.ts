import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveMtlsMode } from './effective-mtls.ts';

const pa = (name: string, namespace: string, spec: Record<string, unknown>) => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec });
const target = { namespace: 'foo', labels: { app: 'httpbin' }, port: 8080 };

describe('effectiveMtlsMode', () => {
  it('is PERMISSIVE without policies', () => {
    assert.deepEqual(effectiveMtlsMode([], target), { mode: 'PERMISSIVE', policies: [] });
  });

  it('takes mesh, then namespace, then workload, then port-level', () => {
    const mesh = pa('default', 'istio-system', { mtls: { mode: 'STRICT' } });
    assert.equal(effectiveMtlsMode([mesh], target).mode, 'STRICT');
    const ns = pa('default', 'foo', { mtls: { mode: 'PERMISSIVE' } });
    assert.deepEqual(effectiveMtlsMode([mesh, ns], target), { mode: 'PERMISSIVE', policies: ['default.istio-system', 'default.foo'] });
    const workload = pa('httpbin', 'foo', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'DISABLE' }, portLevelMtls: { '8080': { mode: 'STRICT' } } });
    assert.equal(effectiveMtlsMode([mesh, ns, workload], target).mode, 'STRICT');
    assert.equal(effectiveMtlsMode([mesh, ns, workload], { ...target, port: 9000 }).mode, 'DISABLE');
  });

  it('inherits when a level is UNSET and ignores other namespaces and non-matching selectors', () => {
    const mesh = pa('default', 'istio-system', { mtls: { mode: 'STRICT' } });
    const unset = pa('default', 'foo', { mtls: { mode: 'UNSET' } });
    const otherNs = pa('default', 'bar', { mtls: { mode: 'DISABLE' } });
    const otherApp = pa('x', 'foo', { selector: { matchLabels: { app: 'curl' } }, mtls: { mode: 'DISABLE' } });
    assert.equal(effectiveMtlsMode([mesh, unset, otherNs, otherApp], target).mode, 'STRICT');
  });
});
