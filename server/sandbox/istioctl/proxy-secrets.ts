// `istioctl proxy-config secret <pod>`: the two SDS secrets every proxy holds, its workload
// certificate (`default`, valid 24h from when the proxy started, backdated 2 minutes for clock
// skew) and the mesh root (`ROOTCA`, istiod's self-signed CA, valid 10 years from istiod's
// start). Serial numbers are derived from the pod and istiod uids so they stay stable.
import { createHash } from 'node:crypto';
import { asObject, asString, type JsonObject } from '../core/json-object.ts';
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

export function renderSecrets(pod: JsonObject, istiod: JsonObject): string {
  const podStart = startedAt(pod);
  const istiodStart = startedAt(istiod);
  const rows = [
    ['default', 'Cert Chain', 'ACTIVE', 'true', serial(`workload/${asString(asObject(pod.metadata).uid) ?? ''}`), rfc3339(podStart + DAY_MS), rfc3339(podStart - SKEW_MS)],
    ['ROOTCA', 'CA', 'ACTIVE', 'true', serial(`root/${asString(asObject(istiod.metadata).uid) ?? ''}`), rfc3339(istiodStart + CA_LIFETIME_MS), rfc3339(istiodStart)],
  ];
  return tabWrite(['RESOURCE NAME\tTYPE\tSTATUS\tVALID CERT\tSERIAL NUMBER\tNOT AFTER\tNOT BEFORE', ...rows.map((row) => row.join('\t'))], 5);
}
