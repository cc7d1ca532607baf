import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { createTestApi, installIstio, setIstiodReady } from './istiod.test-support.ts';
import { sidecarInjectorHook } from './sidecar-injector-hook.ts';

const sleepPod = (labels: Record<string, string> = {}): JsonObject => ({
  metadata: { generateName: 'sleep-8f795f47d-', labels: { app: 'sleep', 'pod-template-hash': '8f795f47d', ...labels }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'sleep-8f795f47d', uid: 'u1', controller: true }] },
  spec: { containers: [{ name: 'sleep', image: 'curlimages/curl' }] },
});

const containerNames = (pod: JsonObject): string[] => asArray(asObject(pod.spec).containers).map((c) => String(asObject(c).name));
const env = (pod: JsonObject, name: string): unknown => {
  const proxy = asArray(asObject(pod.spec).containers).map(asObject).find((c) => c.name === 'istio-proxy');
  return asArray(proxy?.env).map(asObject).find((e) => e.name === name)?.value;
};

function setup(set?: string[]) {
  const t = createTestApi();
  t.api.admission.addMutating(sidecarInjectorHook(t.api));
  if (set !== undefined) installIstio(t.api, set);
  return t;
}

describe('sidecarInjectorHook', () => {
  it('does nothing before Istio is installed, even in a labelled namespace', () => {
    const { api, pods, namespaces } = setup();
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    assert.deepEqual(containerNames(api.create(pods, 'default', sleepPod()).object), ['sleep']);
  });

  it('injects pods the webhook selects, naming the Deployment as their workload', () => {
    const { api, pods, namespaces } = setup(['profile=minimal']);
    setIstiodReady(api, true);
    assert.deepEqual(containerNames(api.create(pods, 'default', sleepPod()).object), ['sleep']);
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    const injected = api.create(pods, 'default', sleepPod()).object;
    assert.deepEqual(containerNames(injected), ['sleep', 'istio-proxy']);
    assert.deepEqual(asArray(asObject(injected.spec).initContainers).map((c) => asObject(c).name), ['istio-init']);
    assert.equal(env(injected, 'ISTIO_META_WORKLOAD_NAME'), 'sleep');
    assert.equal(env(injected, 'ISTIO_META_OWNER'), 'kubernetes://apis/apps/v1/namespaces/default/deployments/sleep');
    assert.equal(env(injected, 'CA_ADDR'), 'istiod.istio-system.svc:15012');
    // Stored as injected: a later read sees the sidecar.
    assert.deepEqual(containerNames(api.get(pods, 'default', String(asObject(injected.metadata).name))), ['sleep', 'istio-proxy']);
    assert.deepEqual(containerNames(api.create(pods, 'default', sleepPod({ 'sidecar.istio.io/inject': 'false' })).object), ['sleep']);
  });

  it('takes the proxy image from the revision\'s injector values', () => {
    const { api, pods, namespaces } = setup(['profile=minimal', 'hub=registry.example/istio', 'tag=1.30.1']);
    setIstiodReady(api, true);
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    const proxy = asArray(asObject(api.create(pods, 'default', sleepPod()).object.spec).containers).map(asObject).find((c) => c.name === 'istio-proxy');
    assert.equal(proxy?.image, 'registry.example/istio/proxyv2:1.30.1');
  });

  it('refuses a pod to inject while istiod has no ready endpoint, and stores nothing', () => {
    const { api, pods, namespaces } = setup(['profile=minimal']);
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    setIstiodReady(api, false);
    assert.throws(
      () => api.create(pods, 'default', { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === 500 &&
        error.reason === 'InternalError' &&
        error.message === 'Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https://istiod.istio-system.svc:443/inject?timeout=10s": no endpoints available for service "istiod"',
    );
    assert.equal(api.tryGet(pods, 'default', 'web'), undefined);
    // Opted-out pods are not selected by the webhook, so they do not need istiod.
    assert.ok(api.create(pods, 'default', { metadata: { name: 'opt-out', labels: { 'sidecar.istio.io/inject': 'false' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }));
  });

  it('injects through a revision tag from the revision the tag points at', () => {
    const { api, pods, namespaces } = setup(['profile=minimal', 'revision=canary']);
    setIstiodReady(api, true, 'canary');
    // What `istioctl tag set prod --revision canary` adds: the revision's webhooks, selecting the tag.
    const configurations = api.resource('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations');
    const canary = api.get(configurations, '', 'istio-sidecar-injector-canary');
    const webhooks = asArray(canary.webhooks).map(asObject).map((webhook) => JSON.parse(JSON.stringify(webhook).replaceAll('"values":["canary"]', '"values":["prod"]')) as JsonObject);
    api.create(configurations, '', { metadata: { name: 'istio-revision-tag-prod', labels: { 'istio.io/rev': 'canary', 'istio.io/tag': 'prod' } }, webhooks });
    api.create(namespaces, '', { metadata: { name: 'shop', labels: { 'istio.io/rev': 'prod' } } });
    const injected = api.create(pods, 'shop', sleepPod()).object;
    assert.deepEqual(containerNames(injected), ['sleep', 'istio-proxy']);
    assert.equal(asObject(asObject(injected.metadata).annotations)['istio.io/rev'], 'canary');
    assert.equal(env(injected, 'CA_ADDR'), 'istiod-canary.istio-system.svc:15012');
  });

  it('does not inject a pod twice', () => {
    const { api, pods, namespaces } = setup(['profile=minimal']);
    setIstiodReady(api, true);
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    const once = api.create(pods, 'default', sleepPod()).object;
    const copy = { metadata: { ...asObject(once.metadata), name: 'again', generateName: undefined, uid: undefined, resourceVersion: undefined, creationTimestamp: undefined }, spec: once.spec };
    assert.deepEqual(containerNames(api.create(pods, 'default', copy).object), ['sleep', 'istio-proxy']);
  });
});
