// The objects an install left in the cluster, found as istioctl's pruner finds them: every
// kind it creates, listed across the cluster, kept when a filter on labels or group says so.
// Namespaced kinds come first, then cluster-scoped ones, in the order it walks them.
import { asObject, asString, type JsonObject } from '../core/json-object.ts';
import type { IstioApi } from './istio-api.ts';

const PRUNED_KINDS: ReadonlyArray<[string, string]> = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['v1', 'ServiceAccount'],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
];

function key(object: JsonObject): string {
  const metadata = asObject(object.metadata);
  return `${asString(metadata.namespace) ?? ''}/${asString(metadata.name) ?? ''}`;
}

export async function listInstalledObjects(api: IstioApi, keep: (object: JsonObject) => boolean): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for (const [apiVersion, kind] of PRUNED_KINDS) {
    const selected = (await api.list(apiVersion, kind)).filter(keep);
    selected.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    out.push(...selected);
  }
  return out;
}

/** Whether an object was created by an install of this revision (`default` for the unnamed one). */
export function ownedByRevision(object: JsonObject, revision: string): boolean {
  const labels = asObject(asObject(object.metadata).labels);
  return labels['install.operator.istio.io/owning-resource'] !== undefined && labels['istio.io/rev'] === revision;
}

/** `Kind/namespace/name` for comparing cluster objects with manifest objects. */
export function objectIdentity(object: JsonObject): string {
  return `${String(object.kind)}/${key(object)}`;
}
