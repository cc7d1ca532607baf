import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import { labelSelectorFromObject, matchesLabels } from '../api-server/label-selector.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, isOwnedBy, meta, nameOf, namespaceOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';

const MANAGER = asController('kube-controller-manager');

export function isPodReady(pod: JsonObject | Readonly<JsonObject>): boolean {
  return asArray(asObject(pod.status).conditions).some((c) => asObject(c).type === 'Ready' && asObject(c).status === 'True');
}

/** Keeps `spec.replicas` pods per ReplicaSet (and one pod per Job), and reports their counts. */
export function replicaSetController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const source = { component: 'replicaset-controller' };

  const reconcile = (namespace: string, name: string): void => {
    const rs = api.tryGet(types.replicaSets, namespace, name);
    if (rs === undefined || meta(rs).deletionTimestamp !== undefined) return;
    const spec = asObject(rs.spec);
    const desired = Number(spec.replicas ?? 1);
    const selector = labelSelectorFromObject(spec.selector);
    const pods = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, rs) && matchesLabels(selector, asObject(meta(pod).labels)));
    const active = pods.filter((pod) => meta(pod).deletionTimestamp === undefined && !['Succeeded', 'Failed'].includes(String(asObject(pod.status).phase)));
    if (active.length < desired) {
      const template = deepClone(asObject(spec.template));
      for (let i = active.length; i < desired; i++) {
        const created = tolerant(() =>
          api.create(types.pods, namespace, {
            metadata: { ...asObject(template.metadata), generateName: `${name}-`, namespace, ownerReferences: [controllerRef('apps/v1', 'ReplicaSet', rs)] },
            spec: deepClone(asObject(template.spec)),
          }, MANAGER),
        );
        if (created !== undefined) recordEvent(context, { type: types.replicaSets, object: rs }, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created.object)}`, source);
      }
    } else if (active.length > desired) {
      // Unscheduled, then not ready, then newest pods go first (as controller.ActivePods sorts).
      const ranked = [...active].sort((a, b) => {
        const rank = (pod: JsonObject): number => (asObject(pod.spec).nodeName === undefined ? 0 : isPodReady(pod) ? 2 : 1);
        if (rank(a) !== rank(b)) return rank(a) - rank(b);
        return String(meta(b).creationTimestamp).localeCompare(String(meta(a).creationTimestamp));
      });
      for (const pod of ranked.slice(0, active.length - desired)) {
        const gone = tolerant(() => api.delete(types.pods, namespace, nameOf(pod)));
        if (gone !== undefined) recordEvent(context, { type: types.replicaSets, object: rs }, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(pod)}`, source);
      }
    }
    const now = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, rs) && meta(pod).deletionTimestamp === undefined);
    const ready = now.filter(isPodReady).length;
    const status: JsonObject = { replicas: now.length, fullyLabeledReplicas: now.length, observedGeneration: meta(rs).generation };
    if (ready > 0) {
      status.readyReplicas = ready;
      status.availableReplicas = ready;
    }
    if (now.length === 0) delete status.fullyLabeledReplicas;
    if (!deepEqual(status, rs.status)) tolerant(() => api.update(types.replicaSets, namespace, name, { ...rs, status }, MANAGER, 'status'));
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`replicaset/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    if (type.kind === 'ReplicaSet' && type.group === 'apps' && change.type !== 'DELETED') enqueue(change.namespace, change.name);
    if (type.kind === 'Pod' && type.group === '') {
      for (const ref of asArray(meta(change.object as JsonObject).ownerReferences).map(asObject)) {
        if (ref.kind === 'ReplicaSet' && ref.controller === true) enqueue(namespaceOf(change.object as JsonObject), String(ref.name));
      }
    }
  };
}
