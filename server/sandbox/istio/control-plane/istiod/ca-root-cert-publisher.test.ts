import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asObject } from '../../../core/json-object.ts';
import { CA_ROOT_CERT_CONFIG_MAP } from './ca-root-cert-publisher.ts';
import { createTestApi, installIstio, setIstiodReady } from './istiod.test-support.ts';
import { startIstioControlPlane } from './start-istio-control-plane.ts';

describe('the istio-ca-root-cert publisher', () => {
  it('waits for a ready istiod, then fills existing and new namespaces, skipping the ignored ones', () => {
    const { api, clock, namespaces } = createTestApi();
    for (const name of ['kube-system', 'kube-public', 'kube-node-lease']) api.create(namespaces, '', { metadata: { name } });
    const configMaps = api.resource('', 'v1', 'configmaps');
    const holders = (): string[] => api.list(configMaps, undefined, { fieldSelector: `metadata.name=${CA_ROOT_CERT_CONFIG_MAP}` }).items.map((cm) => String(asObject(cm.metadata).namespace)).sort();
    const running = startIstioControlPlane(api);
    installIstio(api);
    clock.advance(0);
    assert.deepEqual(holders(), [], 'no istiod yet');

    setIstiodReady(api, true);
    clock.advance(0);
    assert.deepEqual(holders(), ['default', 'istio-system', 'kube-system']);
    const published = api.get(configMaps, 'default', CA_ROOT_CERT_CONFIG_MAP);
    assert.deepEqual(asObject(published.metadata).labels, { 'istio.io/config': 'true' });
    assert.deepEqual(Object.keys(asObject(published.data)), ['root-cert.pem']);
    assert.match(String(asObject(published.data)['root-cert.pem']), /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);

    api.create(namespaces, '', { metadata: { name: 'shop' } });
    clock.advance(0);
    assert.deepEqual(holders(), ['default', 'istio-system', 'kube-system', 'shop']);

    // Deleted or edited, it comes back as istiod wrote it.
    api.delete(configMaps, 'shop', CA_ROOT_CERT_CONFIG_MAP);
    api.patch(configMaps, 'default', CA_ROOT_CERT_CONFIG_MAP, 'merge', JSON.stringify({ data: { 'root-cert.pem': 'tampered' } }));
    clock.advance(0);
    assert.deepEqual(asObject(api.get(configMaps, 'shop', CA_ROOT_CERT_CONFIG_MAP).data), asObject(published.data));
    assert.deepEqual(asObject(api.get(configMaps, 'default', CA_ROOT_CERT_CONFIG_MAP).data), asObject(published.data));
    clock.advance(0);
    assert.equal(running.queue.size, 0);
    running.stop();
  });
});
