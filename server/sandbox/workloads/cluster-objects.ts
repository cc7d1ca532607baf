// The data plane's input: every object in the cluster as one array, rebuilt only after the
// store changed, so the plane's mesh model and network view are recomputed only then.
import type { ClusterApi } from '../api-server/cluster-api.ts';
import type { JsonObject } from '../core/json-object.ts';

export interface ClusterObjects {
  /** The same array until something in the store changes. */
  current(): readonly JsonObject[];
  dispose(): void;
}

export function watchClusterObjects(api: ClusterApi): ClusterObjects {
  let snapshot: readonly JsonObject[] | undefined;
  const unsubscribe = api.onChange(() => {
    snapshot = undefined;
  });
  return {
    current() {
      if (snapshot === undefined) {
        const keys = new Set(api.registry.all().map((type) => type.storageKey));
        const objects: JsonObject[] = [];
        for (const key of keys) for (const object of api.store.list(key)) objects.push(object as JsonObject);
        snapshot = objects;
      }
      return snapshot;
    },
    dispose: unsubscribe,
  };
}
