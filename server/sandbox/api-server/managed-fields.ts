import { isJsonObject, type JsonObject } from '../core/json-object.ts';

const LIST_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'type', 'uid', 'ip', 'devicePath', 'topologyKey'];

/** Metadata fields the server owns; they never appear in managedFields. */
const SERVER_OWNED = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

function fieldSet(value: unknown, depth: number): JsonObject {
  const out: JsonObject = {};
  if (depth > 32) return out;
  if (Array.isArray(value)) {
    value.forEach((item) => {
      if (isJsonObject(item)) {
        const key = LIST_KEYS.find((candidate) => item[candidate] !== undefined);
        if (key !== undefined) {
          out[`k:${JSON.stringify({ [key]: item[key] })}`] = { '.': {}, ...fieldSet(item, depth + 1) };
          return;
        }
      }
      out[`v:${JSON.stringify(item)}`] = {};
    });
    return out;
  }
  if (!isJsonObject(value)) return out;
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const nested = isJsonObject(child) || Array.isArray(child) ? fieldSet(child, depth + 1) : {};
    out[`f:${key}`] = isJsonObject(child) && Object.keys(child).length > 0 && Array.isArray(child) === false ? { ...nested } : nested;
  }
  return out;
}

/** The FieldsV1 set of every field present in `object` (server-owned metadata excluded). */
export function fieldsV1Of(object: JsonObject): JsonObject {
  const copy: JsonObject = { ...object };
  delete copy.apiVersion;
  delete copy.kind;
  delete copy.status;
  if (isJsonObject(copy.metadata)) {
    const meta: JsonObject = {};
    for (const [key, value] of Object.entries(copy.metadata)) if (!SERVER_OWNED.has(key) && key !== 'name' && key !== 'namespace') meta[key] = value;
    if (Object.keys(meta).length === 0) delete copy.metadata;
    else copy.metadata = meta;
  }
  return fieldSet(copy, 0);
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

/** Records (or refreshes) one manager's entry, as the API server does on every write. */
export function recordManager(existing: unknown, entry: ManagedFieldsEntry): ManagedFieldsEntry[] {
  const list = Array.isArray(existing) ? (existing.filter(isJsonObject) as unknown as ManagedFieldsEntry[]) : [];
  const others = list.filter((item) => !(item.manager === entry.manager && item.operation === entry.operation && item.subresource === entry.subresource));
  return [...others, entry];
}
