import { asObject, type JsonObject } from '../core/json-object.ts';
import { apiVersionOf } from '../api-server/resource-type.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { StatusError } from '../core/status-error.ts';
import { asController, meta, nameOf, namespaceOf, uidOf, type ControllerContext } from './controller-context.ts';

const EVENT_TTL_MS = 60 * 60 * 1000;

export interface EventSource {
  component: string;
  host?: string;
}

/** Like the API server's --event-ttl (1h default): old events go away. */
function expireEvent(context: ControllerContext, namespace: string, name: string, delayMs: number): void {
  context.queue.add(`event-ttl/${namespace}/${name}`, () => {
    try {
      context.api.delete(context.types.events, namespace, name);
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
    }
  }, delayMs);
}

/** Schedules the expiry of events stored before the controllers started (a restored snapshot). */
export function expireStoredEvents(context: ControllerContext): void {
  const now = context.api.clock.now();
  for (const event of context.api.store.list(context.types.events.storageKey)) {
    const created = Date.parse(String(meta(event).creationTimestamp ?? ''));
    const age = Number.isNaN(created) ? 0 : now - created;
    expireEvent(context, namespaceOf(event), nameOf(event), Math.max(0, EVENT_TTL_MS - age));
  }
}

/** Records core/v1 Events the way the real components word them (`kubectl describe` shows them). */
export function recordEvent(
  context: ControllerContext,
  involved: { type: ResourceType; object: JsonObject | Readonly<JsonObject>; fieldPath?: string },
  eventType: 'Normal' | 'Warning',
  reason: string,
  message: string,
  source: EventSource,
): void {
  const namespace = namespaceOf(involved.object) || 'default';
  const now = context.api.now();
  // Real names are "<object>.<unix nanos in hex>".
  const stamp = (BigInt(context.api.clock.now()) * 1_000_000n + BigInt(context.rng.int(1_000_000))).toString(16);
  const involvedObject: JsonObject = {
    apiVersion: apiVersionOf(involved.type),
    kind: involved.type.kind,
    name: nameOf(involved.object),
    namespace,
    resourceVersion: String(meta(involved.object).resourceVersion ?? ''),
    uid: uidOf(involved.object),
  };
  if (!involved.type.namespaced) delete involvedObject.namespace;
  if (involved.fieldPath !== undefined) involvedObject.fieldPath = involved.fieldPath;
  // Events are best effort: a terminating namespace, for one, refuses them.
  try {
    // The event correlator folds a repeat into the first event: `(x3 over 2m)` in describe.
    const repeat = context.api.store.list(context.types.events.storageKey, namespace).find((event) => {
      const seen = asObject(event.involvedObject);
      return seen.uid === involvedObject.uid && seen.fieldPath === involvedObject.fieldPath && event.reason === reason && event.message === message && event.type === eventType && asObject(event.source).component === source.component;
    });
    if (repeat !== undefined) {
      context.api.update(context.types.events, namespace, nameOf(repeat), { ...repeat, count: Number(repeat.count ?? 1) + 1, lastTimestamp: now, involvedObject }, asController(source.component));
      return;
    }
    const name = `${nameOf(involved.object)}.${stamp}`;
    expireEvent(context, namespace, name, EVENT_TTL_MS);
    context.api.create(context.types.events, namespace, {
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: eventType,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    }, asController(source.component));
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
  }
}
