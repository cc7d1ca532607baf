import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject } from '../../../core/json-object.ts';
import { createTestApi, installIstio } from './istiod.test-support.ts';
import { enforceValidationFailurePolicy, failClosed } from './validation-failure-policy.ts';

const policies = (configuration: unknown): unknown[] => asArray(asObject(configuration).webhooks).map((w) => asObject(w).failurePolicy);

describe('enforceValidationFailurePolicy', () => {
  it('switches only the serving revision\'s validators to Fail, once', () => {
    const { api } = createTestApi();
    installIstio(api, ['profile=minimal']);
    installIstio(api, ['profile=minimal', 'revision=canary']);
    const type = api.resource('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations');
    enforceValidationFailurePolicy(api, new Set(['default']));
    assert.deepEqual(policies(api.get(type, '', 'istio-validator-istio-system')), ['Fail']);
    assert.deepEqual(policies(api.get(type, '', 'istiod-default-validator')), ['Fail']);
    assert.deepEqual(policies(api.get(type, '', 'istio-validator-canary-istio-system')), ['Ignore']);
    const version = asObject(api.get(type, '', 'istiod-default-validator').metadata).resourceVersion;
    enforceValidationFailurePolicy(api, new Set(['default']));
    assert.equal(asObject(api.get(type, '', 'istiod-default-validator').metadata).resourceVersion, version);
  });

  it('failClosed leaves a configuration that already fails closed alone', () => {
    assert.equal(failClosed({ webhooks: [{ name: 'a', failurePolicy: 'Fail' }] }), undefined);
    assert.deepEqual(policies(failClosed({ webhooks: [{ name: 'a', failurePolicy: 'Ignore' }, { name: 'b' }] })), ['Fail', 'Fail']);
  });
});
