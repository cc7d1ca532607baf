// Workload name and version of a pod as Istio's telemetry labels them: the canonical service
// labels the injector adds, else `app`/`version`, and the Deployment name for the workload
// (the pod name without its ReplicaSet hash and random suffix).
import type { NetworkPod } from '../../network/cluster-network.ts';

export interface WorkloadLabels {
  workload: string;
  namespace: string;
  app: string;
  version: string;
}

export function workloadLabels(pod: NetworkPod): WorkloadLabels {
  const deployment = /^(.*)-[a-z0-9]{6,10}-[a-z0-9]{3,5}$/.exec(pod.name)?.[1];
  const statefulOrBare = /^(.*)-\d+$/.exec(pod.name)?.[1];
  return {
    workload: deployment ?? statefulOrBare ?? pod.name,
    namespace: pod.namespace,
    app: pod.labels['service.istio.io/canonical-name'] ?? pod.labels['app.kubernetes.io/name'] ?? pod.labels.app ?? deployment ?? pod.name,
    version: pod.labels['service.istio.io/canonical-revision'] ?? pod.labels['app.kubernetes.io/version'] ?? pod.labels.version ?? 'unknown',
  };
}
