import type { ServerResponse } from 'node:http';
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { JsonObject } from '../core/json-object.ts';
import type { ClusterApi, WatchEvent, WatchQuery } from './cluster-api.ts';
import type { ResourceType } from './resource-type.ts';
import { printTable, type IncludeObject } from './table-printers.ts';

export interface WatchStreamOptions {
  query: WatchQuery;
  timeoutSeconds: number;
  bookmarks: boolean;
  bookmarkIntervalMs: number;
  /** Render objects as one-row Tables (kubectl get -w). */
  table: IncludeObject | undefined;
  clock: Clock;
}

/**
 * Streams watch events as chunked NDJSON. Headers are flushed at once: kubectl's informers
 * wait for them before they consider the watch established.
 */
export function streamWatch(res: ServerResponse, api: ClusterApi, type: ResourceType, namespace: string | undefined, options: WatchStreamOptions): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let columnsSent = false;
  let closed = false;
  const timers: TimerHandle[] = [];
  const render = (event: WatchEvent): JsonObject => {
    if (options.table === undefined || event.type === 'ERROR' || event.type === 'BOOKMARK') return event.object;
    const table = printTable(type, [event.object], options.clock.now(), { include: options.table, withColumns: !columnsSent });
    (table.metadata as JsonObject).resourceVersion = String((event.object.metadata as JsonObject | undefined)?.resourceVersion ?? '');
    columnsSent = true;
    return table;
  };
  let stop: () => void = () => {};
  const finish = (): void => {
    if (closed) return;
    closed = true;
    stop();
    for (const timer of timers) options.clock.clearTimeout(timer);
    res.end();
  };
  const send = (event: WatchEvent): void => {
    if (closed) return;
    res.write(`${JSON.stringify({ type: event.type, object: render(event) })}\n`);
    if (event.type === 'ERROR') finish();
  };
  res.on('close', finish);
  stop = api.watch(type, namespace, options.query, send);
  if (options.timeoutSeconds > 0) timers.push(options.clock.setTimeout(finish, options.timeoutSeconds * 1000));
  if (options.bookmarks) {
    const bookmark = (): void => {
      if (closed) return;
      send({ type: 'BOOKMARK', object: { kind: type.kind, apiVersion: type.group === '' ? type.version : `${type.group}/${type.version}`, metadata: { resourceVersion: String(api.store.resourceVersion) } } });
      timers.push(options.clock.setTimeout(bookmark, options.bookmarkIntervalMs));
    };
    timers.push(options.clock.setTimeout(bookmark, options.bookmarkIntervalMs));
  }
}
