import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideInjection, type InjectionContext } from './injection-decision.ts';
import { resolveInstallConfig } from '../install/install-config.ts';
import { installManifest } from '../install/install-manifest.ts';
import type { JsonObject } from '../../../core/json-object.ts';

function webhooks(set: string[]): JsonObject[] {
  return installManifest(resolveInstallConfig({ set })).map((o) => o.object).filter((o) => o.kind === 'MutatingWebhookConfiguration');
}

const DEFAULT_HOOKS = webhooks(['profile=minimal']);

function ns(labels: Record<string, string>, name = 'default'): JsonObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

function pod(labels: Record<string, string> = {}, annotations: Record<string, string> = {}, spec: JsonObject = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sleep', namespace: 'default', labels: { app: 'sleep', ...labels }, annotations }, spec: { containers: [{ name: 'sleep', image: 'curlimages/curl' }], ...spec } };
}

function context(namespace: JsonObject, hooks = DEFAULT_HOOKS, ready = true): InjectionContext {
  return { namespace, webhookConfigurations: hooks, serviceReady: () => ready };
}

const action = (p: JsonObject, n: JsonObject, hooks = DEFAULT_HOOKS) => decideInjection(p, context(n, hooks)).action;

describe('decideInjection', () => {
  it('follows the label precedence table of §2.2', () => {
    assert.equal(action(pod(), ns({})), 'skip');
    assert.equal(action(pod(), ns({ 'istio-injection': 'enabled' })), 'inject');
    assert.equal(action(pod({ 'sidecar.istio.io/inject': 'false' }), ns({ 'istio-injection': 'enabled' })), 'skip');
    assert.equal(action(pod({ 'sidecar.istio.io/inject': 'true' }), ns({ 'istio-injection': 'disabled' })), 'skip');
    assert.equal(action(pod({ 'sidecar.istio.io/inject': 'true' }), ns({})), 'inject');
    assert.equal(action(pod({}, { 'sidecar.istio.io/inject': 'true' }), ns({})), 'skip');
    assert.equal(action(pod({}, { 'sidecar.istio.io/inject': 'false' }), ns({ 'istio-injection': 'enabled' })), 'skip');
    assert.equal(action(pod(), ns({ 'istio.io/rev': 'default' })), 'inject');
    assert.equal(action(pod({ 'istio.io/rev': 'default' }), ns({})), 'inject');
  });

  it('lets istio-injection win over istio.io/rev on the namespace', () => {
    const both = ns({ 'istio-injection': 'enabled', 'istio.io/rev': 'canary' });
    const decision = decideInjection(pod(), context(both));
    assert.equal(decision.action, 'inject');
    assert.equal(decision.action === 'inject' && decision.webhook, 'namespace.sidecar-injector.istio.io');
    assert.equal(action(pod(), ns({ 'istio-injection': 'disabled', 'istio.io/rev': 'default' })), 'skip');
  });

  it('injects only for installed revisions, and names the revision', () => {
    const canary = webhooks(['profile=minimal', 'revision=canary']);
    assert.equal(action(pod(), ns({ 'istio.io/rev': 'canary' })), 'skip');
    const decision = decideInjection(pod(), context(ns({ 'istio.io/rev': 'canary' }), [...DEFAULT_HOOKS, ...canary]));
    assert.deepEqual(decision, { action: 'inject', webhook: 'rev.namespace.sidecar-injector.istio.io', revision: 'canary', service: { namespace: 'istio-system', name: 'istiod-canary' } });
    assert.equal(action(pod(), ns({ 'istio-injection': 'enabled' }), canary), 'skip');
  });

  it('turns injection off for any value but a true one, and never injects a pod twice', () => {
    const enabled = ns({ 'istio-injection': 'enabled' });
    assert.equal(action(pod({}, { 'sidecar.istio.io/inject': 'maybe' }), enabled), 'skip');
    assert.equal(action(pod({}, { 'sidecar.istio.io/inject': 'Yes' }), enabled), 'inject');
    assert.equal(action(pod({}, { 'sidecar.istio.io/status': '{"revision":"default"}' }), enabled), 'skip');
  });

  it('never injects hostNetwork pods or pods in ignored namespaces', () => {
    assert.equal(action(pod({}, {}, { hostNetwork: true }), ns({ 'istio-injection': 'enabled' })), 'skip');
    assert.equal(action(pod(), ns({ 'istio-injection': 'enabled' }, 'kube-system')), 'skip');
  });

  it('enableNamespacesByDefault selects unlabelled namespaces', () => {
    const hooks = webhooks(['profile=minimal', 'values.sidecarInjectorWebhook.enableNamespacesByDefault=true']);
    assert.equal(action(pod(), ns({}), hooks), 'inject');
    assert.equal(action(pod(), ns({ 'istio-injection': 'disabled' }), hooks), 'skip');
  });

  it('rejects the pod with the webhook error when istiod is down (failurePolicy Fail)', () => {
    const decision = decideInjection(pod(), context(ns({ 'istio-injection': 'enabled' }), DEFAULT_HOOKS, false));
    assert.deepEqual(decision, {
      action: 'reject',
      webhook: 'namespace.sidecar-injector.istio.io',
      message: 'failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": no endpoints available for service "istiod"',
    });
    // A pod no webhook selects is created even without istiod.
    assert.equal(decideInjection(pod(), context(ns({}), DEFAULT_HOOKS, false)).action, 'skip');
  });
});
