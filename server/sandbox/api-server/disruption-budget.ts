import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import type { ClusterApi } from './cluster-api.ts';
import { labelSelectorFromObject, matchesLabels } from './label-selector.ts';

/**
 * The eviction subresource's PodDisruptionBudget check: an eviction that would take a
 * budget below its desired healthy pods is refused (429, as `kubectl drain` retries it);
 * an allowed one spends one disruption from the budget's status before the pod goes.
 */
export function admitEviction(api: ClusterApi, namespace: string, pod: Readonly<JsonObject>, dryRun: boolean): void {
  const budgets = api.resource('policy', 'v1', 'poddisruptionbudgets');
  const labels = asObject(asObject(pod.metadata).labels);
  const covering = api.list(budgets, namespace).items.filter((pdb) => matchesLabels(labelSelectorFromObject(asObject(pdb.spec).selector), labels));
  if (covering.length === 0) return;
  // Pods that are not running (pending, finished) can always go.
  if (asObject(pod.status).phase !== 'Running') return;
  if (covering.length > 1) throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  const pdb = covering[0] as JsonObject;
  const status = asObject(pdb.status);
  const name = String(asObject(pdb.metadata).name ?? '');
  if (Number(status.disruptionsAllowed ?? 0) <= 0) {
    throw new StatusError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
      causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} needs ${Number(status.desiredHealthy ?? 0)} healthy pods and has ${Number(status.currentHealthy ?? 0)} currently` }],
    });
  }
  if (dryRun) return;
  const podName = String(asObject(pod.metadata).name ?? '');
  const disrupted = { ...asObject(status.disruptedPods), [podName]: api.now() };
  api.update(budgets, namespace, name, { ...pdb, status: { ...status, disruptionsAllowed: Number(status.disruptionsAllowed) - 1, disruptedPods: disrupted, conditions: asArray(status.conditions) } }, { fieldManager: 'kube-apiserver' }, 'status');
}
