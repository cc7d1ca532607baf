import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { authorizationPolicyConfig, evaluateAuthorization, policiesForWorkload, type AuthorizationRequest } from './evaluate-authorization.ts';

const policy = (name: string, spec: Record<string, unknown>, namespace = 'default') => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace }, spec });
const get = (overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  method: 'GET',
  path: '/productpage?u=normal',
  host: 'productpage:9080',
  port: 9080,
  headers: {},
  source: { principal: 'cluster.local/ns/default/sa/bookinfo-productpage', namespace: 'default', ip: '10.244.0.12' },
  ...overrides,
});

describe('evaluateAuthorization', () => {
  it('allows everything without policies', () => {
    assert.deepEqual(evaluateAuthorization([], get()), { allowed: true, reason: 'no-policy', audited: [] });
  });

  it('denies everything with allow-nothing (spec: {})', () => {
    const decision = evaluateAuthorization([authorizationPolicyConfig(policy('allow-nothing', {}))], get());
    assert.equal(decision.allowed, false);
    assert.equal(decision.reason, 'no-allow-match');
  });

  it('allows GET but not POST with productpage-viewer', () => {
    const policies = [policy('allow-nothing', {}), policy('productpage-viewer', { action: 'ALLOW', rules: [{ to: [{ operation: { methods: ['GET'] } }] }] })].map(authorizationPolicyConfig);
    assert.equal(evaluateAuthorization(policies, get()).policy, 'productpage-viewer.default');
    assert.equal(evaluateAuthorization(policies, get({ method: 'POST' })).allowed, false);
  });

  it('matches source principals only over mTLS', () => {
    const policies = [policy('reviews-viewer', { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage'] } }], to: [{ operation: { methods: ['GET'] } }] }] })].map(authorizationPolicyConfig);
    assert.equal(evaluateAuthorization(policies, get()).allowed, true);
    assert.equal(evaluateAuthorization(policies, get({ source: { ip: '10.0.0.1' } })).allowed, false);
    assert.equal(evaluateAuthorization(policies, get({ source: { principal: 'cluster.local/ns/default/sa/bookinfo-reviews' } })).allowed, false);
  });

  it('evaluates DENY before ALLOW, with paths, notPaths, headers and ipBlocks', () => {
    const policies = [
      policy('allow-all', { rules: [{}] }),
      policy('deny-admin', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'], notPaths: ['/admin/public'] } }] }, { when: [{ key: 'request.headers[x-block]', values: ['yes'] }] }, { from: [{ source: { ipBlocks: ['192.168.0.0/16'] } }] }] }),
    ].map(authorizationPolicyConfig);
    assert.equal(evaluateAuthorization(policies, get({ path: '/admin/x' })).reason, 'denied-by-policy');
    assert.equal(evaluateAuthorization(policies, get({ path: '/admin/public' })).allowed, true);
    assert.equal(evaluateAuthorization(policies, get({ headers: { 'X-Block': 'yes' } })).allowed, false);
    assert.equal(evaluateAuthorization(policies, get({ source: { ip: '192.168.4.4' } })).allowed, false);
    assert.equal(evaluateAuthorization(policies, get()).allowed, true);
  });

  it('reports AUDIT matches without changing the decision, and rejects on CUSTOM', () => {
    const audit = authorizationPolicyConfig(policy('audit', { action: 'AUDIT', rules: [{}] }));
    assert.deepEqual(evaluateAuthorization([audit], get()), { allowed: true, reason: 'no-policy', audited: ['audit.default'] });
    const custom = authorizationPolicyConfig(policy('ext', { action: 'CUSTOM', provider: { name: 'ext-authz' }, rules: [{}] }));
    assert.equal(evaluateAuthorization([custom], get()).reason, 'custom');
  });
});

describe('policiesForWorkload', () => {
  it('applies root-namespace policies mesh-wide and selectors to matching workloads only', () => {
    const all = [policy('mesh', {}, 'istio-system'), policy('ratings', { selector: { matchLabels: { app: 'ratings' } } }), policy('other-ns', {}, 'foo')];
    assert.deepEqual(policiesForWorkload(all, { namespace: 'default', labels: { app: 'reviews' } }).map((p) => p.name), ['mesh']);
    assert.deepEqual(policiesForWorkload(all, { namespace: 'default', labels: { app: 'ratings' } }).map((p) => p.name).sort(), ['mesh', 'ratings']);
  });

  it('applies targetRefs of kind Gateway to that gateway deployment', () => {
    const all = [policy('gw', { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'bookinfo-gateway' }] })];
    assert.equal(policiesForWorkload(all, { namespace: 'default', labels: {}, gatewayName: 'bookinfo-gateway' }).length, 1);
    assert.equal(policiesForWorkload(all, { namespace: 'default', labels: { app: 'reviews' } }).length, 0);
  });
});
