// `kubectl logs` for emulated pods: the istio-proxy container prints its Envoy access log
// (written while the mesh config turns access logs on, as the demo profile does). The apps'
// own containers print nothing yet.
import type { PodLogSource } from '../api-server/pod-logs.ts';
import { asObject } from '../core/json-object.ts';
import type { DataPlane } from '../istio/data-plane/create-data-plane.ts';

export function createPodLogSource(plane: Pick<DataPlane, 'proxyLogs'>): PodLogSource {
  return {
    lines(pod, container) {
      if (container !== 'istio-proxy') return [];
      const meta = asObject(pod.metadata);
      return plane.proxyLogs(String(meta.namespace ?? ''), String(meta.name ?? ''));
    },
  };
}
