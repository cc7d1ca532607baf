// `istioctl kube-inject -f file`: the same mutation applied client-side to every workload's pod
// template, regardless of namespace labels (only the pod's own opt-out is honoured).
import { asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { injectRequired } from './injection-decision.ts';
import { injectSidecar, type SidecarOptions } from './inject-sidecar.ts';

const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export type KubeInjectOptions = Omit<SidecarOptions, 'workloadName' | 'ownerKind'>;

/** Returns the objects with every injectable pod template injected; other objects pass through. */
export function kubeInject(objects: readonly JsonObject[], options: KubeInjectOptions): JsonObject[] {
  return objects.map((object) => {
    const kind = asString(object.kind) ?? '';
    const name = asString(asObject(object.metadata).name) ?? '';
    const namespace = asString(asObject(object.metadata).namespace) ?? '';
    if (kind === 'Pod') {
      if (!injectRequired(object, namespace).inject) return object;
      return injectSidecar(object, { ...options, workloadName: name, ownerKind: { apiVersion: 'v1', kind: 'Pod' } });
    }
    const path = TEMPLATE_PATHS[kind];
    if (path === undefined) return object;
    const copy = structuredClone(object);
    let holder: JsonObject = copy;
    for (const key of path.slice(0, -1)) holder = asObject(holder[key]);
    const last = path[path.length - 1] as string;
    const template = asObject(holder[last]);
    if (!injectRequired(template, namespace).inject) return object;
    const injected = injectSidecar(template, { ...options, workloadName: name, ownerKind: { apiVersion: asString(object.apiVersion) ?? 'apps/v1', kind } });
    holder[last] = injected;
    return copy;
  });
}
