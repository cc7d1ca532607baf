import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { meshCertificates, type MeshCertificateRequest } from './mesh-certificates.ts';

const DAY = 86_400_000;
const start = Date.UTC(2026, 10, 24, 1, 2, 3);

function request(workloadSeed: string, spiffeId: string, rootSeed = 'istiod-uid-1'): MeshCertificateRequest {
  return { rootSeed, rootSerialHex: '3a7f00c1d2e3f405', rootNotBeforeMs: start, rootNotAfterMs: start + 3650 * DAY, workloadSeed, workloadSerialHex: 'c0ffee', notBeforeMs: start - 120_000, notAfterMs: start + DAY, spiffeId };
}

function chain(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? []).map((one) => new X509Certificate(one));
}

test('a workload certificate carries its SPIFFE ID as a URI SAN, an empty subject, and is signed by the mesh root', () => {
  const certs = meshCertificates(request('pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage'));
  const [leaf, rootInChain, ...rest] = chain(certs.certificateChain);
  const [root] = chain(certs.rootCert);
  assert.ok(leaf && rootInChain && root);
  assert.equal(rest.length, 0);
  assert.equal(rootInChain.fingerprint256, root.fingerprint256, 'the chain ends with the root');
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

test('one root per cluster signs every workload; asking again gives the same certificates', () => {
  const a = meshCertificates(request('pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage'));
  const b = meshCertificates(request('pod-b', 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews'));
  assert.equal(a.rootCert, b.rootCert);
  const [rootA] = chain(a.rootCert);
  const [leafB] = chain(b.certificateChain);
  assert.ok(rootA && leafB && leafB.verify(rootA.publicKey));
  assert.notEqual(chain(a.certificateChain)[0]?.publicKey.export({ type: 'spki', format: 'pem' }), leafB.publicKey.export({ type: 'spki', format: 'pem' }), 'each workload has its own key');
  assert.equal(meshCertificates(request('pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage')).certificateChain, a.certificateChain);
  // Another cluster's root does not vouch for this workload.
  const other = meshCertificates(request('pod-a', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage', 'istiod-uid-2'));
  const [otherRoot] = chain(other.rootCert);
  assert.ok(otherRoot && !chain(a.certificateChain)[0]?.verify(otherRoot.publicKey));
});
