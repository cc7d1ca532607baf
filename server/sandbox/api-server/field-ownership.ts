import { deepEqual, isJsonObject, type JsonObject } from '../core/json-object.ts';

/**
 * Which manager owns which fields (server-side apply). A field is a path of segments: a
 * field name, or the key of an item in a keyed list. Paths are kept as JSON strings so they
 * can live in Sets; managedFields stores them in the real FieldsV1 form.
 */
export type Segment = string | { key: JsonObject };

/** Keys that identify list items (the merge keys of the built-in kinds, and `name` for CRs). */
const ITEM_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'type', 'uid', 'ip', 'devicePath', 'topologyKey'];

function itemKey(item: unknown): JsonObject | undefined {
  if (!isJsonObject(item)) return undefined;
  const key = ITEM_KEYS.find((candidate) => item[candidate] !== undefined && typeof item[candidate] !== 'object');
  return key === undefined ? undefined : { [key]: item[key] };
}

function isKeyedList(list: unknown[]): boolean {
  const keys = list.map(itemKey);
  return list.length > 0 && keys.every((key) => key !== undefined) && new Set(keys.map((key) => JSON.stringify(key))).size === list.length;
}

/** Every owned leaf of `value` with its value: scalars, atomic lists, empty objects. */
export function leafPaths(value: unknown, prefix: Segment[] = [], out = new Map<string, unknown>()): Map<string, unknown> {
  if (isJsonObject(value)) {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined);
    if (entries.length === 0 && prefix.length > 0) out.set(JSON.stringify(prefix), value);
    for (const [key, child] of entries) leafPaths(child, [...prefix, key], out);
    return out;
  }
  if (Array.isArray(value) && isKeyedList(value)) {
    for (const item of value) leafPaths(item, [...prefix, { key: itemKey(item) ?? {} }], out);
    return out;
  }
  out.set(JSON.stringify(prefix), value);
  return out;
}

/** Paths of what a write changed: new or different leaves, and leaves that disappeared. */
export function changedPaths(before: unknown, after: unknown): Set<string> {
  const old = leafPaths(before);
  const next = leafPaths(after);
  const changed = new Set<string>();
  for (const [path, value] of next) if (!old.has(path) || !deepEqual(old.get(path), value)) changed.add(path);
  for (const path of old.keys()) if (!next.has(path)) changed.add(path);
  return changed;
}

export function toFieldsV1(paths: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const path of paths) {
    let node = root;
    for (const segment of JSON.parse(path) as Segment[]) {
      const name = typeof segment === 'string' ? `f:${segment}` : `k:${JSON.stringify(segment.key)}`;
      const child = isJsonObject(node[name]) ? (node[name] as JsonObject) : {};
      if (typeof segment !== 'string') child['.'] = {};
      node[name] = child;
      node = child;
    }
  }
  return root;
}

export function fromFieldsV1(fields: unknown, prefix: Segment[] = [], out = new Set<string>()): Set<string> {
  if (!isJsonObject(fields)) return out;
  const children = Object.entries(fields).filter(([name]) => name !== '.');
  if (children.length === 0 && prefix.length > 0) out.add(JSON.stringify(prefix));
  for (const [name, child] of children) {
    if (name.startsWith('f:')) fromFieldsV1(child, [...prefix, name.slice(2)], out);
    else if (name.startsWith('k:')) {
      try {
        fromFieldsV1(child, [...prefix, { key: JSON.parse(name.slice(2)) as JsonObject }], out);
      } catch {
        // An unreadable key owns nothing we can act on.
      }
    } else if (name.startsWith('v:') && prefix.length > 0) out.add(JSON.stringify(prefix));
  }
  return out;
}

/** `.spec.template.spec.containers[name="web"].image`, as conflict messages print paths. */
export function formatPath(path: string): string {
  return (JSON.parse(path) as Segment[])
    .map((segment) => (typeof segment === 'string' ? `.${segment}` : `[${Object.entries(segment.key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`))
    .join('');
}

/** The value at a path, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const segment of JSON.parse(path) as Segment[]) {
    if (typeof segment === 'string') current = isJsonObject(current) ? current[segment] : undefined;
    else current = Array.isArray(current) ? current.find((item) => deepEqual(itemKey(item), segment.key)) : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Deletes the field at a path (and list items left with nothing but their key). */
export function removePath(root: JsonObject, path: string): void {
  const segments = JSON.parse(path) as Segment[];
  const parents: unknown[] = [root];
  let current: unknown = root;
  for (const segment of segments.slice(0, -1)) {
    if (typeof segment === 'string') current = isJsonObject(current) ? current[segment] : undefined;
    else current = Array.isArray(current) ? current.find((item) => deepEqual(itemKey(item), segment.key)) : undefined;
    if (current === undefined) return;
    parents.push(current);
  }
  const last = segments[segments.length - 1];
  if (last === undefined) return;
  if (typeof last === 'string') {
    if (isJsonObject(current)) delete current[last];
  } else if (Array.isArray(current)) {
    const index = current.findIndex((item) => deepEqual(itemKey(item), last.key));
    if (index !== -1) current.splice(index, 1);
  }
}
