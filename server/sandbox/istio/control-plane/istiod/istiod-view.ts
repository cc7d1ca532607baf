// istiod's view for `istioctl proxy-status` / `proxy-config`: which istiod pods run, which
// proxies are connected to which of them (a proxy talks to the istiod of its revision), what
// configuration each receives (the mesh model) and how far each xDS type is synced.
import type { JsonObject } from '../../../core/json-object.ts';
import { buildMeshModel, type MeshModel } from '../../mesh-model/build-mesh-model.ts';
import type { ProxyConfig, XdsVersions } from '../../mesh-model/proxy-config.ts';
import { subscribedTypes, syncState, type SyncState, type XdsType } from '../../istioctl-output/proxy-status.ts';
import { runningIstiods, type RunningIstiod } from './istiod-pods.ts';

export interface ProxyView {
  config: ProxyConfig;
  /** The istiod pod the proxy is connected to (istioctl's ISTIOD column). */
  istiod: RunningIstiod;
  /** xDS types the proxy subscribes to, in istioctl's order. */
  subscribed: Array<keyof XdsVersions>;
  sync: Record<XdsType, SyncState>;
}

export interface IstiodView {
  /** Ready istiod pods, oldest first; empty means `no running Istio pods in "istio-system"`. */
  istiods: RunningIstiod[];
  /** Connected proxies (sidecars and gateways), sorted by `<pod>.<namespace>`. */
  proxies: ProxyView[];
  model: MeshModel;
}

export interface IstiodViewOptions {
  /** Versions each proxy acknowledged, by proxy id; missing proxies have acknowledged everything. */
  acked?: ReadonlyMap<string, Partial<XdsVersions>>;
}

const XDS_TYPES: XdsType[] = ['CDS', 'ECDS', 'EDS', 'LDS', 'RDS'];

/** Pure: the same objects (see meshObjects) always give the same view. */
export function istiodView(objects: readonly JsonObject[], options: IstiodViewOptions = {}): IstiodView {
  const model = buildMeshModel(objects);
  const istiods = runningIstiods(model.snapshot.list('Pod'));
  const proxies: ProxyView[] = [];
  for (const config of model.proxies) {
    const istiod = istiods.find((candidate) => candidate.revision === config.proxy.revision);
    if (istiod === undefined) continue;
    const acked = options.acked?.get(config.proxy.id);
    const sync = Object.fromEntries(XDS_TYPES.map((type) => [type, syncState(config, type, acked)])) as Record<XdsType, SyncState>;
    proxies.push({ config, istiod, subscribed: subscribedTypes(config), sync });
  }
  return { istiods, proxies, model };
}
