import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, isOwnedBy, meta, nameOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';
import { podTemplateHash } from './pod-template-hash.ts';
import { isPodReady } from './replicaset-controller.ts';

const MANAGER = asController('kube-controller-manager');

/** Tolerations the DaemonSet controller adds so its pods survive node trouble. */
const DAEMON_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function fits(template: JsonObject, node: JsonObject): boolean {
  const spec = asObject(template.spec);
  const labels = asObject(meta(node).labels);
  if (!Object.entries(asObject(spec.nodeSelector)).every(([k, v]) => labels[k] === v)) return false;
  const tolerations = asArray(spec.tolerations).map(asObject);
  return asArray(asObject(node.spec).taints).map(asObject).every((taint) =>
    taint.effect === 'PreferNoSchedule' || tolerations.some((t) => (t.operator === 'Exists' && (t.key === undefined || t.key === taint.key)) || (t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))),
  );
}

/** One pod per fitting node, replaced when the template changes. */
export function daemonSetController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const daemonSets = api.resource('apps', 'v1', 'daemonsets');
  const source = { component: 'daemonset-controller' };

  const reconcile = (namespace: string, name: string): void => {
    const ds = api.tryGet(daemonSets, namespace, name);
    if (ds === undefined || meta(ds).deletionTimestamp !== undefined) return;
    const template = asObject(asObject(ds.spec).template);
    const hash = podTemplateHash(template);
    const nodes = api.list(types.nodes, undefined).items.filter((node) => fits(template, node));
    const pods = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, ds) && meta(pod).deletionTimestamp === undefined);
    for (const pod of pods) {
      const onNode = nodes.some((node) => nameOf(node) === asObject(pod.spec).nodeName);
      if (!onNode || asObject(meta(pod).labels)['controller-revision-hash'] !== hash) {
        const deleted = tolerant(() => api.delete(types.pods, namespace, nameOf(pod)));
        if (deleted !== undefined) recordEvent(context, { type: daemonSets, object: ds }, 'Normal', 'SuccessfulDelete', `Deleted pod: ${nameOf(pod)}`, source);
      }
    }
    const all = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, ds));
    for (const node of nodes) {
      if (all.some((pod) => asObject(pod.spec).nodeName === nameOf(node))) continue;
      const podTemplate = deepClone(template);
      const spec = asObject(podTemplate.spec);
      spec.tolerations = [...asArray(spec.tolerations), ...DAEMON_TOLERATIONS.filter((t) => !asArray(spec.tolerations).some((existing) => asObject(existing).key === t.key))];
      spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nameOf(node)] }] }] } } };
      spec.nodeName = nameOf(node);
      const created = tolerant(() =>
        api.create(types.pods, namespace, {
          metadata: {
            ...asObject(podTemplate.metadata),
            generateName: `${name}-`,
            labels: { ...asObject(asObject(podTemplate.metadata).labels), 'controller-revision-hash': hash, 'pod-template-generation': String(meta(ds).generation ?? 1) },
            ownerReferences: [controllerRef('apps/v1', 'DaemonSet', ds)],
          },
          spec,
        }, MANAGER),
      );
      if (created !== undefined) recordEvent(context, { type: daemonSets, object: ds }, 'Normal', 'SuccessfulCreate', `Created pod: ${nameOf(created.object)}`, source);
    }
    const current = api.list(types.pods, namespace).items.filter((pod) => isOwnedBy(pod, ds) && meta(pod).deletionTimestamp === undefined);
    const updated = current.filter((pod) => asObject(meta(pod).labels)['controller-revision-hash'] === hash);
    const ready = current.filter(isPodReady).length;
    const status: JsonObject = {
      currentNumberScheduled: current.length,
      desiredNumberScheduled: nodes.length,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: meta(ds).generation,
      updatedNumberScheduled: updated.length,
    };
    if (ready > 0) status.numberAvailable = ready;
    if (nodes.length - ready > 0) status.numberUnavailable = nodes.length - ready;
    if (!deepEqual(status, ds.status)) tolerant(() => api.update(daemonSets, namespace, name, { ...ds, status }, MANAGER, 'status'));
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`daemonset/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    if (type.kind === 'DaemonSet' && type.group === 'apps' && change.type !== 'DELETED') enqueue(change.namespace, change.name);
    if (type.kind === 'Node' && type.group === '') {
      for (const ds of api.list(daemonSets, undefined).items) enqueue(String(meta(ds).namespace), nameOf(ds));
    }
    if (type.kind === 'Pod' && type.group === '') {
      for (const ref of asArray(meta(change.object as JsonObject).ownerReferences).map(asObject)) {
        if (ref.kind === 'DaemonSet' && ref.controller === true) enqueue(change.namespace, String(ref.name));
      }
    }
  };
}
