import { asObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import type { AdmissionHook } from './admission.ts';
import type { ObjectStore } from './object-store.ts';
import { formatQuantity, parseQuantity, QuantityParseError, type Quantity } from './quantity.ts';
import { missingCompute, namespaceUsage, usageOf } from './quota-usage.ts';
import type { ResourceRegistry } from './resource-registry.ts';

const RESOURCE_QUOTAS = '/resourcequotas';

function parsed(value: unknown): Quantity | undefined {
  try {
    return parseQuantity(value);
  } catch (error) {
    if (error instanceof QuantityParseError) return undefined;
    throw error;
  }
}

/**
 * The ResourceQuota admission plugin: a create that would take a namespace past a quota's
 * `hard` limits is refused with the API server's message, and pods must state the compute
 * resources a quota limits.
 */
export function resourceQuotaAdmission(store: ObjectStore, registry: ResourceRegistry): AdmissionHook {
  return {
    name: 'ResourceQuota',
    admit(request) {
      if (request.operation !== 'CREATE' || request.object === undefined || request.subresource !== '' || !request.type.namespaced) return;
      const quotas = store.list(RESOURCE_QUOTAS, request.namespace);
      if (quotas.length === 0) return;
      const object: JsonObject = request.object;
      const storageKey = request.type.storageKey;
      const refuse = (why: string): never => {
        throw StatusError.forbidden({ group: request.type.group, resource: request.type.plural }, String(asObject(object.metadata).name ?? request.name), why);
      };
      for (const quota of [...quotas].sort((a, b) => String(asObject(a.metadata).name).localeCompare(String(asObject(b.metadata).name)))) {
        const quotaName = String(asObject(quota.metadata).name ?? '');
        const hard = asObject(asObject(quota.spec).hard);
        if (storageKey === '/pods') {
          const missing = Object.keys(hard).sort().flatMap((resource) => {
            const containers = missingCompute(resource, object);
            return containers.length === 0 ? [] : [`${resource} for: ${containers.join(',')}`];
          });
          if (missing.length > 0) refuse(`failed quota: ${quotaName}: must specify ${missing.join('; ')}`);
        }
        const exceeded: Array<{ resource: string; requested: Quantity; used: Quantity; limit: Quantity }> = [];
        for (const resource of Object.keys(hard).sort()) {
          const requested = usageOf(resource, storageKey, object, registry);
          const limit = parsed(hard[resource]);
          if (requested === undefined || requested.value === 0 || limit === undefined) continue;
          const used = namespaceUsage(resource, request.namespace, store, registry);
          if (used.value + requested.value > limit.value + 1e-9) exceeded.push({ resource, requested, used: { ...used, format: used.value === 0 ? requested.format : used.format }, limit });
        }
        if (exceeded.length > 0) {
          const list = (pick: (entry: (typeof exceeded)[number]) => Quantity): string => exceeded.map((entry) => `${entry.resource}=${formatQuantity(pick(entry))}`).join(',');
          refuse(`exceeded quota: ${quotaName}, requested: ${list((e) => e.requested)}, used: ${list((e) => e.used)}, limited: ${list((e) => e.limit)}`);
        }
      }
    },
  };
}
