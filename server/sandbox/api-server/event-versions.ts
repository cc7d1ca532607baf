import { asObject, type JsonObject } from '../core/json-object.ts';

/**
 * core/v1 and events.k8s.io/v1 Events are one stored set in two shapes (the real server
 * converts between them); we store the core shape.
 */
export function toEventsV1(core: JsonObject): JsonObject {
  const out: JsonObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: core.metadata, eventTime: core.eventTime ?? null };
  const source = asObject(core.source);
  const put = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  };
  put('series', core.series);
  put('reportingController', core.reportingComponent ?? source.component);
  put('reportingInstance', core.reportingInstance ?? source.host);
  put('action', core.action);
  put('reason', core.reason);
  put('regarding', core.involvedObject);
  put('related', core.related);
  put('note', core.message);
  put('type', core.type);
  if (Object.keys(source).length > 0) out.deprecatedSource = source;
  put('deprecatedFirstTimestamp', core.firstTimestamp);
  put('deprecatedLastTimestamp', core.lastTimestamp);
  put('deprecatedCount', core.count);
  return out;
}

export function fromEventsV1(event: JsonObject): JsonObject {
  const out: JsonObject = { apiVersion: 'v1', kind: 'Event', metadata: event.metadata };
  const put = (key: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  };
  put('involvedObject', event.regarding ?? {});
  put('reason', event.reason);
  put('message', event.note);
  put('source', event.deprecatedSource);
  put('firstTimestamp', event.deprecatedFirstTimestamp);
  put('lastTimestamp', event.deprecatedLastTimestamp);
  put('count', event.deprecatedCount);
  put('type', event.type);
  out.eventTime = event.eventTime ?? null;
  put('series', event.series);
  put('action', event.action);
  put('related', event.related);
  put('reportingComponent', event.reportingController);
  put('reportingInstance', event.reportingInstance);
  return out;
}
