import { asArray, asObject, deepEqual, type JsonObject } from '../core/json-object.ts';
import { labelSelectorFromObject, matchesLabels } from '../api-server/label-selector.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, meta, nameOf, tolerant, type ControllerContext } from './controller-context.ts';
import { isPodReady } from './replicaset-controller.ts';

const MANAGER = asController('disruption-controller');

/** An int-or-percent against a total, rounded up as GetScaledValueFromIntOrPercent(…, true). */
function scaled(value: unknown, total: number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(String(value));
  return match === null ? Number(value) || 0 : Math.ceil((Number(match[1]) * total) / 100);
}

/** PodDisruptionBudget status: healthy pods against the budget, and how many may go. */
export function disruptionController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const budgets = api.resource('policy', 'v1', 'poddisruptionbudgets');

  /** The scale of the pods' controllers (a ReplicaSet of a Deployment counts the Deployment's). */
  const expectedFromControllers = (pods: JsonObject[], namespace: string): number => {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ref = asArray(meta(pod).ownerReferences).map(asObject).find((r) => r.controller === true);
      if (ref === undefined) {
        seen.set(`pod/${nameOf(pod)}`, 1);
        continue;
      }
      let owner = ref.kind === 'ReplicaSet' ? api.tryGet(types.replicaSets, namespace, String(ref.name)) : undefined;
      const parent = owner === undefined ? undefined : asArray(meta(owner).ownerReferences).map(asObject).find((r) => r.controller === true && r.kind === 'Deployment');
      if (parent !== undefined) owner = api.tryGet(types.deployments, namespace, String(parent.name));
      if (owner === undefined && ref.kind === 'StatefulSet') owner = api.tryGet(api.resource('apps', 'v1', 'statefulsets'), namespace, String(ref.name));
      seen.set(`${String(owner?.kind ?? ref.kind)}/${String(owner === undefined ? ref.name : nameOf(owner))}`, owner === undefined ? 1 : Number(asObject(owner.spec).replicas ?? 1));
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  };

  const reconcile = (namespace: string): void => {
    for (const pdb of api.list(budgets, namespace).items) {
      const spec = asObject(pdb.spec);
      const selector = labelSelectorFromObject(spec.selector);
      const pods = api.list(types.pods, namespace).items.filter((pod) => matchesLabels(selector, asObject(meta(pod).labels)));
      const healthy = pods.filter((pod) => isPodReady(pod) && meta(pod).deletionTimestamp === undefined).length;
      let expected: number;
      let desired: number;
      if (spec.maxUnavailable !== undefined) {
        expected = expectedFromControllers(pods, namespace);
        desired = Math.max(0, expected - scaled(spec.maxUnavailable, expected));
      } else if (typeof spec.minAvailable === 'string' && spec.minAvailable.endsWith('%')) {
        expected = expectedFromControllers(pods, namespace);
        desired = scaled(spec.minAvailable, expected);
      } else {
        expected = pods.length;
        desired = scaled(spec.minAvailable ?? 0, expected);
      }
      const allowed = expected <= 0 ? 0 : Math.max(0, healthy - desired);
      const previous = asObject(pdb.status);
      const old = asArray(previous.conditions).map(asObject).find((c) => c.type === 'DisruptionAllowed');
      const value = allowed > 0 ? 'True' : 'False';
      const status: JsonObject = {
        observedGeneration: meta(pdb).generation,
        disruptionsAllowed: allowed,
        currentHealthy: healthy,
        desiredHealthy: desired,
        expectedPods: expected,
        conditions: [{
          type: 'DisruptionAllowed',
          status: value,
          observedGeneration: meta(pdb).generation,
          lastTransitionTime: old !== undefined && old.status === value ? old.lastTransitionTime : api.now(),
          reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
          message: '',
        }],
      };
      if (!deepEqual(status, previous)) tolerant(() => api.update(budgets, namespace, nameOf(pdb), { ...pdb, status }, MANAGER, 'status'));
    }
  };

  return (change, type) => {
    const relevant = (type.kind === 'PodDisruptionBudget' && type.group === 'policy') || (type.group === '' && type.kind === 'Pod') || (type.group === 'apps' && ['Deployment', 'ReplicaSet', 'StatefulSet'].includes(type.kind));
    if (!relevant || change.namespace === '' || api.store.list(budgets.storageKey, change.namespace).length === 0) return;
    context.queue.add(`disruption/${change.namespace}`, () => reconcile(change.namespace));
  };
}
