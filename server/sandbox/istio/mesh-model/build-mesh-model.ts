// istiod's view of the mesh from one snapshot: every connected proxy and the configuration it
// receives. Pure and deterministic: the same objects always give the same versions, so a
// caller can compare versions before and after a change to see which proxies were updated.
import type { JsonObject } from '../../core/json-object.ts';
import { buildProxyConfig } from './build-proxy-config.ts';
import { discoverProxies } from './discover-proxies.ts';
import { indexSnapshot, type MeshSnapshot } from './mesh-snapshot.ts';
import type { ProxyConfig } from './proxy-config.ts';
import { buildServiceRegistry, type ServiceRegistry } from './service-registry.ts';

export interface MeshModel {
  snapshot: MeshSnapshot;
  registry: ServiceRegistry;
  /** One entry per connected proxy, sorted by `<pod>.<namespace>`. */
  proxies: ProxyConfig[];
  /** Looks a proxy up by `<pod>.<namespace>`. */
  proxy(id: string): ProxyConfig | undefined;
}

export function buildMeshModel(objects: readonly JsonObject[]): MeshModel {
  const snapshot = indexSnapshot(objects);
  const registry = buildServiceRegistry(snapshot);
  const proxies = discoverProxies(snapshot).map((proxy) => buildProxyConfig({ snapshot, registry }, proxy));
  const byId = new Map(proxies.map((p) => [p.proxy.id, p]));
  return { snapshot, registry, proxies, proxy: (id) => byId.get(id) };
}

/** Ids of proxies whose configuration differs between two models (added and removed ones too). */
export function changedProxies(before: MeshModel, after: MeshModel): string[] {
  const ids = new Set([...before.proxies.map((p) => p.proxy.id), ...after.proxies.map((p) => p.proxy.id)]);
  return [...ids].filter((id) => before.proxy(id)?.version !== after.proxy(id)?.version).sort();
}
