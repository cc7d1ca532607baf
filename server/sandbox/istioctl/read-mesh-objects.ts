// Everything istiod (and istioctl analyze) looks at, read from the cluster in one pass:
// namespaces, workloads, services, the mesh ConfigMaps, webhooks and every Istio and Gateway
// API resource that is served.
import type { JsonObject } from '../core/json-object.ts';
import { KNOWN_KINDS, type IstioApi } from './istio-api.ts';

/** Kinds read for the mesh model; install-only kinds (ServiceAccounts, CRDs…) are left out. */
const MESH_KINDS = KNOWN_KINDS.filter((info) => !['ServiceAccount', 'ValidatingWebhookConfiguration', 'CustomResourceDefinition'].includes(info.kind));

export async function readMeshObjects(api: IstioApi): Promise<JsonObject[]> {
  const lists = await Promise.all(MESH_KINDS.map((info) => api.list(info.apiVersion, info.kind)));
  return lists.flat();
}
