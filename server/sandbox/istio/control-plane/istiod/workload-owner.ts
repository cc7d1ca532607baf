// The workload a pod belongs to, as istiod names it for ISTIO_META_WORKLOAD_NAME / _OWNER
// (pkg/kube/util GetDeployMetaFromPod): a ReplicaSet pod of a Deployment belongs to the
// Deployment (the ReplicaSet name minus its pod-template-hash), a bare pod to itself.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';

export interface WorkloadOwner {
  name: string;
  apiVersion: string;
  kind: string;
}

export function workloadOwner(pod: JsonObject): WorkloadOwner {
  const metadata = asObject(pod.metadata);
  const podName = asString(metadata.name) ?? asString(metadata.generateName)?.replace(/-$/, '') ?? '';
  const controller = asArray(metadata.ownerReferences).map(asObject).find((ref) => ref.controller === true);
  if (controller === undefined) return { name: podName, apiVersion: 'v1', kind: 'Pod' };
  const name = asString(controller.name) ?? podName;
  const kind = asString(controller.kind) ?? 'Pod';
  const apiVersion = asString(controller.apiVersion) ?? 'v1';
  if (kind === 'ReplicaSet') {
    const hash = asString(asObject(metadata.labels)['pod-template-hash']);
    if (hash !== undefined && name.endsWith(`-${hash}`)) return { name: name.slice(0, -hash.length - 1), apiVersion: 'apps/v1', kind: 'Deployment' };
  }
  return { name, apiVersion, kind };
}
