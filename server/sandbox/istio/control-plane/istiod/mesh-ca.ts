// istiod's CA as the cluster keeps it, read back from its Secret: a plugged-in `cacerts`
// (the admin's signing certificate and key, root and chain) when it exists, else the
// `istio-ca-secret` istiod generated itself. Every consumer (the `istio-ca-root-cert`
// publisher, `istioctl proxy-config secret` in any thread, a cluster restored from a snapshot)
// reads the same Secret, so they all see one root. Parsed CAs are cached by the Secret's uid
// and resourceVersion: an edited or replaced Secret is read again.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { certificateFields } from './certificate-fields.ts';
import { MeshCaError } from './mesh-ca-error.ts';

export const PLUGGED_IN_CA_SECRET = 'cacerts';

export interface MeshCa {
  /** `plugged-in` from `cacerts`, `self-signed` from `istio-ca-secret`. */
  source: 'plugged-in' | 'self-signed';
  /** The Secret it came from, `<namespace>/<name>`. */
  secret: string;
  /** The certificate that signs workload certificates, and its key. */
  signingCert: X509Certificate;
  signingKey: KeyObject;
  /** The signing certificate's subject Name (DER): every workload certificate's issuer. */
  issuerName: Buffer;
  /** Its subject key identifier, when it has one: every workload certificate's authority key id. */
  issuerKeyId?: Buffer;
  /** What follows the workload certificate in its chain (PEM): `cert-chain.pem`, else the signing certificate. */
  chainPem: string;
  /** The trust bundle sidecars verify peers against (PEM): `root-cert.pem`, or the self-signed root. */
  rootPem: string;
  /** The first certificate of the trust bundle. */
  root: X509Certificate;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g;

function pemBlocks(text: string): string[] {
  return (text.match(PEM_BLOCK) ?? []).map((block) => (block.endsWith('\n') ? block : `${block}\n`));
}

function decoded(secret: JsonObject, key: string): string {
  const value = asString(asObject(secret.data)[key]) ?? '';
  return Buffer.from(value, 'base64').toString('utf8');
}

function invalid(secret: string, reason: string): MeshCaError {
  return new MeshCaError('CA_SECRET_INVALID', `failed to create an istiod CA from secret ${secret}: ${reason}`);
}

function parseCertificates(secretName: string, key: string, text: string): X509Certificate[] {
  const blocks = pemBlocks(text);
  if (blocks.length === 0) throw invalid(secretName, `${key} holds no PEM certificate`);
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    throw invalid(secretName, `${key} is not a valid certificate`);
  }
}

function parseCa(secret: JsonObject, source: MeshCa['source']): MeshCa {
  const metadata = asObject(secret.metadata);
  const name = `${asString(metadata.namespace) ?? ''}/${asString(metadata.name) ?? ''}`;
  const [signingCert] = parseCertificates(name, 'ca-cert.pem', decoded(secret, 'ca-cert.pem'));
  if (signingCert === undefined) throw invalid(name, 'ca-cert.pem holds no PEM certificate');
  if (!signingCert.ca) throw invalid(name, 'ca-cert.pem is not a CA certificate');
  let signingKey: KeyObject;
  try {
    signingKey = createPrivateKey(decoded(secret, 'ca-key.pem'));
  } catch {
    throw invalid(name, 'ca-key.pem is not a valid private key');
  }
  if (!signingCert.checkPrivateKey(signingKey)) throw invalid(name, 'ca-key.pem does not match ca-cert.pem');
  const chainText = decoded(secret, 'cert-chain.pem');
  const chainPem = pemBlocks(chainText).length > 0 ? pemBlocks(chainText).join('') : signingCert.toString();
  // istiod's own root is its signing certificate; a plugged-in CA names the root separately.
  const rootText = source === 'plugged-in' ? decoded(secret, 'root-cert.pem') : signingCert.toString();
  const roots = parseCertificates(name, 'root-cert.pem', rootText);
  const root = roots[0];
  if (root === undefined) throw invalid(name, 'root-cert.pem holds no PEM certificate');
  const fields = certificateFields(signingCert.raw);
  const ca: MeshCa = { source, secret: name, signingCert, signingKey, issuerName: fields.subjectName, chainPem, rootPem: pemBlocks(rootText).join(''), root };
  if (fields.subjectKeyId !== undefined) ca.issuerKeyId = fields.subjectKeyId;
  return ca;
}

/** Parsed CAs kept at most (one or two per cluster). */
const CACHE_LIMIT = 256;
const cache = new Map<string, MeshCa>();

function cached(secret: JsonObject, source: MeshCa['source']): MeshCa {
  const metadata = asObject(secret.metadata);
  const uid = asString(metadata.uid);
  const version = asString(metadata.resourceVersion);
  // Only a stored object has both; anything else is parsed each time.
  if (uid === undefined || version === undefined) return parseCa(secret, source);
  const key = `${uid}/${version}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const ca = parseCa(secret, source);
  cache.set(key, ca);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return ca;
}

/**
 * The CA istiod signs with, from the Secrets of its namespace: `cacerts` wins when present, as
 * istiod prefers plugged-in certificates; undefined while neither exists. Throws MeshCaError
 * for a Secret istiod could not use.
 */
export function meshCaFromSecrets(secrets: { pluggedIn?: JsonObject | undefined; selfSigned?: JsonObject | undefined }): MeshCa | undefined {
  if (secrets.pluggedIn !== undefined) return cached(secrets.pluggedIn, 'plugged-in');
  if (secrets.selfSigned !== undefined) return cached(secrets.selfSigned, 'self-signed');
  return undefined;
}

/** Forgets parsed CAs (tests that want a cold read, as a fresh thread has). */
export function clearMeshCaCache(): void {
  cache.clear();
}
