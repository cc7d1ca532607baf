import { deepClone, deepEqual, isJsonObject, type JsonObject } from '../core/json-object.ts';

/** Merge keys of list fields in the built-in types (patchMergeKey in k8s.io/api). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  ownerReferences: 'uid',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
};

/** Lists of scalars with patchStrategy=merge: patched values are added, not replaced. */
const MERGED_SCALAR_LISTS = new Set(['finalizers']);

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  if (field === 'ports') {
    // Container ports merge on containerPort, Service ports on port.
    return items.some((item) => isJsonObject(item) && 'containerPort' in item) ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

/** Removes patch directives from a value that is being inserted as-is. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => !(isJsonObject(item) && item.$patch === 'delete')).map(stripDirectives);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    if (child === null) continue;
    out[key] = stripDirectives(child);
  }
  return out;
}

function orderBy(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const identity = (item: unknown): unknown => (mergeKey !== undefined && isJsonObject(item) ? item[mergeKey] : item);
  const wanted = order.map((entry) => (mergeKey !== undefined && isJsonObject(entry) ? entry[mergeKey] : entry));
  const ranked = list.map((item, index) => {
    const position = wanted.findIndex((key) => deepEqual(key, identity(item)));
    return { item, rank: position === -1 ? wanted.length + index : position };
  });
  return ranked.sort((a, b) => a.rank - b.rank).map((entry) => entry.item);
}

function mergeList(field: string, original: unknown, patch: unknown[]): unknown[] {
  const base = Array.isArray(original) ? deepClone(original) : [];
  if (patch.some((item) => isJsonObject(item) && item.$patch === 'replace')) {
    return patch.filter((item) => !(isJsonObject(item) && item.$patch === 'replace')).map(stripDirectives);
  }
  if (MERGED_SCALAR_LISTS.has(field)) {
    for (const item of patch) if (!base.some((existing) => deepEqual(existing, item))) base.push(item);
    return base;
  }
  const mergeKey = mergeKeyFor(field, [...base, ...patch]);
  if (mergeKey === undefined || !patch.every(isJsonObject)) return patch.map(stripDirectives);
  let result = base;
  for (const item of patch as JsonObject[]) {
    const key = item[mergeKey];
    const index = result.findIndex((existing) => isJsonObject(existing) && deepEqual(existing[mergeKey], key));
    if (item.$patch === 'delete') {
      if (index !== -1) result = result.filter((_, i) => i !== index);
      continue;
    }
    if (index === -1) result.push(stripDirectives(item));
    else result[index] = applyStrategicMergePatch(result[index], item);
  }
  return result;
}

/**
 * Strategic merge patch as the API server applies it to built-in kinds: maps merge,
 * `null` deletes, keyed lists merge by their merge key, with the `$patch`,
 * `$setElementOrder`, `$deleteFromPrimitiveList` and `$retainKeys` directives.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepClone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const result: JsonObject = isJsonObject(original) ? deepClone(original) : {};
  const orders = new Map<string, unknown[]>();
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders.set(key.slice('$setElementOrder/'.length), value);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        result[field] = current.filter((item) => !value.some((gone) => deepEqual(gone, item)));
      }
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (isJsonObject(value)) {
      if (value.$patch === 'delete') delete result[key];
      else result[key] = applyStrategicMergePatch(result[key], value);
    } else if (Array.isArray(value)) {
      result[key] = mergeList(key, result[key], value);
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const list = result[field];
    if (Array.isArray(list)) result[field] = orderBy(list, order, mergeKeyFor(field, list));
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}
