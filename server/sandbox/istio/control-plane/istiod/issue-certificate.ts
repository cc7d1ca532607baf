// A real X.509 v3 certificate, DER-encoded by hand and signed with node:crypto, so the sandbox
// needs no certificate library. Only what istiod's CA puts in its certificates is encoded (as
// Go's crypto/x509 writes them): an `O=` name or an empty subject, a validity, the key, and the
// extensions key usage, extended key usage, basic constraints, key identifiers and a URI SAN,
// in Go's order. Signatures are sha256WithRSAEncryption (PKCS #1 v1.5, deterministic), or
// ecdsa-with-SHA256 when a plugged-in CA's key is EC.
import { createHash, sign, type KeyObject } from 'node:crypto';

export interface CertificateSpec {
  /** Hex serial number (a positive integer). */
  serialHex: string;
  /** The issuer's organisation (`cluster.local`). */
  issuerOrganization: string;
  /** The issuer's subject Name as encoded in its certificate; overrides `issuerOrganization` (a plugged-in CA's name). */
  issuerName?: Buffer;
  /** The subject's organisation; absent for an empty subject, as Istio's workload certificates have. */
  subjectOrganization?: string;
  notBeforeMs: number;
  notAfterMs: number;
  publicKey: KeyObject;
  /** The issuer's private key (the subject's own for a self-signed root). */
  signingKey: KeyObject;
  /** The issuer's public key, for the authority key identifier. */
  issuerPublicKey: KeyObject;
  /** The issuer's subject key identifier when its certificate carries one (else computed from its key). */
  issuerKeyId?: Buffer;
  /** A CA (key cert sign, CA:TRUE, a subject key identifier) or a workload (server and client auth, CA:FALSE). */
  ca: boolean;
  /** URI subject alternative names (`spiffe://cluster.local/ns/default/sa/bookinfo-productpage`). */
  uris?: readonly string[];
}

// DER: tag, definite length, content.
function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const bitString = (content: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
const explicit = (tagNumber: number, content: Buffer): Buffer => tlv(0xa0 | tagNumber, content);
const NULL = Buffer.from([0x05, 0x00]);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let rest = Math.floor(part / 128); rest > 0; rest = Math.floor(rest / 128)) chunk.unshift(0x80 | (rest & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function integerFromHex(hex: string): Buffer {
  let bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  while (bytes.length > 1 && bytes[0] === 0 && ((bytes[1] ?? 0) & 0x80) === 0) bytes = bytes.subarray(1);
  // A leading 1 bit would read as negative.
  if (((bytes[0] ?? 0) & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280). */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  return Number(digits.slice(0, 4)) < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'latin1')) : tlv(0x18, Buffer.from(`${digits}Z`, 'latin1'));
}

/** Go marshals a printable string as PrintableString. */
function organization(name: string | undefined): Buffer {
  if (name === undefined) return sequence();
  return sequence(set(sequence(oid('2.5.4.10'), tlv(0x13, Buffer.from(name, 'latin1')))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));
}

/** RFC 5280's method 1, as Go computes it: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip to the bit string's content.
  let offset = 0;
  const readHeader = (): { tag: number; length: number } => {
    const tag = spki[offset++] ?? 0;
    let length = spki[offset++] ?? 0;
    if (length & 0x80) {
      const count = length & 0x7f;
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (spki[offset++] ?? 0);
    }
    return { tag, length };
  };
  readHeader();
  const algorithm = readHeader();
  offset += algorithm.length;
  const bits = readHeader();
  return createHash('sha1').update(spki.subarray(offset + 1, offset + bits.length)).digest();
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), NULL);
// ECDSA's AlgorithmIdentifier has no parameters (RFC 5758).
const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/** Plugged-in CAs may sign with an EC key; istiod's own is RSA. */
function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'rsa') return SHA256_WITH_RSA;
  if (key.asymmetricKeyType === 'ec') return ECDSA_WITH_SHA256;
  throw new Error(`unsupported signing key type ${String(key.asymmetricKeyType)}`);
}

/** The certificate as PEM. */
export function issueCertificate(spec: CertificateSpec): string {
  const extensions: Buffer[] = [];
  // Key usage: digitalSignature (bit 0), keyEncipherment (bit 2), and keyCertSign (bit 5) for a CA.
  extensions.push(extension('2.5.29.15', true, spec.ca ? bitString(Buffer.from([0xa4]), 2) : bitString(Buffer.from([0xa0]), 5)));
  if (!spec.ca) extensions.push(extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))));
  extensions.push(extension('2.5.29.19', true, spec.ca ? sequence(TRUE) : sequence()));
  if (spec.ca) extensions.push(extension('2.5.29.14', false, octetString(keyIdentifier(spec.publicKey))));
  else extensions.push(extension('2.5.29.35', false, sequence(tlv(0x80, spec.issuerKeyId ?? keyIdentifier(spec.issuerPublicKey)))));
  const uris = spec.uris ?? [];
  if (uris.length > 0) {
    // With an empty subject the SAN carries the identity and must be critical (RFC 5280 4.2.1.6).
    extensions.push(extension('2.5.29.17', spec.subjectOrganization === undefined, sequence(...uris.map((uri) => tlv(0x86, Buffer.from(uri, 'latin1'))))));
  }
  const algorithm = signatureAlgorithm(spec.signingKey);
  const tbs = sequence(
    explicit(0, tlv(0x02, Buffer.from([2]))),
    integerFromHex(spec.serialHex),
    algorithm,
    spec.issuerName ?? organization(spec.issuerOrganization),
    sequence(time(spec.notBeforeMs), time(spec.notAfterMs)),
    organization(spec.subjectOrganization),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
