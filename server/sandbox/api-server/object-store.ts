import { DEFAULT_CLUSTER_LIMITS } from '../core/cluster-limits.ts';
import { deepClone, type JsonObject } from '../core/json-object.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change, in resourceVersion order. Objects are frozen snapshots. */
export interface StoreChange {
  type: ChangeType;
  storageKey: string;
  namespace: string;
  name: string;
  resourceVersion: number;
  object: Readonly<JsonObject>;
  oldObject: Readonly<JsonObject> | undefined;
}

export interface ObjectStoreOptions {
  /** How many changes are kept for watches resuming from a resourceVersion. */
  historyLimit?: number;
  /** Most objects the store accepts (a guard against runaway sandboxes). */
  maxObjects?: number;
}

function metaOf(object: JsonObject): JsonObject {
  return (object.metadata ?? {}) as JsonObject;
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) freeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Every stored object with the resourceVersion counter: plain JSON, enough to rebuild the store. */
export interface StoreSnapshot {
  resourceVersion: number;
  objects: Array<{ storageKey: string; object: JsonObject }>;
}

export class StoreFullError extends Error {
  readonly code = 'STORE_FULL';
}

/**
 * Objects of every resource with one cluster-wide resourceVersion counter, a bounded change
 * history for watch resumption, and a feed of committed changes. It knows nothing of
 * validation: callers hand it finished objects.
 */
export class ObjectStore {
  #byKey = new Map<string, Map<string, Readonly<JsonObject>>>();
  #resourceVersion = 1000;
  #history: StoreChange[] = [];
  #historyLimit: number;
  #maxObjects: number;
  #count = 0;
  #listeners = new Set<(change: StoreChange) => void>();

  constructor(options: ObjectStoreOptions = {}) {
    this.#historyLimit = options.historyLimit ?? 5000;
    this.#maxObjects = options.maxObjects ?? DEFAULT_CLUSTER_LIMITS.maxObjects;
  }

  get resourceVersion(): number {
    return this.#resourceVersion;
  }

  /** The oldest resourceVersion a watch can resume from without 410 Gone. */
  get oldestResumable(): number {
    const first = this.#history[0];
    return first === undefined ? this.#resourceVersion : first.resourceVersion - 1;
  }

  get(storageKey: string, namespace: string, name: string): Readonly<JsonObject> | undefined {
    return this.#byKey.get(storageKey)?.get(keyOf(namespace, name));
  }

  /** Objects sorted by namespace then name, like etcd's key order. */
  list(storageKey: string, namespace?: string): Readonly<JsonObject>[] {
    const objects = this.#byKey.get(storageKey);
    if (objects === undefined) return [];
    const keys = [...objects.keys()].sort();
    const out: Readonly<JsonObject>[] = [];
    for (const key of keys) {
      const object = objects.get(key);
      if (object === undefined) continue;
      if (namespace !== undefined && (metaOf(object).namespace ?? '') !== namespace) continue;
      out.push(object);
    }
    return out;
  }

  /** Changes after `resourceVersion`, or undefined when the history no longer reaches back that far. */
  changesSince(resourceVersion: number): StoreChange[] | undefined {
    if (resourceVersion < this.oldestResumable) return undefined;
    return this.#history.filter((change) => change.resourceVersion > resourceVersion);
  }

  subscribe(listener: (change: StoreChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stores a new or replaced object, stamping the next resourceVersion; returns the stored copy. */
  put(storageKey: string, object: JsonObject): Readonly<JsonObject> {
    const meta = metaOf(object);
    const namespace = String(meta.namespace ?? '');
    const name = String(meta.name ?? '');
    let objects = this.#byKey.get(storageKey);
    if (objects === undefined) {
      objects = new Map();
      this.#byKey.set(storageKey, objects);
    }
    const key = keyOf(namespace, name);
    const oldObject = objects.get(key);
    if (oldObject === undefined && this.#count >= this.#maxObjects) {
      throw new StoreFullError(`this sandbox already holds its limit of ${this.#maxObjects} objects (maxObjects); delete some before creating more`);
    }
    const stored = deepClone(object);
    const rv = ++this.#resourceVersion;
    (stored.metadata as JsonObject).resourceVersion = String(rv);
    freeze(stored);
    objects.set(key, stored);
    if (oldObject === undefined) this.#count++;
    this.#record({ type: oldObject === undefined ? 'ADDED' : 'MODIFIED', storageKey, namespace, name, resourceVersion: rv, object: stored, oldObject });
    return stored;
  }

  /** Removes an object; the DELETED change carries its last state with a fresh resourceVersion. */
  remove(storageKey: string, namespace: string, name: string): Readonly<JsonObject> | undefined {
    const objects = this.#byKey.get(storageKey);
    const key = keyOf(namespace, name);
    const oldObject = objects?.get(key);
    if (objects === undefined || oldObject === undefined) return undefined;
    objects.delete(key);
    this.#count--;
    const last = deepClone(oldObject) as JsonObject;
    const rv = ++this.#resourceVersion;
    (last.metadata as JsonObject).resourceVersion = String(rv);
    freeze(last);
    this.#record({ type: 'DELETED', storageKey, namespace, name, resourceVersion: rv, object: last, oldObject });
    return last;
  }

  snapshot(): StoreSnapshot {
    const objects: StoreSnapshot['objects'] = [];
    for (const [storageKey, byName] of [...this.#byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const key of [...byName.keys()].sort()) {
        const object = byName.get(key);
        if (object !== undefined) objects.push({ storageKey, object: deepClone(object) as JsonObject });
      }
    }
    return { resourceVersion: this.#resourceVersion, objects };
  }

  /**
   * Loads a snapshot into an empty store, objects keeping their resourceVersions. No changes are
   * published and the history starts empty, so watches from before the snapshot get 410 Gone.
   */
  restore(snapshot: StoreSnapshot): void {
    if (this.#count > 0) throw new Error('a snapshot can only be restored into an empty store');
    for (const { storageKey, object } of snapshot.objects) {
      const meta = metaOf(object);
      let objects = this.#byKey.get(storageKey);
      if (objects === undefined) {
        objects = new Map();
        this.#byKey.set(storageKey, objects);
      }
      objects.set(keyOf(String(meta.namespace ?? ''), String(meta.name ?? '')), freeze(deepClone(object)));
      this.#count++;
    }
    this.#resourceVersion = snapshot.resourceVersion;
    this.#history = [];
  }

  #record(change: StoreChange): void {
    this.#history.push(change);
    if (this.#history.length > this.#historyLimit) this.#history.splice(0, this.#history.length - this.#historyLimit);
    for (const listener of this.#listeners) listener(change);
  }
}
