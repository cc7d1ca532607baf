import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, isOwnedBy, meta, nameOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';
import { podTemplateHash } from './pod-template-hash.ts';
import { isPodReady } from './replicaset-controller.ts';

const MANAGER = asController('kube-controller-manager');

/** Pods `<name>-0 … <name>-(n-1)`, created in order and each only once the one before is Ready. */
export function statefulSetController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const statefulSets = api.resource('apps', 'v1', 'statefulsets');
  const source = { component: 'statefulset-controller' };

  const reconcile = (namespace: string, name: string): void => {
    const sts = api.tryGet(statefulSets, namespace, name);
    if (sts === undefined || meta(sts).deletionTimestamp !== undefined) return;
    const spec = asObject(sts.spec);
    const replicas = Number(spec.replicas ?? 1);
    const template = asObject(spec.template);
    const revision = `${name}-${podTemplateHash(template)}`;
    const ordered = spec.podManagementPolicy !== 'Parallel';
    const pods = new Map(api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, sts)).map((pod) => [nameOf(pod), pod]));
    let blocked = false;
    for (let ordinal = 0; ordinal < replicas && !blocked; ordinal++) {
      const podName = `${name}-${ordinal}`;
      const pod = pods.get(podName);
      if (pod === undefined) {
        const podTemplate = deepClone(template);
        const podSpec = asObject(podTemplate.spec);
        podSpec.hostname = podName;
        if (typeof spec.serviceName === 'string' && spec.serviceName !== '') podSpec.subdomain = spec.serviceName;
        const created = tolerant(() =>
          api.create(types.pods, namespace, {
            metadata: {
              ...asObject(podTemplate.metadata),
              name: podName,
              labels: { ...asObject(asObject(podTemplate.metadata).labels), 'apps.kubernetes.io/pod-index': String(ordinal), 'controller-revision-hash': revision, 'statefulset.kubernetes.io/pod-name': podName },
              ownerReferences: [controllerRef('apps/v1', 'StatefulSet', sts)],
            },
            spec: podSpec,
          }, MANAGER),
        );
        if (created !== undefined) recordEvent(context, { type: statefulSets, object: sts }, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${name} successful`, source);
        blocked = ordered;
        continue;
      }
      if (ordered && !isPodReady(pod)) blocked = true;
    }
    for (const [podName, pod] of pods) {
      const ordinal = Number(podName.slice(name.length + 1));
      if (ordinal >= replicas && meta(pod).deletionTimestamp === undefined) {
        const deleted = tolerant(() => api.delete(types.pods, namespace, podName));
        if (deleted !== undefined) recordEvent(context, { type: statefulSets, object: sts }, 'Normal', 'SuccessfulDelete', `delete Pod ${podName} in StatefulSet ${name} successful`, source);
      }
    }
    // Rolling update: replace the highest-ordinal outdated pod once everything is ready.
    const live = [...pods.values()].filter((pod) => meta(pod).deletionTimestamp === undefined && Number(nameOf(pod).slice(name.length + 1)) < replicas);
    if (live.length === replicas && live.every(isPodReady)) {
      const outdated = live.filter((pod) => asObject(meta(pod).labels)['controller-revision-hash'] !== revision).sort((a, b) => nameOf(b).localeCompare(nameOf(a), undefined, { numeric: true }));
      const first = outdated[0];
      if (first !== undefined) tolerant(() => api.delete(types.pods, namespace, nameOf(first)));
    }
    const current = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, sts) && meta(pod).deletionTimestamp === undefined);
    const ready = current.filter(isPodReady).length;
    const updated = current.filter((pod) => asObject(meta(pod).labels)['controller-revision-hash'] === revision).length;
    const status: JsonObject = {
      availableReplicas: ready,
      collisionCount: 0,
      currentReplicas: updated,
      currentRevision: revision,
      observedGeneration: meta(sts).generation,
      replicas: current.length,
      updateRevision: revision,
      updatedReplicas: updated,
    };
    if (ready > 0) status.readyReplicas = ready;
    if (!deepEqual(status, sts.status)) tolerant(() => api.update(statefulSets, namespace, name, { ...sts, status }, MANAGER, 'status'));
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`statefulset/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    if (type.kind === 'StatefulSet' && type.group === 'apps' && change.type !== 'DELETED') enqueue(change.namespace, change.name);
    if (type.kind === 'Pod' && type.group === '') {
      for (const ref of asArray(meta(change.object as JsonObject).ownerReferences).map(asObject)) {
        if (ref.kind === 'StatefulSet' && ref.controller === true) enqueue(change.namespace, String(ref.name));
      }
    }
  };
}
