import { asArray, asObject, deepClone, deepEqual, type JsonObject } from '../core/json-object.ts';
import { labelSelectorFromObject, matchesLabels } from '../api-server/label-selector.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, hasController, isOwnedBy, meta, nameOf, namespaceOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';
import { podTemplateHash } from './pod-template-hash.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const MANAGER = asController('kube-controller-manager');

function percentOf(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(String(value ?? '25%'));
  const percent = match === null ? 25 : Number(match[1]);
  const raw = (percent * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

/**
 * A template as the controller compares it: without its pod-template-hash label and without
 * null fields, which the real controller's typed comparison cannot tell from absent ones
 * (`kubectl rollout undo` sends `creationTimestamp: null`).
 */
function templateWithoutHash(template: unknown): JsonObject {
  const copy = withoutNulls(deepClone(asObject(template))) as JsonObject;
  const labels = asObject(asObject(copy.metadata).labels);
  delete labels['pod-template-hash'];
  return copy;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

function condition(type: string, status: string, reason: string, message: string, now: string, previous: JsonObject[]): JsonObject {
  const old = previous.find((c) => c.type === type);
  const transition = old !== undefined && old.status === status ? old.lastTransitionTime : now;
  const update = old !== undefined && old.status === status && old.reason === reason && old.message === message ? old.lastUpdateTime : now;
  return { type, status, lastUpdateTime: update, lastTransitionTime: transition, reason, message };
}

/** Deployment → ReplicaSets (pod-template-hash, revisions), rollout, and a status `rollout status` trusts. */
export function deploymentController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const source = { component: 'deployment-controller' };

  const scale = (rs: JsonObject, replicas: number, deployment: JsonObject): void => {
    const from = Number(asObject(rs.spec).replicas ?? 0);
    if (from === replicas) return;
    const updated = tolerant(() => api.patch(types.replicaSets, namespaceOf(rs), nameOf(rs), 'merge', JSON.stringify({ spec: { replicas } }), MANAGER));
    if (updated !== undefined) {
      recordEvent(context, { type: types.deployments, object: deployment }, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > from ? 'up' : 'down'} replica set ${nameOf(rs)} from ${from} to ${replicas}`, source);
    }
  };

  /**
   * One step of a RollingUpdate, as the real controller takes it: the new ReplicaSet grows
   * while all pods stay within desired + maxSurge; old ones shrink while available pods stay
   * at or above desired - maxUnavailable (unhealthy old pods go first).
   */
  const rollingUpdate = (deployment: JsonObject, newRs: JsonObject, olds: JsonObject[], desired: number, maxSurge: number, maxUnavailable: number, created: boolean): void => {
    const replicas = new Map<string, number>([newRs, ...olds].map((rs) => [nameOf(rs), Number(asObject(rs.spec).replicas ?? 0)]));
    const total = (): number => [...replicas.values()].reduce((a, b) => a + b, 0);
    const set = (rs: JsonObject, count: number): void => {
      replicas.set(nameOf(rs), count);
      scale(rs, count, deployment);
    };
    const newReplicas = replicas.get(nameOf(newRs)) ?? 0;
    if (!created) {
      if (newReplicas > desired) set(newRs, desired);
      else if (newReplicas < desired && total() < desired + maxSurge) set(newRs, newReplicas + Math.min(desired + maxSurge - total(), desired - newReplicas));
    }
    const byAge = [...olds].sort((a, b) => String(meta(a).creationTimestamp).localeCompare(String(meta(b).creationTimestamp)));
    const oldCount = byAge.reduce((sum, rs) => sum + (replicas.get(nameOf(rs)) ?? 0), 0);
    if (oldCount === 0) return;
    const minAvailable = desired - maxUnavailable;
    const available = (rs: JsonObject): number => Number(asObject(rs.status).availableReplicas ?? 0);
    const newUnavailable = Math.max(0, (replicas.get(nameOf(newRs)) ?? 0) - available(newRs));
    let budget = total() - minAvailable - newUnavailable;
    if (budget <= 0) return;
    for (const rs of byAge) {
      const count = replicas.get(nameOf(rs)) ?? 0;
      const unhealthy = Math.max(0, count - available(rs));
      if (budget <= 0 || unhealthy === 0) continue;
      const step = Math.min(budget, unhealthy);
      budget -= step;
      set(rs, count - step);
    }
    const availableNow = [newRs, ...byAge].reduce((sum, rs) => sum + Math.min(available(rs), replicas.get(nameOf(rs)) ?? 0), 0);
    let down = availableNow - minAvailable;
    for (const rs of byAge) {
      const count = replicas.get(nameOf(rs)) ?? 0;
      if (down <= 0) break;
      if (count === 0) continue;
      const step = Math.min(count, down);
      down -= step;
      set(rs, count - step);
    }
  };

  /**
   * A paused Deployment rolls nothing out: no ReplicaSet for a new template, only scaling of
   * the one running ReplicaSet, and Progressing Unknown/DeploymentPaused.
   */
  const pausedSync = (deployment: JsonObject, owned: JsonObject[], current: JsonObject | undefined, desired: number, maxUnavailable: number): void => {
    const namespace = namespaceOf(deployment);
    const name = nameOf(deployment);
    const active = owned.filter((rs) => Number(asObject(rs.spec).replicas ?? 0) > 0);
    const only = active.length === 1 ? active[0] : active.length === 0 ? current : undefined;
    if (only !== undefined) scale(only, desired, deployment);
    const sum = (field: string): number => owned.reduce((total, rs) => total + Number(asObject(rs.status)[field] ?? 0), 0);
    const replicas = sum('replicas');
    const available = sum('availableReplicas');
    const ready = sum('readyReplicas');
    const updated = current === undefined ? 0 : Number(asObject(current.status).replicas ?? 0);
    const now = api.now();
    const previous = asArray(asObject(deployment.status).conditions).map(asObject);
    const status: JsonObject = { observedGeneration: meta(deployment).generation };
    if (replicas > 0) status.replicas = replicas;
    if (updated > 0) status.updatedReplicas = updated;
    if (ready > 0) status.readyReplicas = ready;
    if (available > 0) status.availableReplicas = available;
    if (Math.max(replicas, desired) - available > 0) status.unavailableReplicas = Math.max(replicas, desired) - available;
    status.conditions = [
      available >= desired - maxUnavailable
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now, previous)
        : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now, previous),
      condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now, previous),
    ];
    if (!deepEqual(status, deployment.status)) tolerant(() => api.update(types.deployments, namespace, name, { ...(api.tryGet(types.deployments, namespace, name) ?? deployment), status }, MANAGER, 'status'));
  };

  const reconcile = (namespace: string, name: string): void => {
    const deployment = api.tryGet(types.deployments, namespace, name);
    if (deployment === undefined || meta(deployment).deletionTimestamp !== undefined) return;
    const spec = asObject(deployment.spec);
    const desired = Number(spec.replicas ?? 1);
    // Orphaned ReplicaSets the selector matches are adopted (ClaimReplicaSets), so a Deployment
    // recreated after `--cascade=orphan` takes its old pods back.
    const selector = labelSelectorFromObject(spec.selector);
    for (const orphan of api.list(types.replicaSets, namespace).items.filter((rs) => !hasController(rs) && meta(rs).deletionTimestamp === undefined && matchesLabels(selector, asObject(meta(rs).labels)))) {
      const refs = [...asArray(meta(orphan).ownerReferences), controllerRef('apps/v1', 'Deployment', deployment)];
      tolerant(() => api.patch(types.replicaSets, namespace, nameOf(orphan), 'merge', JSON.stringify({ metadata: { ownerReferences: refs } }), MANAGER));
    }
    const owned = api.list(types.replicaSets, namespace).items.filter((rs) => isOwnedBy(rs, deployment));
    const template = asObject(spec.template);
    let current = owned.find((rs) => deepEqual(templateWithoutHash(asObject(rs.spec).template), templateWithoutHash(template)));
    const maxRevision = Math.max(0, ...owned.map((rs) => Number(asObject(meta(rs).annotations)[REVISION] ?? 0)));
    const strategy = asObject(spec.strategy);
    const rolling = asObject(strategy.rollingUpdate);
    const recreate = strategy.type === 'Recreate';
    // ResolveFenceposts: surge rounds up, unavailability down, and both 0 would never progress.
    const maxSurge = recreate ? 0 : percentOf(rolling.maxSurge, desired, true);
    const maxUnavailable = recreate ? desired : percentOf(rolling.maxUnavailable, desired, false) === 0 && maxSurge === 0 ? 1 : percentOf(rolling.maxUnavailable, desired, false);
    const specReplicas = (rs: JsonObject): number => Number(asObject(rs.spec).replicas ?? 0);
    const annotations = { 'deployment.kubernetes.io/desired-replicas': String(desired), 'deployment.kubernetes.io/max-replicas': String(desired + maxSurge) };
    if (spec.paused === true) {
      pausedSync(deployment, owned, current, desired, maxUnavailable);
      return;
    }
    let created = false;
    if (current === undefined) {
      const hash = podTemplateHash(template);
      const podTemplate = deepClone(template);
      const templateMeta = asObject(podTemplate.metadata);
      templateMeta.labels = { ...asObject(templateMeta.labels), 'pod-template-hash': hash };
      podTemplate.metadata = templateMeta;
      const selector = deepClone(asObject(spec.selector));
      selector.matchLabels = { ...asObject(selector.matchLabels), 'pod-template-hash': hash };
      const oldActive = owned.some((rs) => Number(asObject(rs.spec).replicas ?? 0) > 0);
      const result = tolerant(() =>
        api.create(types.replicaSets, namespace, {
          metadata: {
            name: `${name}-${hash}`,
            labels: templateMeta.labels,
            annotations: { ...annotations, [REVISION]: String(maxRevision + 1) },
            ownerReferences: [controllerRef('apps/v1', 'Deployment', deployment)],
          },
          spec: { replicas: recreate ? (oldActive ? 0 : desired) : Math.max(0, Math.min(desired, desired + maxSurge - owned.reduce((sum, rs) => sum + specReplicas(rs), 0))), minReadySeconds: spec.minReadySeconds ?? 0, selector, template: podTemplate },
        }, MANAGER),
      );
      if (result === undefined) return;
      current = result.object;
      created = true;
      if (Number(asObject(current.spec).replicas) > 0) {
        recordEvent(context, { type: types.deployments, object: deployment }, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${nameOf(current)} from 0 to ${specReplicas(current)}`, source);
      }
    } else {
      const revision = Number(asObject(meta(current).annotations)[REVISION] ?? 0);
      const stale = revision < maxRevision || !deepEqual(Object.fromEntries(Object.entries(asObject(meta(current).annotations)).filter(([k]) => k in annotations)), annotations);
      if (stale) {
        const next = revision < maxRevision ? maxRevision + 1 : revision;
        tolerant(() => api.patch(types.replicaSets, namespace, nameOf(current as JsonObject), 'merge', JSON.stringify({ metadata: { annotations: { ...annotations, [REVISION]: String(next) } } }), MANAGER));
      }
    }
    const newRs = current;
    // The Deployment carries its current revision too; `kubectl rollout undo` patches it.
    const newRevision = asObject(meta(newRs).annotations)[REVISION];
    if (newRevision !== undefined && asObject(meta(deployment).annotations)[REVISION] !== newRevision) {
      tolerant(() => api.patch(types.deployments, namespace, name, 'merge', JSON.stringify({ metadata: { annotations: { [REVISION]: newRevision } } }), MANAGER));
    }
    const others = owned.filter((rs) => nameOf(rs) !== nameOf(newRs));
    if (recreate) {
      for (const rs of others) scale(rs, 0, deployment);
      // Until every old pod is gone, terminating ones included (oldPodsRunning).
      const oldPods = api.list(types.pods, namespace).items.filter((pod) => others.some((rs) => isOwnedBy(pod, rs)) && !['Succeeded', 'Failed'].includes(String(asObject(pod.status).phase))).length;
      if (oldPods === 0 && !created) scale(newRs, desired, deployment);
    } else {
      rollingUpdate(deployment, newRs, others, desired, maxSurge, maxUnavailable, created);
    }
    for (const rs of [...others].sort((a, b) => Number(asObject(meta(a).annotations)[REVISION] ?? 0) - Number(asObject(meta(b).annotations)[REVISION] ?? 0)).slice(0, Math.max(0, others.length - Number(spec.revisionHistoryLimit ?? 10)))) {
      if (Number(asObject(rs.spec).replicas ?? 0) === 0 && Number(asObject(rs.status).replicas ?? 0) === 0) tolerant(() => api.delete(types.replicaSets, namespace, nameOf(rs)));
    }
    // Status, from what the replica sets report.
    const fresh = api.list(types.replicaSets, namespace).items.filter((rs) => isOwnedBy(rs, deployment));
    const sum = (field: string): number => fresh.reduce((total, rs) => total + Number(asObject(rs.status)[field] ?? 0), 0);
    const newest = fresh.find((rs) => nameOf(rs) === nameOf(newRs));
    const replicas = sum('replicas');
    const updated = Number(asObject(newest?.status).replicas ?? 0);
    const ready = sum('readyReplicas');
    const availableTotal = sum('availableReplicas');
    const now = api.now();
    const previous = asArray(asObject(deployment.status).conditions).map(asObject);
    const complete = updated === desired && replicas === desired && availableTotal === desired;
    const minimum = availableTotal >= desired - maxUnavailable;
    const status: JsonObject = { observedGeneration: meta(deployment).generation };
    if (replicas > 0) status.replicas = replicas;
    if (updated > 0) status.updatedReplicas = updated;
    if (ready > 0) status.readyReplicas = ready;
    if (availableTotal > 0) status.availableReplicas = availableTotal;
    if (replicas - availableTotal > 0) status.unavailableReplicas = replicas - availableTotal;
    else if (desired - availableTotal > 0) status.unavailableReplicas = desired - availableTotal;
    const before = asObject(deployment.status);
    // Progress as DeploymentProgressing sees it: more updated/ready/available pods, fewer old ones.
    const progressed = updated > Number(before.updatedReplicas ?? 0) || ready > Number(before.readyReplicas ?? 0) || availableTotal > Number(before.availableReplicas ?? 0) || replicas - updated < Number(before.replicas ?? 0) - Number(before.updatedReplicas ?? 0);
    const deadlineMs = Number(spec.progressDeadlineSeconds ?? 600) * 1000;
    const lastProgress = previous.find((c) => c.type === 'Progressing');
    const sinceProgress = lastProgress === undefined || progressed || created ? 0 : api.clock.now() - Date.parse(String(lastProgress.lastUpdateTime ?? now));
    let progressing: JsonObject;
    if (complete) progressing = condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${nameOf(newRs)}" has successfully progressed.`, now, previous);
    else if (lastProgress?.reason === 'ProgressDeadlineExceeded' && !progressed) progressing = lastProgress;
    else if (sinceProgress >= deadlineMs) progressing = condition('Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${nameOf(newRs)}" has timed out progressing.`, now, previous);
    else if (lastProgress?.reason === 'DeploymentPaused' && !progressed && !created) {
      progressing = condition('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now, previous);
      context.queue.add(`deployment-deadline/${namespace}/${name}`, () => reconcile(namespace, name), deadlineMs);
    } else {
      progressing = created
        ? condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${nameOf(newRs)}"`, now, previous)
        : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${nameOf(newRs)}" is progressing.`, now, progressed ? [] : previous);
      if (progressed && lastProgress !== undefined && lastProgress.status === 'True') progressing.lastTransitionTime = lastProgress.lastTransitionTime;
      // Look again when the deadline would pass without progress.
      context.queue.add(`deployment-deadline/${namespace}/${name}`, () => reconcile(namespace, name), deadlineMs - sinceProgress);
    }
    status.conditions = [
      minimum
        ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now, previous)
        : condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now, previous),
      progressing,
    ];
    // A ReplicaSet's ReplicaFailure (pods refused, by a quota say) shows on the Deployment too.
    const failure = fresh.map((rs) => asArray(asObject(rs.status).conditions).map(asObject).find((c) => c.type === 'ReplicaFailure' && c.status === 'True')).find((c) => c !== undefined);
    if (failure !== undefined) (status.conditions as JsonObject[]).push(condition('ReplicaFailure', 'True', String(failure.reason), String(failure.message), now, previous));
    if (!deepEqual(status, deployment.status)) {
      // Re-read: the revision annotation above may have moved the resourceVersion on.
      const latest = api.tryGet(types.deployments, namespace, name) ?? deployment;
      tolerant(() => api.update(types.deployments, namespace, name, { ...latest, status }, MANAGER, 'status'));
    }
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`deployment/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    const object = change.object as JsonObject;
    if (type.kind === 'Deployment' && type.group === 'apps' && change.type !== 'DELETED') enqueue(change.namespace, change.name);
    // A Recreate waits for old pods to go: their deletion re-queues the Deployment.
    if (type.kind === 'Pod' && type.group === '' && change.type === 'DELETED') {
      for (const ref of asArray(meta(object).ownerReferences).map(asObject)) {
        if (ref.kind !== 'ReplicaSet' || ref.controller !== true) continue;
        const rs = api.tryGet(types.replicaSets, change.namespace, String(ref.name));
        for (const owner of asArray(meta(rs ?? {}).ownerReferences).map(asObject)) {
          if (owner.kind === 'Deployment' && owner.controller === true) enqueue(change.namespace, String(owner.name));
        }
      }
    }
    if (type.kind === 'ReplicaSet' && type.group === 'apps') {
      for (const ref of asArray(meta(object).ownerReferences).map(asObject)) {
        if (ref.kind === 'Deployment' && ref.controller === true) enqueue(change.namespace, String(ref.name));
      }
    }
  };
}
