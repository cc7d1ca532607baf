import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asObject } from '../../../core/json-object.ts';
import { createTestApi, installIstio, setIstiodReady } from './istiod.test-support.ts';
import { readIstiodView } from './read-istiod-view.ts';
import { sidecarInjectorHook } from './sidecar-injector-hook.ts';

describe('readIstiodView', () => {
  it('sees the injected pods of the cluster once they run, connected to the ready istiod', () => {
    const { api, pods, namespaces } = createTestApi();
    api.admission.addMutating(sidecarInjectorHook(api));
    installIstio(api);
    assert.deepEqual(readIstiodView(api).istiods, []);
    setIstiodReady(api, true);
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    const pod = api.create(pods, 'default', { metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }).object;
    // Not running yet: no proxy has connected.
    assert.deepEqual(readIstiodView(api).proxies, []);
    api.update(pods, 'default', 'web', { ...pod, status: { phase: 'Running', podIP: '10.244.1.7', conditions: [{ type: 'Ready', status: 'True' }] } }, {}, 'status');
    const view = readIstiodView(api);
    assert.deepEqual(view.istiods.map((istiod) => istiod.pod), ['istiod-7dc9684c55-qkp9r']);
    assert.deepEqual(view.proxies.map((proxy) => `${proxy.config.proxy.id} ${proxy.config.proxy.type} ${proxy.istiod.pod}`), ['web.default sidecar istiod-7dc9684c55-qkp9r']);
    assert.equal(asObject(view.model.snapshot.namespace('default')?.metadata).name, 'default');
  });
});
