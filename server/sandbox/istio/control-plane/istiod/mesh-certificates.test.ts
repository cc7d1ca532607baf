import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { meshCaFromSecrets, type MeshCa } from './mesh-ca.ts';
import { meshCertificates, type MeshCertificateRequest } from './mesh-certificates.ts';
import { pluggedInCa } from './plugged-in-ca.test-support.ts';
import { selfSignedCaSecret } from './self-signed-ca-secret.ts';

const DAY = 86_400_000;
const start = Date.UTC(2026, 10, 24, 1, 2, 3);

function stored(secret: Record<string, unknown>, uid: string): Record<string, unknown> {
  return { ...secret, metadata: { ...(secret.metadata as object), uid, resourceVersion: '1' } };
}

const selfSigned = meshCaFromSecrets({ selfSigned: stored(selfSignedCaSecret('istio-system', start), 'uid-self') }) as MeshCa;

function request(ca: MeshCa, workloadSeed: string, spiffeId: string): MeshCertificateRequest {
  return { ca, workloadSeed, workloadSerialHex: 'c0ffee', notBeforeMs: start - 120_000, notAfterMs: start + DAY, spiffeId };
}

function chain(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? []).map((one) => new X509Certificate(one));
}

/** `openssl verify` with the trust bundle and the chain's middle as untrusted intermediates. */
function opensslVerify(rootPem: string, chainPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-ca-'));
  try {
    const [leaf, ...rest] = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
    writeFileSync(join(dir, 'root.pem'), rootPem);
    writeFileSync(join(dir, 'leaf.pem'), leaf ?? '');
    writeFileSync(join(dir, 'untrusted.pem'), rest.join(''));
    // -attime: the certificates are dated around `start`, not the machine's clock.
    return execFileSync('openssl', ['verify', '-attime', String(Math.floor(start / 1000)), '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'untrusted.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const OPENSSL = existsSync('/usr/bin/openssl') || existsSync('/usr/local/bin/openssl');

test('a workload certificate carries its SPIFFE ID as a URI SAN, an empty subject, and is signed by the mesh root', () => {
  const certs = meshCertificates(request(selfSigned, 'pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage'));
  const [leaf, rootInChain, ...rest] = chain(certs.certificateChain);
  const [root] = chain(certs.rootCert);
  assert.ok(leaf && rootInChain && root);
  assert.equal(rest.length, 0);
  assert.equal(rootInChain.fingerprint256, root.fingerprint256, 'the chain ends with the root');
  assert.equal(root.fingerprint256, selfSigned.root.fingerprint256);
  assert.equal(leaf.subjectAltName, 'URI:spiffe://cluster.local/ns/default/sa/bookinfo-productpage');
  assert.equal(leaf.subject, undefined);
  assert.equal(leaf.issuer, 'O=cluster.local');
  assert.equal(leaf.ca, false);
  assert.deepEqual(leaf.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  assert.equal(leaf.serialNumber, 'C0FFEE');
  assert.equal(new Date(leaf.validTo).getTime(), start + DAY);
  assert.equal(new Date(leaf.validFrom).getTime(), start - 120_000);
  assert.equal(leaf.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  assert.ok(leaf.checkIssued(root));
  assert.ok(leaf.verify(root.publicKey));
  assert.equal(root.subject, 'O=cluster.local');
  assert.equal(root.ca, true);
  assert.ok(root.verify(root.publicKey), 'the root is self-signed');
});

test('one CA signs every workload; asking again gives the same certificates; another CA does not vouch for them', () => {
  const a = meshCertificates(request(selfSigned, 'pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage'));
  const b = meshCertificates(request(selfSigned, 'pod-b', 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews'));
  assert.equal(a.rootCert, b.rootCert);
  const [rootA] = chain(a.rootCert);
  const [leafB] = chain(b.certificateChain);
  assert.ok(rootA && leafB && leafB.verify(rootA.publicKey));
  assert.notEqual(chain(a.certificateChain)[0]?.publicKey.export({ type: 'spki', format: 'pem' }), leafB.publicKey.export({ type: 'spki', format: 'pem' }), 'each workload has its own key');
  assert.equal(meshCertificates(request(selfSigned, 'pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage')).certificateChain, a.certificateChain);
  const other = meshCertificates(request(meshCaFromSecrets({ selfSigned: stored(selfSignedCaSecret('istio-system', start), 'uid-other') }) as MeshCa, 'pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage'));
  const [otherRoot] = chain(other.rootCert);
  assert.ok(otherRoot && !chain(a.certificateChain)[0]?.verify(otherRoot.publicKey));
});

test('a plugged-in CA: the intermediate (EC) signs, the chain is leaf, intermediate, root, and the trust bundle is root-cert.pem', () => {
  const plugged = pluggedInCa('istio-system', start);
  const ca = meshCaFromSecrets({ pluggedIn: stored(plugged.secret, 'uid-cacerts') }) as MeshCa;
  const certs = meshCertificates(request(ca, 'pod-c', 'spiffe://cluster.local/ns/shop/sa/cart'));
  const [leaf, intermediate, root, ...rest] = chain(certs.certificateChain);
  assert.ok(leaf && intermediate && root);
  assert.equal(rest.length, 0);
  assert.equal(certs.rootCert, plugged.rootPem);
  assert.equal(leaf.issuer, 'O=cluster1 intermediate', 'the issuer is the intermediate subject, byte for byte');
  assert.ok(leaf.checkIssued(intermediate));
  assert.ok(leaf.verify(intermediate.publicKey), 'ECDSA signature by the intermediate');
  assert.equal(intermediate.publicKey.asymmetricKeyType, 'ec');
  assert.ok(intermediate.verify(root.publicKey));
  assert.equal(root.fingerprint256, new X509Certificate(plugged.rootPem).fingerprint256);
});

test('openssl verify accepts both chains against their trust bundles and refuses a foreign root', { skip: OPENSSL ? false : 'no openssl binary' }, () => {
  const own = meshCertificates(request(selfSigned, 'pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage'));
  assert.match(opensslVerify(own.rootCert, own.certificateChain), /: OK\n$/);
  const plugged = pluggedInCa('istio-system', start);
  const ca = meshCaFromSecrets({ pluggedIn: stored(plugged.secret, 'uid-cacerts-2') }) as MeshCa;
  const theirs = meshCertificates(request(ca, 'pod-c', 'spiffe://cluster.local/ns/shop/sa/cart'));
  assert.match(opensslVerify(theirs.rootCert, theirs.certificateChain), /: OK\n$/);
  assert.throws(() => opensslVerify(own.rootCert, theirs.certificateChain), /unable to get local issuer certificate|verification failed/);
});
