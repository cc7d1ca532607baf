// The Secret a real istiod writes the first time it starts without a plugged-in CA:
// `istio-ca-secret` in its namespace, type `istio.io/ca-root`, holding a freshly generated
// self-signed root (`O=cluster.local`, CA:TRUE, ten years, RSA-2048 with a random 128-bit serial)
// as `ca-cert.pem` and its key as `ca-key.pem` (PKCS #1, as Go writes RSA keys). The other
// three keys exist and are empty, as istiod's BuildSecret leaves them.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JsonObject } from '../../../core/json-object.ts';
import { issueCertificate } from './issue-certificate.ts';

export const ISTIO_CA_SECRET = 'istio-ca-secret';
export const ISTIO_CA_SECRET_TYPE = 'istio.io/ca-root';
const CA_LIFETIME_MS = 10 * 365 * 24 * 3_600_000;

export function selfSignedCaSecret(namespace: string, nowMs: number): JsonObject {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = randomBytes(16);
  // A positive serial, as Go's rand.Int(2^128) gives (never zero, which RFC 5280 forbids).
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const cert = issueCertificate({
    serialHex: serial.toString('hex'),
    issuerOrganization: 'cluster.local',
    subjectOrganization: 'cluster.local',
    notBeforeMs: nowMs,
    notAfterMs: nowMs + CA_LIFETIME_MS,
    publicKey,
    signingKey: privateKey,
    issuerPublicKey: publicKey,
    ca: true,
  });
  const key = String(privateKey.export({ type: 'pkcs1', format: 'pem' }));
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ISTIO_CA_SECRET, namespace },
    type: ISTIO_CA_SECRET_TYPE,
    data: { 'ca-cert.pem': base64(cert), 'ca-key.pem': base64(key), 'cert-chain.pem': '', 'key.pem': '', 'root-cert.pem': '' },
  };
}
