// What a workload certificate must copy from the certificate that signs it and that
// node:crypto's X509Certificate does not hand out as bytes: the subject Name exactly as encoded
// (a plugged-in CA's `O=Istio, CN=Intermediate CA, L=cluster1` becomes the workload's issuer
// byte for byte, so chain building matches names) and the subject key identifier (the
// workload's authority key identifier must equal it, whatever method computed it).
export interface CertificateFields {
  /** The DER of the subject Name (tag included). */
  subjectName: Buffer;
  /** The subjectKeyIdentifier extension's key id, when the certificate has one. */
  subjectKeyId?: Buffer;
}

interface Element {
  tag: number;
  /** The whole element, header included. */
  raw: Buffer;
  content: Buffer;
}

function elements(der: Buffer): Element[] {
  const found: Element[] = [];
  let offset = 0;
  while (offset < der.length) {
    const start = offset;
    const tag = der[offset++] ?? 0;
    let length = der[offset++] ?? 0;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) throw new Error('unsupported DER length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (der[offset++] ?? 0);
    }
    if (offset + length > der.length) throw new Error('truncated DER');
    found.push({ tag, raw: der.subarray(start, offset + length), content: der.subarray(offset, offset + length) });
    offset += length;
  }
  return found;
}

const SUBJECT_KEY_IDENTIFIER = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]);

/** Reads the fields from a certificate's DER (`X509Certificate.raw`). */
export function certificateFields(der: Buffer): CertificateFields {
  const [certificate] = elements(der);
  const [tbs] = elements(certificate?.content ?? Buffer.alloc(0));
  const parts = elements(tbs?.content ?? Buffer.alloc(0));
  // version [0] is optional; then serial, signature algorithm, issuer, validity, subject.
  const fields = parts[0]?.tag === 0xa0 ? parts.slice(1) : parts;
  const subject = fields[4];
  if (subject === undefined || subject.tag !== 0x30) throw new Error('not a certificate');
  const result: CertificateFields = { subjectName: Buffer.from(subject.raw) };
  const extensions = fields.find((part) => part.tag === 0xa3);
  const [list] = elements(extensions?.content ?? Buffer.alloc(0));
  for (const extension of elements(list?.content ?? Buffer.alloc(0))) {
    const items = elements(extension.content);
    if (!items[0]?.raw.equals(SUBJECT_KEY_IDENTIFIER)) continue;
    // extnValue is an OCTET STRING holding the DER of an OCTET STRING (the key id).
    const value = items[items.length - 1];
    const [keyId] = elements(value?.content ?? Buffer.alloc(0));
    if (keyId?.tag === 0x04) result.subjectKeyId = Buffer.from(keyId.content);
  }
  return result;
}
