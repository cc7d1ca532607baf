// `kubectl events`: the namespace's (or with -A every) core/v1 Event, oldest first, in
// kubectl's own table (LAST SEEN measured on the local clock, OBJECT as Kind/name), with
// --for TYPE/NAME and --types Normal,Warning filters.
import { resourcePath } from './discovery.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { humanDuration } from './human-duration.ts';
import { formatColumns } from './tab-writer.ts';

interface EventLike {
  metadata?: { namespace?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  involvedObject?: { kind?: string; name?: string };
}

function since(timestamp: string | null | undefined, now: number): string {
  if (timestamp === undefined || timestamp === null || timestamp === '') return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

function interval(event: EventLike, now: number): string {
  const first = event.eventTime !== undefined && event.eventTime !== null && event.eventTime !== '' ? since(event.eventTime, now) : since(event.firstTimestamp, now);
  if (event.series !== undefined && event.series !== null) return `${since(event.series.lastObservedTime, now)} (x${event.series.count ?? 0} over ${first})`;
  if ((event.count ?? 0) > 1) return `${since(event.lastTimestamp, now)} (x${event.count ?? 0} over ${first})`;
  return first;
}

/** The time kubectl sorts events by: series, else last timestamp, else event time. */
function sortTime(event: EventLike): number {
  const text = event.series?.lastObservedTime ?? (event.lastTimestamp !== undefined && event.lastTimestamp !== null && event.lastTimestamp !== '' ? event.lastTimestamp : event.eventTime);
  return text === undefined || text === null || text === '' ? 0 : Date.parse(text);
}

export async function runEvents(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'for', type: 'string' },
    { name: 'types', type: 'string' },
    { name: 'watch', short: 'w', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'chunk-size', type: 'int' },
  ]);
  if (flagBool(flags, 'watch')) throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl events --watch is not available in this sandbox');
  const output = flagString(flags, 'output');
  if (output !== undefined && output !== '') throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl events -o is not available in this sandbox; use kubectl get events -o …');
  const types = (flagString(flags, 'types') ?? '').split(',').map((type) => type.trim()).filter((type) => type !== '');
  for (const type of types) {
    if (type.toLowerCase() !== 'normal' && type.toLowerCase() !== 'warning') throw new KubectlError('TYPES_INVALID', 'error: valid --types are Normal or Warning');
  }
  const allNamespaces = flagBool(flags, 'all-namespaces');
  const namespace = context.namespace;
  const discovery = await context.discovery();
  let forKind: string | undefined;
  let forName: string | undefined;
  const target = flagString(flags, 'for');
  if (target !== undefined && target !== '') {
    const slash = target.indexOf('/');
    if (slash === -1) throw new KubectlError('FOR_INVALID', 'error: --for must be in resource/name form');
    forKind = discovery.resolve(target.slice(0, slash)).kind;
    forName = target.slice(slash + 1);
  }
  const events = discovery.resolve('events');
  const list = await context.client.json<{ items?: EventLike[] }>({ path: `${resourcePath(events, allNamespaces ? undefined : namespace)}?limit=500` });
  const items = (list.items ?? [])
    .filter((event) => forKind === undefined || (event.involvedObject?.kind === forKind && event.involvedObject.name === forName))
    .filter((event) => types.length === 0 || types.some((type) => type.toLowerCase() === (event.type ?? '').toLowerCase()))
    .map((event, index) => ({ event, index, time: sortTime(event) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((entry) => entry.event);
  if (items.length === 0) {
    context.err(allNamespaces ? 'No events found.\n' : `No events found in ${namespace} namespace.\n`);
    return 0;
  }
  const now = Date.now();
  const rows: string[][] = [];
  if (!flagBool(flags, 'no-headers')) rows.push([...(allNamespaces ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  for (const event of items) {
    rows.push([
      ...(allNamespaces ? [event.metadata?.namespace ?? ''] : []),
      interval(event, now),
      event.type ?? '',
      event.reason ?? '',
      `${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`,
      (event.message ?? '').trim(),
    ]);
  }
  context.out(formatColumns(rows));
  return 0;
}
