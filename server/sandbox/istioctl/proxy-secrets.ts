// `istioctl proxy-config secret <pod>`: the two SDS secrets every proxy holds, its workload
// certificate (`default`, valid 24h from when the proxy started, backdated 2 minutes for clock
// skew) and the mesh root (`ROOTCA`, istiod's self-signed CA, valid 10 years from istiod's
// start). Serial numbers are derived from the pod and istiod uids so they stay stable. With
// `-o json`, the SDS config dump holds the real certificates (base64 PEM), issued by the
// sandbox's CA with the same serials and dates as the table.
import { createHash } from 'node:crypto';
import { asObject, asString, type JsonObject } from '../core/json-object.ts';
import { meshCertificates } from '../istio/control-plane/istiod/mesh-certificates.ts';
import { tabWrite } from '../istio/istioctl-output/tab-writer.ts';

const DAY_MS = 24 * 3_600_000;
const SKEW_MS = 2 * 60_000;
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;

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
  istiodUid: string;
  workloadSerial: string;
  rootSerial: string;
  podStart: number;
  istiodStart: number;
}

function figures(pod: JsonObject, istiod: JsonObject): SecretFigures {
  const podUid = asString(asObject(pod.metadata).uid) ?? '';
  const istiodUid = asString(asObject(istiod.metadata).uid) ?? '';
  return { podUid, istiodUid, workloadSerial: serial(`workload/${podUid}`), rootSerial: serial(`root/${istiodUid}`), podStart: startedAt(pod), istiodStart: startedAt(istiod) };
}

export function renderSecrets(pod: JsonObject, istiod: JsonObject): string {
  const { workloadSerial, rootSerial, podStart, istiodStart } = figures(pod, istiod);
  const rows = [
    ['default', 'Cert Chain', 'ACTIVE', 'true', workloadSerial, rfc3339(podStart + DAY_MS), rfc3339(podStart - SKEW_MS)],
    ['ROOTCA', 'CA', 'ACTIVE', 'true', rootSerial, rfc3339(istiodStart + CA_LIFETIME_MS), rfc3339(istiodStart)],
  ];
  return tabWrite(['RESOURCE NAME\tTYPE\tSTATUS\tVALID CERT\tSERIAL NUMBER\tNOT AFTER\tNOT BEFORE', ...rows.map((row) => row.join('\t'))], 5);
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
export function renderSecretsJson(pod: JsonObject, istiod: JsonObject): string {
  const { podUid, istiodUid, workloadSerial, rootSerial, podStart, istiodStart } = figures(pod, istiod);
  const metadata = asObject(pod.metadata);
  const serviceAccount = asString(asObject(pod.spec).serviceAccountName) ?? 'default';
  const certificates = meshCertificates({
    rootSeed: istiodUid,
    rootSerialHex: rootSerial,
    rootNotBeforeMs: istiodStart,
    rootNotAfterMs: istiodStart + CA_LIFETIME_MS,
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
