// kubectl apply's three-way patch: changes and additions from live → manifest, deletions
// from last-applied → manifest. With merge keys it is a strategic merge patch (lists of
// containers, env, ports… merge by key, with `$setElementOrder` and `$patch: delete`);
// without (custom resources) a JSON merge patch where lists are replaced whole.

type Json = unknown;
type JsonMap = Record<string, Json>;

/** Strategic-merge keys of the built-in types, by field name (ports depend on their items). */
function mergeKeyFor(field: string, items: readonly Json[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'hostAliases':
      return 'ip';
    case 'conditions':
      return 'type';
    case 'ports':
      return items.some((item) => isMap(item) && 'containerPort' in item) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

function isMap(value: Json): value is JsonMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

interface DiffOptions {
  strategic: boolean;
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
}

function diffMaps(from: JsonMap, to: JsonMap, options: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  for (const [key, value] of Object.entries(to)) {
    if (!(key in from)) {
      if (!options.ignoreChangesAndAdditions) patch[key] = value;
      continue;
    }
    const old = from[key];
    if (isMap(old) && isMap(value)) {
      const sub = diffMaps(old, value, options);
      if (Object.keys(sub).length > 0) patch[key] = sub;
      continue;
    }
    if (Array.isArray(old) && Array.isArray(value) && options.strategic) {
      const mergeKey = mergeKeyFor(key, [...old, ...value]);
      if (mergeKey !== undefined && [...old, ...value].every(isMap)) {
        const result = diffKeyedLists(old as JsonMap[], value as JsonMap[], mergeKey, options);
        if (result.list.length > 0) patch[key] = result.list;
        if (result.order !== undefined) patch[`$setElementOrder/${key}`] = result.order;
        continue;
      }
    }
    if (!deepEqual(old, value) && !options.ignoreChangesAndAdditions) patch[key] = value;
  }
  if (!options.ignoreDeletions) {
    for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  }
  return patch;
}

function diffKeyedLists(from: JsonMap[], to: JsonMap[], mergeKey: string, options: DiffOptions): { list: JsonMap[]; order: JsonMap[] | undefined } {
  const list: JsonMap[] = [];
  let changed = false;
  let deleted = false;
  for (const item of to) {
    const match = from.find((candidate) => deepEqual(candidate[mergeKey], item[mergeKey]));
    if (match === undefined) {
      if (!options.ignoreChangesAndAdditions) {
        list.push(item);
        changed = true;
      }
      continue;
    }
    const sub = diffMaps(match, item, options);
    if (Object.keys(sub).length > 0) {
      list.push({ ...sub, [mergeKey]: item[mergeKey] });
      if (!options.ignoreChangesAndAdditions) changed = true;
      else deleted = true;
    }
  }
  if (!options.ignoreDeletions) {
    for (const item of from) {
      if (!to.some((candidate) => deepEqual(candidate[mergeKey], item[mergeKey]))) {
        list.push({ $patch: 'delete', [mergeKey]: item[mergeKey] });
        deleted = true;
      }
    }
  }
  const order = changed || deleted ? to.map((item) => ({ [mergeKey]: item[mergeKey] })) : undefined;
  return { list, order };
}

function mergePatches(a: JsonMap, b: JsonMap): JsonMap {
  const out: JsonMap = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    if (isMap(existing) && isMap(value)) out[key] = mergePatches(existing, value);
    else if (Array.isArray(existing) && Array.isArray(value) && !key.startsWith('$setElementOrder/')) {
      const merged = [...(existing as Json[])];
      for (const item of value) {
        const keyName = isMap(item) ? Object.keys(item).find((name) => name !== '$patch' && ['name', 'mountPath', 'devicePath', 'ip', 'type', 'containerPort', 'port'].includes(name)) : undefined;
        const index = keyName === undefined ? -1 : merged.findIndex((other) => isMap(other) && isMap(item) && deepEqual(other[keyName], item[keyName]));
        if (index === -1) merged.push(item);
        else merged[index] = mergePatches(merged[index] as JsonMap, item as JsonMap);
      }
      out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

/**
 * The patch kubectl apply sends: empty (`{}`) when the live object already matches.
 * `original` is the last-applied configuration (undefined when absent).
 */
export function threeWayPatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap, strategic: boolean): JsonMap {
  const delta = diffMaps(current, modified, { strategic, ignoreDeletions: true, ignoreChangesAndAdditions: false });
  const deletions = original === undefined ? {} : diffMaps(original, modified, { strategic, ignoreDeletions: false, ignoreChangesAndAdditions: true });
  return mergePatches(deletions, delta);
}
