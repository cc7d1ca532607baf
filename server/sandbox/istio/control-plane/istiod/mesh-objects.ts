// The cluster objects istiod watches, read from the emulated API as plain JSON (with apiVersion
// and kind), ready for the mesh model: namespaces, pods, services, the mesh ConfigMaps, and
// every Istio and Gateway API resource that is served.
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import type { JsonObject } from '../../../core/json-object.ts';

const CORE = new Set(['namespaces', 'pods', 'services', 'configmaps']);
const MESH_GROUPS = /(^|\.)istio\.io$|^gateway\.networking\.k8s\.io$/;

export function meshObjects(api: ClusterApi): JsonObject[] {
  const out: JsonObject[] = [];
  for (const type of api.registry.all()) {
    if (api.registry.byStorageKey(type.storageKey)[0] !== type) continue;
    const wanted = (type.group === '' && CORE.has(type.plural)) || (type.group === 'apps' && type.plural === 'deployments') || MESH_GROUPS.test(type.group);
    if (!wanted) continue;
    out.push(...api.list(type, undefined).items);
  }
  return out;
}
