import { asArray, asObject, deepClone, deepEqual, isJsonObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import { formatPath, fromFieldsV1, leafPaths, removePath, toFieldsV1, valueAt } from './field-ownership.ts';
import type { ManagedFieldsEntry } from './managed-fields.ts';
import type { ResourceType } from './resource-type.ts';

/** The part of an object managers own: no type meta, identity or server-owned metadata. */
export function ownable(object: Readonly<JsonObject>, subresource: string): JsonObject {
  if (subresource === 'status') return object.status === undefined ? {} : { status: deepClone(object.status) };
  const copy = deepClone(object) as JsonObject;
  delete copy.apiVersion;
  delete copy.kind;
  delete copy.status;
  const meta = asObject(copy.metadata);
  for (const key of ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']) delete meta[key];
  if (Object.keys(meta).length === 0) delete copy.metadata;
  return copy;
}

/**
 * Records field ownership: an Update manager gains the fields it changed (taking them from
 * the others), an Apply manager owns exactly what it applied. Returns the new managedFields.
 */
export function recordOwnership(input: {
  apiVersion: string;
  previous: unknown;
  manager: string;
  operation: 'Apply' | 'Update';
  subresource: string;
  owned: Set<string>;
  takeFromOthers: Set<string>;
  time: string;
}): ManagedFieldsEntry[] {
  const { manager, operation, subresource, owned, takeFromOthers } = input;
  const entries = (Array.isArray(input.previous) ? input.previous.filter(isJsonObject) : []) as unknown as ManagedFieldsEntry[];
  const same = (entry: ManagedFieldsEntry): boolean => entry.manager === manager && entry.operation === operation && (entry.subresource ?? '') === subresource;
  const mine = entries.find(same);
  const paths = operation === 'Update' && mine !== undefined ? new Set([...fromFieldsV1(mine.fieldsV1), ...owned]) : owned;
  const next: ManagedFieldsEntry[] = [];
  for (const entry of entries) {
    if (same(entry)) continue;
    const kept = [...fromFieldsV1(entry.fieldsV1)].filter((path) => !takeFromOthers.has(path));
    if (kept.length > 0) next.push({ ...entry, fieldsV1: toFieldsV1(kept) });
  }
  if (paths.size > 0 || operation === 'Apply') {
    next.push({ manager, operation, apiVersion: input.apiVersion, time: input.time, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths), ...(subresource === '' ? {} : { subresource }) });
  }
  return next;
}

/**
 * Server-side apply against a live object: conflicts with other managers that own a field
 * the applied configuration sets to a different value (unless forced), and removal (from
 * `merged`) of fields this manager applied before, no longer applies, and nobody else owns.
 */
export function applyOwnership(input: {
  type: ResourceType;
  name: string;
  existing: Readonly<JsonObject>;
  applied: JsonObject;
  merged: JsonObject;
  manager: string;
  force: boolean;
}): { owned: Set<string>; taken: Set<string> } {
  const { type, name, existing, manager } = input;
  const appliedLeaves = leafPaths(ownable(input.applied, ''));
  const entries = asArray(asObject(existing.metadata).managedFields).filter(isJsonObject) as unknown as ManagedFieldsEntry[];
  const conflicts: Array<{ manager: string; apiVersion: string; path: string }> = [];
  for (const entry of entries) {
    if (entry.manager === manager || (entry.subresource ?? '') !== '') continue;
    for (const path of fromFieldsV1(entry.fieldsV1)) {
      if (appliedLeaves.has(path) && !deepEqual(valueAt(existing, path), appliedLeaves.get(path))) conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, path });
    }
  }
  if (conflicts.length > 0 && !input.force) {
    const byManager = new Map<string, string[]>();
    for (const conflict of conflicts) {
      const who = `"${conflict.manager}" using ${conflict.apiVersion}`;
      byManager.set(who, [...(byManager.get(who) ?? []), formatPath(conflict.path)]);
    }
    const parts = [...byManager].map(([who, paths]) => (paths.length === 1 ? `conflict with ${who}: ${paths[0]}` : `conflicts with ${who}:\n${paths.map((p) => `- ${p}`).join('\n')}`));
    throw new StatusError(409, 'Conflict', `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${parts.join('\n')}`, {
      name,
      ...(type.group === '' ? {} : { group: type.group }),
      kind: type.plural,
      causes: conflicts.map((conflict) => ({ reason: 'FieldManagerConflict', message: `conflict with "${conflict.manager}" using ${conflict.apiVersion}`, field: formatPath(conflict.path) })),
    });
  }
  const previous = entries.find((entry) => entry.manager === manager && entry.operation === 'Apply' && (entry.subresource ?? '') === '');
  if (previous !== undefined) {
    const others = new Set(entries.filter((entry) => entry !== previous).flatMap((entry) => [...fromFieldsV1(entry.fieldsV1)]));
    for (const path of fromFieldsV1(previous.fieldsV1)) if (!appliedLeaves.has(path) && !others.has(path)) removePath(input.merged, path);
  }
  return { owned: new Set(appliedLeaves.keys()), taken: new Set(conflicts.map((conflict) => conflict.path)) };
}
