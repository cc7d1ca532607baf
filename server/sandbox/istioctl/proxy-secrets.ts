// `istioctl proxy-config secret <pod>`: the two SDS secrets every proxy holds, its workload
// certificate (`default`, valid 24h from when the proxy started, backdated 2 minutes for clock
// skew) and the mesh root (`ROOTCA`, the cluster CA's trust bundle: istiod's self-signed root
// or a plugged-in `cacerts` root, with that certificate's serial and dates). The workload serial
// is derived from the pod uid so it stays stable. With `-o json`, the SDS config dump holds the
// real certificates (base64 PEM), the workload's signed by the cluster's CA, with the same serials
// and dates as the table. Before istiod has a CA the proxy has no secrets.
import { createHash } from 'node:crypto';
import { asObject, asString, type JsonObject } from '../core/json-object.ts';
import type { MeshCa } from '../istio/control-plane/istiod/mesh-ca.ts';
import { meshCertificates } from '../istio/control-plane/istiod/mesh-certificates.ts';
import { tabWrite } from '../istio/istioctl-output/tab-writer.ts';

const DAY_MS = 24 * 3_600_000;
const SKEW_MS = 2 * 60_000;

function startedAt(pod: JsonObject): number {
  const status = asObject(pod.status);
  const text = asString(status.startTime) ?? asString(asObject(pod.metadata).creationTimestamp) ?? '1970-01-01T00:00:00Z';
  return Date.parse(text);
}

/** Go's time.RFC3339 in UTC, without fractional seconds. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function serial(seed: string): string {
  // math/big's Text(16) drops leading zeros.
  return createHash('sha256').update(seed).digest('hex').slice(0, 32).replace(/^0+/, '');
}

interface SecretFigures {
  podUid: string;
  workloadSerial: string;
  rootSerial: string;
  podStart: number;
  rootNotBefore: number;
  rootNotAfter: number;
}

function figures(pod: JsonObject, ca: MeshCa): SecretFigures {
  const podUid = asString(asObject(pod.metadata).uid) ?? '';
  return {
    podUid,
    workloadSerial: serial(`workload/${podUid}`),
    // X509Certificate prints the serial in upper case with its leading zero bytes.
    rootSerial: ca.root.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    podStart: startedAt(pod),
    rootNotBefore: Date.parse(ca.root.validFrom),
    rootNotAfter: Date.parse(ca.root.validTo),
  };
}

const HEADER = 'RESOURCE NAME\tTYPE\tSTATUS\tVALID CERT\tSERIAL NUMBER\tNOT AFTER\tNOT BEFORE';

/** The table; `ca` undefined (istiod has no CA yet) leaves the proxy without secrets. */
export function renderSecrets(pod: JsonObject, ca: MeshCa | undefined): string {
  if (ca === undefined) return tabWrite([HEADER], 5);
  const { workloadSerial, rootSerial, podStart, rootNotBefore, rootNotAfter } = figures(pod, ca);
  const rows = [
    ['default', 'Cert Chain', 'ACTIVE', 'true', workloadSerial, rfc3339(podStart + DAY_MS), rfc3339(podStart - SKEW_MS)],
    ['ROOTCA', 'CA', 'ACTIVE', 'true', rootSerial, rfc3339(rootNotAfter), rfc3339(rootNotBefore)],
  ];
  return tabWrite([HEADER, ...rows.map((row) => row.join('\t'))], 5);
}

/** Go's time.Time String() in UTC, as Istio's SDS puts it in versionInfo. */
function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000000 +0000 UTC`;
}

const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
/** Envoy's config dump never shows a private key: `[redacted]`. */
const REDACTED = Buffer.from('[redacted]').toString('base64');

/** `istioctl proxy-config secret <pod> -o json`: the proxy's SDS config dump. */
export function renderSecretsJson(pod: JsonObject, ca: MeshCa | undefined): string {
  if (ca === undefined) return '{}\n';
  const { podUid, workloadSerial, podStart } = figures(pod, ca);
  const metadata = asObject(pod.metadata);
  const serviceAccount = asString(asObject(pod.spec).serviceAccountName) ?? 'default';
  const certificates = meshCertificates({
    ca,
    workloadSeed: podUid,
    workloadSerialHex: workloadSerial,
    notBeforeMs: podStart - SKEW_MS,
    notAfterMs: podStart + DAY_MS,
    spiffeId: `spiffe://cluster.local/ns/${asString(metadata.namespace) ?? 'default'}/sa/${serviceAccount}`,
  });
  // The proxy fetched both over SDS a moment after it started.
  const fetched = podStart + 1_000;
  const dump = {
    dynamicActiveSecrets: [
      {
        name: 'default',
        versionInfo: goTime(fetched),
        lastUpdated: new Date(fetched).toISOString(),
        secret: {
          '@type': SECRET_TYPE,
          name: 'default',
          tlsCertificate: {
            certificateChain: { inlineBytes: Buffer.from(certificates.certificateChain).toString('base64') },
            privateKey: { inlineBytes: REDACTED },
          },
        },
      },
      {
        name: 'ROOTCA',
        versionInfo: goTime(fetched),
        lastUpdated: new Date(fetched).toISOString(),
        secret: {
          '@type': SECRET_TYPE,
          name: 'ROOTCA',
          validationContext: { trustedCa: { inlineBytes: Buffer.from(certificates.rootCert).toString('base64') } },
        },
      },
    ],
  };
  return `${JSON.stringify(dump, null, 4)}\n`;
}
