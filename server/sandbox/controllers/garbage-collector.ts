import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, meta, nameOf, namespaceOf, tolerant, uidOf, type ControllerContext } from './controller-context.ts';

/**
 * ownerReference garbage collection: dependents of a deleted owner are deleted (background),
 * deleted before it (foreground), or released (orphan), as the real collector does.
 */
export function garbageCollector(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api } = context;
  const dependentsOf = (owner: Readonly<JsonObject>): Array<{ type: ResourceType; object: JsonObject }> => {
    const uid = uidOf(owner);
    const namespace = namespaceOf(owner);
    const out: Array<{ type: ResourceType; object: JsonObject }> = [];
    for (const type of api.registry.all()) {
      if (api.registry.byStorageKey(type.storageKey)[0] !== type) continue;
      for (const object of api.list(type, namespace === '' ? undefined : namespace).items) {
        if (asArray(meta(object).ownerReferences).some((ref) => asObject(ref).uid === uid)) out.push({ type, object });
      }
    }
    return out;
  };
  const settle = (type: ResourceType, owner: Readonly<JsonObject>): void => {
    const current = api.tryGet(type, namespaceOf(owner), nameOf(owner));
    if (current === undefined || uidOf(current) !== uidOf(owner)) return;
    const finalizers = asArray(meta(current).finalizers).map(String);
    const dependents = dependentsOf(current);
    if (finalizers.includes('orphan')) {
      for (const dependent of dependents) {
        const refs = asArray(meta(dependent.object).ownerReferences).filter((ref) => asObject(ref).uid !== uidOf(current));
        tolerant(() => api.patch(dependent.type, namespaceOf(dependent.object), nameOf(dependent.object), 'merge', JSON.stringify({ metadata: { ownerReferences: refs.length === 0 ? null : refs } }), asController('generic-garbage-collector')));
      }
      tolerant(() => api.patch(type, namespaceOf(current), nameOf(current), 'merge', JSON.stringify({ metadata: { finalizers: finalizers.filter((f) => f !== 'orphan') } }), asController('generic-garbage-collector')));
      return;
    }
    if (finalizers.includes('foregroundDeletion')) {
      const blocking = dependents;
      for (const dependent of blocking) {
        if (meta(dependent.object).deletionTimestamp === undefined) {
          tolerant(() => api.delete(dependent.type, namespaceOf(dependent.object), nameOf(dependent.object), { propagationPolicy: 'Foreground' }));
        }
      }
      if (blocking.length === 0) {
        tolerant(() => api.patch(type, namespaceOf(current), nameOf(current), 'merge', JSON.stringify({ metadata: { finalizers: finalizers.filter((f) => f !== 'foregroundDeletion') } }), asController('generic-garbage-collector')));
      } else {
        context.queue.add(`gc-foreground/${uidOf(current)}`, () => settle(type, current), 100);
      }
    }
  };
  return (change, type) => {
    const object = change.object as JsonObject;
    if (change.type === 'DELETED') {
      const uid = uidOf(object);
      context.queue.add(`gc-dependents/${uid}`, () => {
        for (const dependent of dependentsOf(object)) {
          const refs = asArray(meta(dependent.object).ownerReferences).map(asObject);
          // Dependents with another live owner stay.
          const others = refs.filter((ref) => ref.uid !== uid);
          if (others.length > 0) continue;
          if (meta(dependent.object).deletionTimestamp !== undefined) continue;
          tolerant(() => api.delete(dependent.type, namespaceOf(dependent.object), nameOf(dependent.object), { propagationPolicy: 'Background' }));
        }
      });
      return;
    }
    const finalizers = asArray(meta(object).finalizers);
    if (meta(object).deletionTimestamp !== undefined && (finalizers.includes('orphan') || finalizers.includes('foregroundDeletion'))) {
      context.queue.add(`gc-settle/${uidOf(object)}`, () => settle(type, object));
    }
  };
}
