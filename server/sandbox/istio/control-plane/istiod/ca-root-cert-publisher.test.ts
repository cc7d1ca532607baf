import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { ClusterApi } from '../../../api-server/cluster-api.ts';
import { asObject } from '../../../core/json-object.ts';
import { createRng } from '../../../core/rng.ts';
import { CA_ROOT_CERT_CONFIG_MAP } from './ca-root-cert-publisher.ts';
import { createTestApi, installIstio, setIstiodReady } from './istiod.test-support.ts';
import { clearMeshCaCache } from './mesh-ca.ts';
import { pluggedInCa } from './plugged-in-ca.test-support.ts';
import { startIstioControlPlane } from './start-istio-control-plane.ts';

function secretText(api: ClusterApi, name: string, key: string): string {
  const secret = api.get(api.resource('', 'v1', 'secrets'), 'istio-system', name);
  return Buffer.from(String(asObject(secret.data)[key]), 'base64').toString();
}

function publishedRoot(api: ClusterApi, namespace: string): string {
  return String(asObject(api.get(api.resource('', 'v1', 'configmaps'), namespace, CA_ROOT_CERT_CONFIG_MAP).data)['root-cert.pem']);
}

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

  it('publishes the root of the istio-ca-secret istiod writes once; a restored cluster keeps it', () => {
    const { api, clock } = createTestApi();
    const running = startIstioControlPlane(api);
    installIstio(api);
    clock.advance(0);
    const secrets = api.resource('', 'v1', 'secrets');
    assert.equal(api.tryGet(secrets, 'istio-system', 'istio-ca-secret'), undefined, 'no CA before istiod runs');
    setIstiodReady(api, true);
    clock.advance(0);
    const secret = api.get(secrets, 'istio-system', 'istio-ca-secret');
    assert.equal(secret.type, 'istio.io/ca-root');
    assert.equal(asObject((asObject(secret.metadata).managedFields as unknown[] | undefined)?.[0]).manager, 'pilot-discovery');
    const root = new X509Certificate(publishedRoot(api, 'default'));
    assert.equal(root.subject, 'O=cluster.local');
    assert.equal(publishedRoot(api, 'default'), secretText(api, 'istio-ca-secret', 'ca-cert.pem'));
    // istiod restarting finds its Secret and keeps the root.
    setIstiodReady(api, false);
    setIstiodReady(api, true);
    clock.advance(0);
    assert.equal(asObject(api.get(secrets, 'istio-system', 'istio-ca-secret').metadata).resourceVersion, asObject(secret.metadata).resourceVersion);
    running.stop();

    // A cluster restored from a snapshot in a fresh process (no cached CA) publishes the same root.
    clearMeshCaCache();
    const restored = new ClusterApi({ clock, rng: createRng('istiod-tests') });
    restored.restore(JSON.parse(JSON.stringify(api.snapshot())));
    const configMaps = restored.resource('', 'v1', 'configmaps');
    restored.create(restored.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'after-restore' } });
    const again = startIstioControlPlane(restored);
    clock.advance(0);
    assert.equal(String(asObject(restored.get(configMaps, 'after-restore', CA_ROOT_CERT_CONFIG_MAP).data)['root-cert.pem']), root.toString());
    again.stop();
  });

  it('uses a plugged-in cacerts instead of generating a root, and republishes when it changes', () => {
    const { api, clock } = createTestApi();
    const secrets = api.resource('', 'v1', 'secrets');
    const plugged = pluggedInCa('istio-system', clock.now());
    api.create(secrets, 'istio-system', plugged.secret);
    const running = startIstioControlPlane(api);
    installIstio(api);
    setIstiodReady(api, true);
    clock.advance(0);
    assert.equal(api.tryGet(secrets, 'istio-system', 'istio-ca-secret'), undefined, 'istiod generates nothing with a plugged-in CA');
    assert.equal(publishedRoot(api, 'default'), plugged.rootPem);
    assert.equal(new X509Certificate(publishedRoot(api, 'istio-system')).subject, 'O=Mesh Academy Root');

    const rotated = pluggedInCa('istio-system', clock.now());
    api.update(secrets, 'istio-system', 'cacerts', { ...api.get(secrets, 'istio-system', 'cacerts'), data: rotated.secret.data });
    clock.advance(0);
    assert.equal(publishedRoot(api, 'default'), rotated.rootPem);

    // An unusable cacerts is reported and leaves the published root alone.
    const errors: unknown[] = [];
    running.stop();
    const strict = startIstioControlPlane(api, { onError: (_key, error) => errors.push(error) });
    api.patch(secrets, 'istio-system', 'cacerts', 'merge', JSON.stringify({ data: { 'ca-key.pem': Buffer.from('broken').toString('base64') } }));
    clock.advance(0);
    assert.equal(publishedRoot(api, 'default'), rotated.rootPem);
    assert.match(String((errors[0] as Error | undefined)?.message), /ca-key\.pem is not a valid private key/);
    strict.stop();
  });
});
