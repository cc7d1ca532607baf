import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../core/json-object.ts';
import { webhookCallFailure, webhookMatches, type WebhookRequest } from './webhook-matching.ts';

const validator: JsonObject = {
  name: 'rev.validation.istio.io',
  clientConfig: { service: { name: 'istiod', namespace: 'istio-system', path: '/validate', port: 443 } },
  namespaceSelector: {},
  objectSelector: { matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: ['default'] }] },
  rules: [{ apiGroups: ['networking.istio.io', 'security.istio.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'], scope: '*' }],
  timeoutSeconds: 10,
};

const request = (overrides: Partial<WebhookRequest> = {}): WebhookRequest => ({
  operation: 'CREATE',
  group: 'networking.istio.io',
  version: 'v1',
  resource: 'virtualservices',
  namespaced: true,
  namespaceLabels: {},
  objectLabels: { 'istio.io/rev': 'default' },
  ...overrides,
});

describe('webhookMatches', () => {
  it('takes requests its rules and selectors cover', () => {
    assert.equal(webhookMatches(validator, request()), true);
    assert.equal(webhookMatches(validator, request({ operation: 'DELETE' })), false);
    assert.equal(webhookMatches(validator, request({ group: 'apps' })), false);
    assert.equal(webhookMatches(validator, request({ objectLabels: {} })), false);
    assert.equal(webhookMatches(validator, request({ objectLabels: { 'istio.io/rev': 'canary' } })), false);
  });

  it('matches an UPDATE when either the old or the new object is selected', () => {
    assert.equal(webhookMatches(validator, request({ operation: 'UPDATE', objectLabels: {}, oldObjectLabels: { 'istio.io/rev': 'default' } })), true);
    assert.equal(webhookMatches(validator, request({ operation: 'UPDATE', objectLabels: {}, oldObjectLabels: {} })), false);
  });

  it('applies the namespaceSelector to namespaced objects only, and honours the scope', () => {
    const injector: JsonObject = {
      name: 'namespace.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }] },
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: 'Namespaced' }],
    };
    const pod = request({ group: '', resource: 'pods', objectLabels: {} });
    assert.equal(webhookMatches(injector, pod), false);
    assert.equal(webhookMatches(injector, { ...pod, namespaceLabels: { 'istio-injection': 'enabled' } }), true);
    assert.equal(webhookMatches(injector, { ...pod, resource: 'pods', namespaced: false }), false);
  });
});

describe('webhookCallFailure', () => {
  it('words the failure as the API server does', () => {
    assert.equal(
      webhookCallFailure(validator, 'no endpoints available for service "istiod"'),
      'failed calling webhook "rev.validation.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/validate?timeout=10s": no endpoints available for service "istiod"',
    );
  });
});
