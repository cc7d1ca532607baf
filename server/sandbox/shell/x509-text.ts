// A certificate read the way `openssl x509` prints it (OpenSSL 3): names as `O = cluster.local`,
// dates as `Nov 24 07:43:23 2026 GMT`, and `-text` with the key, the v3 extensions a mesh
// certificate carries and the signature, in OpenSSL's layout. node:crypto parses and checks the
// certificate; the small DER reader here finds what X509Certificate does not expose (extension
// criticality, the signature bytes).
import { X509Certificate } from 'node:crypto';

interface Node {
  tag: number;
  /** Content start and end in the buffer. */
  start: number;
  end: number;
}

function read(der: Buffer, offset: number): Node {
  const tag = der[offset] ?? 0;
  let length = der[offset + 1] ?? 0;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0);
    start += count;
  }
  if (start + length > der.length) throw new Error('truncated DER');
  return { tag, start, end: start + length };
}

function children(der: Buffer, node: Node): Node[] {
  const out: Node[] = [];
  for (let offset = node.start; offset < node.end; ) {
    const child = read(der, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function oidText(der: Buffer, node: Node): string {
  const bytes = der.subarray(node.start, node.end);
  const first = bytes[0] ?? 0;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

const ATTRIBUTES: Readonly<Record<string, string>> = { '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber' };

/** OpenSSL 3's default name format: `C = US, O = cluster.local`. */
function nameText(der: Buffer, node: Node): string {
  const parts: string[] = [];
  for (const rdn of children(der, node)) {
    for (const attribute of children(der, rdn)) {
      const [type, value] = children(der, attribute);
      if (type === undefined || value === undefined) continue;
      const id = oidText(der, type);
      parts.push(`${ATTRIBUTES[id] ?? id} = ${der.subarray(value.start, value.end).toString(value.tag === 0x0c ? 'utf8' : 'latin1')}`);
    }
  }
  return parts.join(', ');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 24 07:43:23 2026 GMT` (the day padded with a space, as ASN1_TIME_print does). */
export function opensslDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

function timeMs(der: Buffer, node: Node): number {
  const text = der.subarray(node.start, node.end).toString('latin1');
  const full = node.tag === 0x17 ? `${Number(text.slice(0, 2)) < 50 ? '20' : '19'}${text}` : text;
  return Date.UTC(Number(full.slice(0, 4)), Number(full.slice(4, 6)) - 1, Number(full.slice(6, 8)), Number(full.slice(8, 10)), Number(full.slice(10, 12)), Number(full.slice(12, 14)));
}

/** `aa:bb:…` lines of `perLine` bytes, each but the last ending in `:`. */
function hexLines(bytes: Buffer, perLine: number, indent: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    const chunk = [...bytes.subarray(i, i + perLine)].map((b) => b.toString(16).padStart(2, '0')).join(':');
    lines.push(`${indent}${chunk}${i + perLine < bytes.length ? ':' : ''}`);
  }
  return lines;
}

const colonHex = (bytes: Buffer): string => [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

const SIGNATURES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
};

const KEY_USAGES = ['Digital Signature', 'Non Repudiation', 'Key Encipherment', 'Data Encipherment', 'Key Agreement', 'Certificate Sign', 'CRL Sign', 'Encipher Only', 'Decipher Only'];
const EXTENDED_KEY_USAGES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'TLS Web Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'TLS Web Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'E-mail Protection',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
};

/** Extensions by OID: OpenSSL's long name, its `-ext` short name, and how the value reads. */
const EXTENSIONS: Readonly<Record<string, { name: string; short: string; value: (der: Buffer, node: Node) => string }>> = {
  '2.5.29.15': {
    name: 'X509v3 Key Usage',
    short: 'keyUsage',
    value: (der, node) => {
      const bits = der.subarray(node.start + 1, node.end);
      return KEY_USAGES.filter((_, index) => ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0).join(', ');
    },
  },
  '2.5.29.37': { name: 'X509v3 Extended Key Usage', short: 'extendedKeyUsage', value: (der, node) => children(der, node).map((id) => EXTENDED_KEY_USAGES[oidText(der, id)] ?? oidText(der, id)).join(', ') },
  '2.5.29.19': {
    name: 'X509v3 Basic Constraints',
    short: 'basicConstraints',
    value: (der, node) => {
      const [ca, pathLength] = children(der, node);
      const isCa = ca !== undefined && ca.tag === 0x01 && der[ca.start] !== 0;
      const length = ca?.tag === 0x02 ? ca : pathLength;
      return `CA:${isCa ? 'TRUE' : 'FALSE'}${length !== undefined && length.tag === 0x02 ? `, pathlen:${der.readUIntBE(length.start, length.end - length.start)}` : ''}`;
    },
  },
  '2.5.29.14': { name: 'X509v3 Subject Key Identifier', short: 'subjectKeyIdentifier', value: (der, node) => colonHex(der.subarray(node.start, node.end)) },
  '2.5.29.35': {
    name: 'X509v3 Authority Key Identifier',
    short: 'authorityKeyIdentifier',
    value: (der, node) => {
      const keyId = children(der, node).find((child) => child.tag === 0x80);
      return keyId === undefined ? '' : colonHex(der.subarray(keyId.start, keyId.end));
    },
  },
  '2.5.29.17': {
    name: 'X509v3 Subject Alternative Name',
    short: 'subjectAltName',
    value: (der, node) =>
      children(der, node)
        .map((general) => {
          const text = der.subarray(general.start, general.end);
          if (general.tag === 0x86) return `URI:${text.toString('latin1')}`;
          if (general.tag === 0x82) return `DNS:${text.toString('latin1')}`;
          if (general.tag === 0x81) return `email:${text.toString('latin1')}`;
          if (general.tag === 0x87) return `IP Address:${text.length === 4 ? [...text].join('.') : colonHex(text)}`;
          return '<unsupported>';
        })
        .join(', '),
  },
};

export interface CertificateExtension {
  /** `X509v3 Subject Alternative Name`, or the OID of an extension this reader does not know. */
  name: string;
  /** The name `openssl x509 -ext` takes (`subjectAltName`). */
  short: string;
  critical: boolean;
  value: string;
}

export interface DescribedCertificate {
  serialHex: string;
  subject: string;
  issuer: string;
  notBeforeMs: number;
  notAfterMs: number;
  extensions: CertificateExtension[];
  /** `openssl x509 -noout -text`. */
  text: string;
  /** SHA-256 and SHA-1 digests of the DER, `AB:CD:…`. */
  fingerprint256: string;
  fingerprint: string;
}

/** Reads a DER certificate; throws when node:crypto cannot parse it. */
export function describeCertificate(der: Buffer): DescribedCertificate {
  const parsed = new X509Certificate(der);
  const root = read(der, 0);
  const [tbsNode, algorithmNode, signatureNode] = children(der, root);
  if (tbsNode === undefined || algorithmNode === undefined || signatureNode === undefined) throw new Error('not a certificate');
  const tbs = children(der, tbsNode);
  const versioned = tbs[0]?.tag === 0xa0;
  const field = (index: number): Node => {
    const node = tbs[versioned ? index + 1 : index];
    if (node === undefined) throw new Error('not a certificate');
    return node;
  };
  const version = versioned ? (der[children(der, field(-1))[0]?.start ?? 0] ?? 0) + 1 : 1;
  const serialNode = field(0);
  let serial = der.subarray(serialNode.start, serialNode.end);
  while (serial.length > 1 && serial[0] === 0) serial = serial.subarray(1);
  const algorithm = oidText(der, children(der, algorithmNode)[0] ?? algorithmNode);
  const algorithmName = SIGNATURES[algorithm] ?? algorithm;
  const issuer = nameText(der, field(2));
  const [notBeforeNode, notAfterNode] = children(der, field(3));
  const notBeforeMs = notBeforeNode === undefined ? 0 : timeMs(der, notBeforeNode);
  const notAfterMs = notAfterNode === undefined ? 0 : timeMs(der, notAfterNode);
  const subject = nameText(der, field(4));
  const extensions: CertificateExtension[] = [];
  const wrapper = tbs.find((node) => node.tag === 0xa3);
  for (const extension of wrapper === undefined ? [] : children(der, children(der, wrapper)[0] ?? wrapper)) {
    const parts = children(der, extension);
    const id = parts[0] === undefined ? '' : oidText(der, parts[0]);
    const critical = parts[1]?.tag === 0x01 && der[parts[1].start] !== 0;
    const octets = parts.at(-1);
    const known = EXTENSIONS[id];
    if (octets === undefined) continue;
    if (known === undefined) {
      extensions.push({ name: id, short: id, critical, value: colonHex(der.subarray(octets.start, octets.end)) });
      continue;
    }
    extensions.push({ name: known.name, short: known.short, critical, value: known.value(der, read(der, octets.start)) });
  }
  const serialLine = serial.length <= 8 && ((serial[0] ?? 0) & 0x80) === 0 ? [`        Serial Number: ${BigInt(`0x${serial.toString('hex')}`)} (0x${BigInt(`0x${serial.toString('hex')}`).toString(16)})`] : ['        Serial Number:', `            ${[...serial].map((b) => b.toString(16).padStart(2, '0')).join(':')}`];
  const key = parsed.publicKey;
  const keyLines: string[] = [];
  if (key.asymmetricKeyType === 'rsa') {
    const jwk = key.export({ format: 'jwk' });
    let modulus = Buffer.from(jwk.n ?? '', 'base64url');
    if (((modulus[0] ?? 0) & 0x80) !== 0) modulus = Buffer.concat([Buffer.from([0]), modulus]);
    const exponent = Number(BigInt(`0x${Buffer.from(jwk.e ?? '', 'base64url').toString('hex')}`));
    keyLines.push('            Public Key Algorithm: rsaEncryption', `                Public-Key: (${key.asymmetricKeyDetails?.modulusLength ?? 0} bit)`, '                Modulus:', ...hexLines(modulus, 15, '                    '), `                Exponent: ${exponent} (0x${exponent.toString(16)})`);
  } else if (key.asymmetricKeyType === 'ec') {
    const jwk = key.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    keyLines.push('            Public Key Algorithm: id-ecPublicKey', `                Public-Key: (${(point.length - 1) * 4} bit)`, '                pub:', ...hexLines(point, 15, '                    '), `                ASN1 OID: ${curve}`, ...(curve === 'prime256v1' ? ['                NIST CURVE: P-256'] : []));
  } else keyLines.push(`            Public Key Algorithm: ${key.asymmetricKeyType ?? 'unknown'}`);
  const signature = der.subarray(signatureNode.start + 1, signatureNode.end);
  const text = [
    'Certificate:',
    '    Data:',
    `        Version: ${version} (0x${(version - 1).toString(16)})`,
    ...serialLine,
    `        Signature Algorithm: ${algorithmName}`,
    `        Issuer: ${issuer}`,
    '        Validity',
    `            Not Before: ${opensslDate(notBeforeMs)}`,
    `            Not After : ${opensslDate(notAfterMs)}`,
    `        Subject: ${subject}`,
    '        Subject Public Key Info:',
    ...keyLines,
    ...(extensions.length === 0 ? [] : ['        X509v3 extensions:', ...extensions.flatMap((e) => [`            ${e.name}: ${e.critical ? 'critical' : ''}`, `                ${e.value}`])]),
    `    Signature Algorithm: ${algorithmName}`,
    '    Signature Value:',
    ...hexLines(signature, 18, '        '),
  ].join('\n');
  const serialHex = serial.toString('hex').toUpperCase();
  return { serialHex, subject, issuer, notBeforeMs, notAfterMs, extensions, text: `${text}\n`, fingerprint256: parsed.fingerprint256, fingerprint: parsed.fingerprint };
}
