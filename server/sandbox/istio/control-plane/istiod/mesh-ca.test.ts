import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { asObject, type JsonObject } from '../../../core/json-object.ts';
import { MeshCaError } from './mesh-ca-error.ts';
import { clearMeshCaCache, meshCaFromSecrets } from './mesh-ca.ts';
import { pluggedInCa } from './plugged-in-ca.test-support.ts';
import { selfSignedCaSecret } from './self-signed-ca-secret.ts';

const NOW = Date.UTC(2026, 10, 24, 8, 0, 0);

function stored(secret: JsonObject, uid: string, resourceVersion = '1'): JsonObject {
  return { ...secret, metadata: { ...asObject(secret.metadata), uid, resourceVersion } };
}

function text(secret: JsonObject, key: string): string {
  return Buffer.from(String(asObject(secret.data)[key]), 'base64').toString();
}

describe('the mesh CA read from its Secret', () => {
  it('istio-ca-secret holds a self-signed RSA root and its PKCS #1 key, the other keys empty, type istio.io/ca-root', () => {
    const secret = selfSignedCaSecret('istio-system', NOW);
    assert.equal(secret.type, 'istio.io/ca-root');
    assert.deepEqual(asObject(secret.metadata), { name: 'istio-ca-secret', namespace: 'istio-system' });
    assert.deepEqual(Object.keys(asObject(secret.data)).sort(), ['ca-cert.pem', 'ca-key.pem', 'cert-chain.pem', 'key.pem', 'root-cert.pem']);
    for (const key of ['cert-chain.pem', 'key.pem', 'root-cert.pem']) assert.equal(asObject(secret.data)[key], '');
    assert.match(text(secret, 'ca-key.pem'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const root = new X509Certificate(text(secret, 'ca-cert.pem'));
    assert.equal(root.subject, 'O=cluster.local');
    assert.equal(root.issuer, 'O=cluster.local');
    assert.equal(root.ca, true);
    assert.equal(root.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(Date.parse(root.validFrom), NOW);
    assert.equal(Date.parse(root.validTo), NOW + 3650 * 86_400_000);
    assert.equal(root.serialNumber.length, 32, 'a 128-bit serial');

    const ca = meshCaFromSecrets({ selfSigned: stored(secret, 'u1') });
    assert.equal(ca?.source, 'self-signed');
    assert.equal(ca?.secret, 'istio-system/istio-ca-secret');
    assert.equal(ca?.rootPem, text(secret, 'ca-cert.pem'));
    assert.equal(ca?.chainPem, text(secret, 'ca-cert.pem'), 'workload chains end in the root');
    assert.equal(ca?.root.fingerprint256, root.fingerprint256);
    assert.ok(ca?.issuerKeyId !== undefined, 'the root has a subject key identifier');
  });

  it('each generated Secret is a different root', () => {
    const a = new X509Certificate(text(selfSignedCaSecret('istio-system', NOW), 'ca-cert.pem'));
    const b = new X509Certificate(text(selfSignedCaSecret('istio-system', NOW), 'ca-cert.pem'));
    assert.notEqual(a.fingerprint256, b.fingerprint256);
  });

  it('a plugged-in cacerts wins over istio-ca-secret', () => {
    const plugged = pluggedInCa('istio-system', NOW);
    const ca = meshCaFromSecrets({ pluggedIn: stored(plugged.secret, 'p1'), selfSigned: stored(selfSignedCaSecret('istio-system', NOW), 's1') });
    assert.equal(ca?.source, 'plugged-in');
    assert.equal(ca?.secret, 'istio-system/cacerts');
    assert.equal(ca?.rootPem, plugged.rootPem);
    assert.equal(ca?.chainPem, plugged.intermediatePem + plugged.rootPem);
    assert.equal(ca?.signingCert.subject, 'O=cluster1 intermediate');
    assert.equal(meshCaFromSecrets({}), undefined);
  });

  it('is parsed once per uid and resourceVersion; an edit or a cleared cache reads it again', () => {
    const secret = selfSignedCaSecret('istio-system', NOW);
    const first = meshCaFromSecrets({ selfSigned: stored(secret, 'c1', '5') });
    assert.equal(meshCaFromSecrets({ selfSigned: stored(secret, 'c1', '5') }), first);
    const edited = meshCaFromSecrets({ selfSigned: stored(secret, 'c1', '6') });
    assert.notEqual(edited, first);
    assert.equal(edited?.rootPem, first?.rootPem);
    clearMeshCaCache();
    const cold = meshCaFromSecrets({ selfSigned: stored(secret, 'c1', '5') });
    assert.notEqual(cold, first);
    assert.equal(cold?.root.fingerprint256, first?.root.fingerprint256, 'the root comes from the Secret, not the process');
  });

  it('refuses a cacerts istiod could not use, with a stable code', () => {
    const plugged = pluggedInCa('istio-system', NOW, { ecIntermediate: false });
    const data = asObject(plugged.secret.data);
    const otherKey = String(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...data, 'ca-key.pem': Buffer.from(otherKey).toString('base64') }, /ca-key\.pem does not match ca-cert\.pem/],
      [{ ...data, 'ca-cert.pem': undefined }, /ca-cert\.pem holds no PEM certificate/],
      [{ ...data, 'ca-key.pem': Buffer.from('nope').toString('base64') }, /ca-key\.pem is not a valid private key/],
      [{ ...data, 'root-cert.pem': '' }, /root-cert\.pem holds no PEM certificate/],
    ];
    for (const [index, [broken, message]] of cases.entries()) {
      assert.throws(
        () => meshCaFromSecrets({ pluggedIn: stored({ ...plugged.secret, data: broken as JsonObject }, `bad-${index}`) }),
        (error: unknown) => error instanceof MeshCaError && error.code === 'CA_SECRET_INVALID' && message.test(error.message) && error.message.startsWith('failed to create an istiod CA from secret istio-system/cacerts: '),
      );
    }
  });
});
