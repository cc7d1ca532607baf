import { asObject, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import { formatQuantity, parseQuantity, QuantityParseError } from '../api-server/quantity.ts';
import { namespaceUsage } from '../api-server/quota-usage.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, nameOf, tolerant, type ControllerContext } from './controller-context.ts';

const MANAGER = asController('resourcequota-controller');

function canonical(value: unknown): string {
  try {
    return formatQuantity(parseQuantity(value));
  } catch (error) {
    if (error instanceof QuantityParseError) return String(value);
    throw error;
  }
}

/** Keeps each ResourceQuota's `status.hard` and `status.used` up to date with its namespace. */
export function resourceQuotaController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api } = context;
  const quotas = api.resource('', 'v1', 'resourcequotas');
  const reconcile = (namespace: string): void => {
    for (const quota of api.list(quotas, namespace).items) {
      const hard = asObject(asObject(quota.spec).hard);
      const status: JsonObject = { hard: {}, used: {} };
      for (const resource of Object.keys(hard).sort()) {
        asObject(status.hard)[resource] = canonical(hard[resource]);
        asObject(status.used)[resource] = formatQuantity(namespaceUsage(resource, namespace, api.store, api.registry));
      }
      if (!deepEqual(status, quota.status)) tolerant(() => api.update(quotas, namespace, nameOf(quota), { ...quota, status }, MANAGER, 'status'));
    }
  };
  return (change) => {
    if (change.namespace === '' || change.storageKey === context.types.events.storageKey) return;
    if (api.store.list(quotas.storageKey, change.namespace).length === 0) return;
    context.queue.add(`resourcequota/${change.namespace}`, () => reconcile(change.namespace));
  };
}
