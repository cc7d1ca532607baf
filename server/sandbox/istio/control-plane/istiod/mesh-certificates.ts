// istiod's self-signed CA as a sidecar's SDS sees it: the mesh root (`O=cluster.local`, a CA for
// ten years) and each workload's certificate, whose only identity is the SPIFFE ID in its URI
// SAN (`spiffe://cluster.local/ns/<ns>/sa/<sa>`), signed by that root. Keys are real RSA-2048
// keys made on first use and kept for the life of the process (bounded), so the same root signs
// every workload of a cluster and asking twice shows the same certificates.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { issueCertificate } from './issue-certificate.ts';

export interface MeshCertificateRequest {
  /** Stable per cluster CA (e.g. istiod's uid): the same seed, the same root key. */
  rootSeed: string;
  rootSerialHex: string;
  rootNotBeforeMs: number;
  rootNotAfterMs: number;
  /** Stable per proxy (e.g. its pod's uid): the same seed, the same workload key. */
  workloadSeed: string;
  workloadSerialHex: string;
  notBeforeMs: number;
  notAfterMs: number;
  /** `spiffe://cluster.local/ns/default/sa/bookinfo-productpage`. */
  spiffeId: string;
}

export interface MeshCertificates {
  /** The workload certificate then the root, as istiod answers a CSR (PEM). */
  certificateChain: string;
  /** The mesh root (PEM). */
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
  const root = keyFor(`root/${request.rootSeed}`);
  const workload = keyFor(`workload/${request.workloadSeed}`);
  const rootCert = issueCertificate({
    serialHex: request.rootSerialHex,
    issuerOrganization: 'cluster.local',
    subjectOrganization: 'cluster.local',
    notBeforeMs: request.rootNotBeforeMs,
    notAfterMs: request.rootNotAfterMs,
    publicKey: root.publicKey,
    signingKey: root.privateKey,
    issuerPublicKey: root.publicKey,
    ca: true,
  });
  const leaf = issueCertificate({
    serialHex: request.workloadSerialHex,
    issuerOrganization: 'cluster.local',
    notBeforeMs: request.notBeforeMs,
    notAfterMs: request.notAfterMs,
    publicKey: workload.publicKey,
    signingKey: root.privateKey,
    issuerPublicKey: root.publicKey,
    ca: false,
    uris: [request.spiffeId],
  });
  return { certificateChain: leaf + rootCert, rootCert };
}
