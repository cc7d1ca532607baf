import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { configValidationHook } from './config-validation-hook.ts';
import { createTestApi, installIstio, setIstiodReady } from './istiod.test-support.ts';
import { enforceValidationFailurePolicy } from './validation-failure-policy.ts';

const virtualService = (name: string, hosts: string[]): JsonObject => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts, http: [{ route: [{ destination: { host: 'reviews' } }] }] },
});

function setup() {
  const t = createTestApi();
  t.api.admission.addValidating(configValidationHook(t.api));
  installIstio(t.api, ['profile=minimal']);
  return { ...t, vs: t.api.resource('networking.istio.io', 'v1', 'virtualservices') };
}

const denied = (message: string) => (error: unknown) => error instanceof StatusError && error.code === 400 && error.reason === '' && error.message === message;

describe('configValidationHook', () => {
  it('refuses invalid Istio config with the webhook denial while istiod runs, and stores nothing', () => {
    const { api, vs } = setup();
    setIstiodReady(api, true);
    assert.throws(
      () => api.create(vs, 'default', virtualService('bad', ['*'])),
      denied('admission webhook "validation.istio.io" denied the request: configuration is invalid: wildcard host * is not allowed for virtual services bound to the mesh gateway'),
    );
    assert.equal(api.tryGet(vs, 'default', 'bad'), undefined);
    // Updates are validated too; the stored object stays as it was.
    api.create(vs, 'default', virtualService('good', ['reviews']));
    const stored = api.get(vs, 'default', 'good');
    assert.throws(() => api.update(vs, 'default', 'good', { ...stored, spec: virtualService('good', ['*']).spec }), denied('admission webhook "validation.istio.io" denied the request: configuration is invalid: wildcard host * is not allowed for virtual services bound to the mesh gateway'));
    assert.deepEqual(api.get(vs, 'default', 'good').spec, stored.spec);
    // A patch (what kubectl apply sends for an existing object) is an UPDATE too.
    assert.throws(() => api.patch(vs, 'default', 'good', 'merge', JSON.stringify({ spec: { hosts: ['*'] } })), (error: unknown) => error instanceof StatusError && error.code === 400);
    assert.deepEqual(api.get(vs, 'default', 'good').spec, stored.spec);
  });

  it('names the revision webhook for objects labelled with the revision', () => {
    const { api, vs } = setup();
    setIstiodReady(api, true);
    const labelled = { ...virtualService('bad', ['*']), metadata: { name: 'bad', labels: { 'istio.io/rev': 'default' } } };
    assert.throws(() => api.create(vs, 'default', labelled), (error: unknown) => error instanceof StatusError && error.message.startsWith('admission webhook "rev.validation.istio.io" denied the request'));
  });

  it('lets config through while istiod is down and the install\'s failurePolicy Ignore holds', () => {
    const { api, vs } = setup();
    assert.ok(api.create(vs, 'default', virtualService('unchecked', ['*'])));
  });

  it('fails closed once istiod has switched the policy to Fail', () => {
    const { api, vs } = setup();
    setIstiodReady(api, true);
    enforceValidationFailurePolicy(api, new Set(['default']));
    setIstiodReady(api, false);
    assert.throws(
      () => api.create(vs, 'default', virtualService('good', ['reviews'])),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === 500 &&
        error.message === 'Internal error occurred: failed calling webhook "validation.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/validate?timeout=10s": no endpoints available for service "istiod"',
    );
  });

  it('ignores resources outside Istio\'s API groups', () => {
    const { api } = setup();
    setIstiodReady(api, true);
    assert.ok(api.create(api.resource('', 'v1', 'configmaps'), 'default', { metadata: { name: 'hosts' }, data: { hosts: '*' } }));
  });
});
