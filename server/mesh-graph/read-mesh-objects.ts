// The cluster objects the mesh graph draws from, read through a kubeconfig like any client, so
// the embedded sandbox and a real cluster answer alike. A kind the cluster does not serve
// (Istio not installed yet) or the learner may not list reads as none.
import { KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import type { MeshObject } from "./build-mesh-graph.ts";

const KINDS: readonly (readonly [apiVersion: string, kind: string])[] = [
  ["v1", "Pod"],
  ["v1", "Service"],
  ["networking.istio.io/v1", "VirtualService"],
  ["networking.istio.io/v1", "DestinationRule"],
  ["security.istio.io/v1", "AuthorizationPolicy"],
  ["security.istio.io/v1", "PeerAuthentication"],
];

export async function readMeshObjects(kubeconfig: string): Promise<MeshObject[]> {
  const config = new KubeConfig();
  config.loadFromString(kubeconfig);
  const api = KubernetesObjectApi.makeApiClient(config);
  const lists = await Promise.all(
    KINDS.map(async ([apiVersion, kind]) => {
      try {
        const list = await api.list(apiVersion, kind);
        return list.items.map((item) => ({ ...(item as unknown as MeshObject), kind }));
      } catch {
        return [];
      }
    }),
  );
  return lists.flat();
}
