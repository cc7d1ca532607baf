import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import { labelSelectorFromObject, matchesLabels } from '../api-server/label-selector.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, hasController, isOwnedBy, meta, nameOf, namespaceOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';
import { StatusError } from '../core/status-error.ts';

const MANAGER = asController('kube-controller-manager');

export function isPodReady(pod: JsonObject | Readonly<JsonObject>): boolean {
  return asArray(asObject(pod.status).conditions).some((c) => asObject(c).type === 'Ready' && asObject(c).status === 'True');
}

/** Keeps `spec.replicas` pods per ReplicaSet (and one pod per Job), and reports their counts. */
export function replicaSetController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const source = { component: 'replicaset-controller' };
  /** ReplicaSets whose last pod create was refused: when to try again. */
  const retryAt = new Map<string, number>();

  const reconcile = (namespace: string, name: string): void => {
    const rs = api.tryGet(types.replicaSets, namespace, name);
    if (rs === undefined || meta(rs).deletionTimestamp !== undefined) return;
    const spec = asObject(rs.spec);
    const desired = Number(spec.replicas ?? 1);
    let createFailure: string | undefined;
    const selector = labelSelectorFromObject(spec.selector);
    // Orphaned pods the selector matches are adopted (ClaimPods).
    for (const orphan of api.list(types.pods, namespace).items.filter((pod) => !hasController(pod) && meta(pod).deletionTimestamp === undefined && !['Succeeded', 'Failed'].includes(String(asObject(pod.status).phase)) && matchesLabels(selector, asObject(meta(pod).labels)))) {
      const refs = [...asArray(meta(orphan).ownerReferences), controllerRef('apps/v1', 'ReplicaSet', rs)];
      tolerant(() => api.patch(types.pods, namespace, nameOf(orphan), 'merge', JSON.stringify({ metadata: { ownerReferences: refs } }), MANAGER));
    }
    const pods = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, rs) && matchesLabels(selector, asObject(meta(pod).labels)));
    const active = pods.filter((pod) => meta(pod).deletionTimestamp === undefined && !['Succeeded', 'Failed'].includes(String(asObject(pod.status).phase)));
    const key = `${namespace}/${name}`;
    if (active.length < desired && (retryAt.get(key) ?? 0) <= api.clock.now()) {
      retryAt.delete(key);
      const template = deepClone(asObject(spec.template));
      for (let i = active.length; i < desired; i++) {
        let created;
        try {
          created = tolerant(() =>
            api.create(types.pods, namespace, {
              metadata: { ...asObject(template.metadata), generateName: `${name}-`, namespace, ownerReferences: [controllerRef('apps/v1', 'ReplicaSet', rs)] },
              spec: deepClone(asObject(template.spec)),
            }, MANAGER),
          );
        } catch (error) {
          // Admission refused the pod (a ResourceQuota, say): report it and try again later.
          if (!(error instanceof StatusError) || error.code !== 403) throw error;
          createFailure = error.message;
          recordEvent(context, { type: types.replicaSets, object: rs }, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, source);
          // The real controller's rate-limited requeue: no new attempt before then.
          retryAt.set(key, api.clock.now() + 10_000);
          context.queue.add(`replicaset-retry/${namespace}/${name}`, () => reconcile(namespace, name), 10_000);
          break;
        }
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
    // Available: ready for at least minReadySeconds (the Ready condition's transition time).
    const minReadyMs = Number(spec.minReadySeconds ?? 0) * 1000;
    const readySince = (pod: JsonObject): number => Date.parse(String(asArray(asObject(pod.status).conditions).map(asObject).find((c) => c.type === 'Ready')?.lastTransitionTime ?? ''));
    const waiting = now.filter(isPodReady).map((pod) => readySince(pod) + minReadyMs - api.clock.now()).filter((left) => left > 0);
    const available = ready - waiting.length;
    if (waiting.length > 0) context.queue.add(`replicaset-available/${namespace}/${name}`, () => reconcile(namespace, name), Math.min(...waiting));
    const status: JsonObject = { replicas: now.length, fullyLabeledReplicas: now.length, observedGeneration: meta(rs).generation };
    if (ready > 0) status.readyReplicas = ready;
    if (available > 0) status.availableReplicas = available;
    if (now.length === 0) delete status.fullyLabeledReplicas;
    const previousFailure = asArray(asObject(rs.status).conditions).map(asObject).find((c) => c.type === 'ReplicaFailure');
    if (createFailure !== undefined && previousFailure === undefined) {
      status.conditions = [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: api.now(), reason: 'FailedCreate', message: createFailure }];
    } else if (previousFailure !== undefined && (now.length < desired || createFailure !== undefined)) {
      status.conditions = [previousFailure];
    }
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
