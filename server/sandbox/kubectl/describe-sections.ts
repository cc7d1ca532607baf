// Pieces every kubectl describer prints the same way: multi-line labels and annotations,
// tolerations, RFC 1123 times and the Events table. The text keeps kubectl's tabs; the
// describer runs the whole description through one tabwriter at the end.
import type { KubectlContext } from './kubectl-context.ts';
import { humanDuration } from './human-duration.ts';
import type { KubeObject } from './object-output.ts';

const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LENGTH = 140;

/** printLabelsMultiline: `title:\tk=v`, then `\tk=v` per further key in order, or `<none>`. */
export function labelsMultiline(title: string, labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((key, index) => `${index === 0 ? `${title}:` : ''}\t${key}=${labels?.[key] ?? ''}\n`).join('');
}

/** printAnnotationsMultiline: long or multi-line values go below their key, cut at 140 bytes. */
export function annotationsMultiline(title: string, annotations: Record<string, string> | undefined): string {
  const keys = Object.keys(annotations ?? {}).filter((key) => !SKIPPED_ANNOTATIONS.has(key)).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  let text = `${title}:\t`;
  keys.forEach((key, index) => {
    if (index > 0) text += '\t';
    const value = (annotations?.[key] ?? '').replace(/\n$/, '');
    if (Buffer.byteLength(value) + key.length + 2 > MAX_ANNOTATION_LENGTH || value.includes('\n')) {
      text += `${key}:\n`;
      for (const line of value.split('\n')) {
        const cut = Buffer.byteLength(line) > MAX_ANNOTATION_LENGTH - 2 ? `${Buffer.from(line).subarray(0, MAX_ANNOTATION_LENGTH - 2).toString()}...` : line;
        text += `\t  ${cut}\n`;
      }
    } else text += `${key}: ${value}\n`;
  });
  return text;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** printPodTolerationsMultiline, sorted by key. */
export function tolerationsMultiline(title: string, tolerations: readonly Toleration[] | undefined): string {
  const list = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (list.length === 0) return `${title}:\t<none>\n`;
  return list
    .map((toleration, index) => {
      let text = `${index === 0 ? `${title}:` : ''}\t${toleration.key ?? ''}`;
      if ((toleration.value ?? '') !== '') text += `=${toleration.value ?? ''}`;
      if ((toleration.effect ?? '') !== '') text += `:${toleration.effect ?? ''}`;
      if (toleration.operator === 'Exists' && (toleration.value ?? '') === '') text += (toleration.key ?? '') !== '' || (toleration.effect ?? '') !== '' ? ' op=Exists' : 'op=Exists';
      if (toleration.tolerationSeconds !== undefined) text += ` for ${toleration.tolerationSeconds}s`;
      return `${text}\n`;
    })
    .join('');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in UTC: `Thu, 01 Jan 2026 12:00:00 +0000`. */
export function rfc1123z(timestamp: string | undefined | null): string {
  const date = new Date(timestamp ?? 0);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${DAYS[date.getUTCDay()] ?? ''}, ${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  reportingController?: string;
  reportingComponent?: string;
}

/** DescribeEvents: oldest first, ages measured on the local clock. */
export function eventsSection(events: readonly EventLike[], now: number): string {
  if (events.length === 0) return 'Events:\t<none>\n';
  const at = (event: EventLike): number => Date.parse(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? '') || 0;
  const sorted = [...events].sort((a, b) => at(a) - at(b));
  let text = 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n';
  for (const event of sorted) {
    let age = humanDuration(now - at(event));
    const count = event.count ?? 1;
    if (count > 1 && event.firstTimestamp !== undefined && event.firstTimestamp !== null) {
      age = `${age} (x${count} over ${humanDuration(now - Date.parse(event.firstTimestamp))})`;
    }
    // kubectl 1.32 names the component only, not the host.
    const from = [event.source?.component, event.reportingController, event.reportingComponent].find((name) => name !== undefined && name !== '') ?? '<unknown>';
    text += `  ${event.type ?? ''}\t${event.reason ?? ''}\t${age}\t${from}\t${(event.message ?? '').trim()}\n`;
  }
  return text;
}

/** The events about one object, found as kubectl finds them (name, namespace and uid). */
export async function eventsFor(context: KubectlContext, object: KubeObject): Promise<EventLike[]> {
  const metadata = object.metadata ?? {};
  const selector = [
    `involvedObject.name=${metadata.name ?? ''}`,
    `involvedObject.namespace=${metadata.namespace ?? ''}`,
    `involvedObject.uid=${String(metadata.uid ?? '')}`,
  ].join(',');
  const namespace = metadata.namespace ?? '';
  // Cluster-scoped objects: their events may be in any namespace.
  const collection = namespace === '' ? '/api/v1/events' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  const list = await context.client.json<{ items?: EventLike[] }>({ path: `${collection}?fieldSelector=${encodeURIComponent(selector)}&limit=500` });
  return list.items ?? [];
}
