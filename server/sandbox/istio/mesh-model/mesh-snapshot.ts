// A read-only index over a plain snapshot of cluster objects (the JSON the API server stores),
// so the builders below ask "VirtualServices", "pods in default" without re-filtering. Istio's
// Gateway and the Gateway API's Gateway share a kind, so objects are keyed by group too.
import { asObject, asString, type JsonObject } from '../../core/json-object.ts';

/** The root namespace: PeerAuthentication/AuthorizationPolicy there apply mesh-wide. */
export const ROOT_NAMESPACE = 'istio-system';

export interface MeshSnapshot {
  /** Objects of one kind, by `kind` for core/apps and `kind.group` for CRDs (e.g. `Gateway.networking.istio.io`). */
  list(key: string): readonly JsonObject[];
  namespace(name: string): JsonObject | undefined;
  /** All objects as given. */
  readonly objects: readonly JsonObject[];
}

export function groupOf(object: JsonObject): string {
  const apiVersion = asString(object.apiVersion) ?? '';
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] as string) : '';
}

export function snapshotKey(object: JsonObject): string {
  const group = groupOf(object);
  const kind = asString(object.kind) ?? '';
  return group === '' || group === 'apps' ? kind : `${kind}.${group}`;
}

export function metaOf(object: JsonObject): { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string>; creationTimestamp: string } {
  const metadata = asObject(object.metadata);
  const toStrings = (value: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(asObject(value))) out[key] = String(v);
    return out;
  };
  return {
    name: asString(metadata.name) ?? '',
    namespace: asString(metadata.namespace) ?? '',
    labels: toStrings(metadata.labels),
    annotations: toStrings(metadata.annotations),
    creationTimestamp: asString(metadata.creationTimestamp) ?? '',
  };
}

/** Istio resolves conflicts by creation time, then by name: the oldest object wins. */
export function byAge(a: JsonObject, b: JsonObject): number {
  const ma = metaOf(a);
  const mb = metaOf(b);
  if (ma.creationTimestamp !== mb.creationTimestamp) return ma.creationTimestamp < mb.creationTimestamp ? -1 : 1;
  const ka = `${ma.namespace}/${ma.name}`;
  const kb = `${mb.namespace}/${mb.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function indexSnapshot(objects: readonly JsonObject[]): MeshSnapshot {
  const byKey = new Map<string, JsonObject[]>();
  const namespaces = new Map<string, JsonObject>();
  for (const object of objects) {
    const key = snapshotKey(object);
    let bucket = byKey.get(key);
    if (bucket === undefined) {
      bucket = [];
      byKey.set(key, bucket);
    }
    bucket.push(object);
    if (key === 'Namespace') namespaces.set(metaOf(object).name, object);
  }
  for (const bucket of byKey.values()) bucket.sort(byAge);
  return {
    objects,
    list: (key) => byKey.get(key) ?? [],
    namespace: (name) => namespaces.get(name),
  };
}

export const KINDS = {
  virtualService: 'VirtualService.networking.istio.io',
  destinationRule: 'DestinationRule.networking.istio.io',
  gateway: 'Gateway.networking.istio.io',
  serviceEntry: 'ServiceEntry.networking.istio.io',
  sidecar: 'Sidecar.networking.istio.io',
  peerAuthentication: 'PeerAuthentication.security.istio.io',
  authorizationPolicy: 'AuthorizationPolicy.security.istio.io',
  requestAuthentication: 'RequestAuthentication.security.istio.io',
  httpRoute: 'HTTPRoute.gateway.networking.k8s.io',
  kubeGateway: 'Gateway.gateway.networking.k8s.io',
  gatewayClass: 'GatewayClass.gateway.networking.k8s.io',
  referenceGrant: 'ReferenceGrant.gateway.networking.k8s.io',
  mutatingWebhook: 'MutatingWebhookConfiguration.admissionregistration.k8s.io',
} as const;
