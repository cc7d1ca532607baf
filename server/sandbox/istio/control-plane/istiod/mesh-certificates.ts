// What a sidecar's SDS receives from istiod's CA: its workload certificate, whose only identity
// is the SPIFFE ID in its URI SAN (`spiffe://cluster.local/ns/<ns>/sa/<sa>`), signed by the
// cluster's CA (`mesh-ca.ts`, read from its Secret), followed by the CA's chain, and the trust
// bundle. Workload keys are real RSA-2048 keys made on first use and kept for the life of the
// process (bounded): they rotate in reality too, and only the CA must be shared by every thread.
// Asking twice in one process shows the same certificates (RSA PKCS #1 v1.5 is deterministic).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { issueCertificate, type CertificateSpec } from './issue-certificate.ts';
import type { MeshCa } from './mesh-ca.ts';

export interface MeshCertificateRequest {
  ca: MeshCa;
  /** Stable per proxy (e.g. its pod's uid): the same seed, the same workload key. */
  workloadSeed: string;
  workloadSerialHex: string;
  notBeforeMs: number;
  notAfterMs: number;
  /** `spiffe://cluster.local/ns/default/sa/bookinfo-productpage`. */
  spiffeId: string;
}

export interface MeshCertificates {
  /** The workload certificate then the CA's chain up to the root, as istiod answers a CSR (PEM). */
  certificateChain: string;
  /** The trust bundle (PEM): the `ROOTCA` secret and the `istio-ca-root-cert` ConfigMap. */
  rootCert: string;
}

/** Keys kept at most; the oldest goes first (each is about 2 KiB). */
const KEY_LIMIT = 512;
const keys = new Map<string, { publicKey: KeyObject; privateKey: KeyObject }>();

function keyFor(seed: string): { publicKey: KeyObject; privateKey: KeyObject } {
  const known = keys.get(seed);
  if (known !== undefined) return known;
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  keys.set(seed, pair);
  if (keys.size > KEY_LIMIT) {
    const oldest = keys.keys().next().value;
    if (oldest !== undefined) keys.delete(oldest);
  }
  return pair;
}

export function meshCertificates(request: MeshCertificateRequest): MeshCertificates {
  const { ca } = request;
  const workload = keyFor(request.workloadSeed);
  const spec: CertificateSpec = {
    serialHex: request.workloadSerialHex,
    issuerOrganization: 'cluster.local',
    issuerName: ca.issuerName,
    notBeforeMs: request.notBeforeMs,
    notAfterMs: request.notAfterMs,
    publicKey: workload.publicKey,
    signingKey: ca.signingKey,
    issuerPublicKey: ca.signingCert.publicKey,
    ca: false,
    uris: [request.spiffeId],
  };
  if (ca.issuerKeyId !== undefined) spec.issuerKeyId = ca.issuerKeyId;
  return { certificateChain: issueCertificate(spec) + ca.chainPem, rootCert: ca.rootPem };
}
