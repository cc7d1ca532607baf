import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { ObjectStore } from './object-store.ts';
import { addQuantities, parseQuantity, type Quantity } from './quantity.ts';
import type { ResourceRegistry } from './resource-registry.ts';

/** Object counts a quota can name without `count/` (the legacy names). */
const LEGACY_COUNTS: Record<string, string> = {
  pods: '/pods',
  services: '/services',
  configmaps: '/configmaps',
  secrets: '/secrets',
  persistentvolumeclaims: '/persistentvolumeclaims',
  replicationcontrollers: '/replicationcontrollers',
  resourcequotas: '/resourcequotas',
};

const COMPUTE = /^(?:(requests|limits)\.)?(cpu|memory|ephemeral-storage)$/;

const terminal = (pod: Readonly<JsonObject>): boolean => ['Succeeded', 'Failed'].includes(String(asObject(pod.status).phase));

/** The store key a quota resource name counts (`pods`, `count/deployments.apps`), if it counts objects. */
export function countedStorageKey(resource: string, registry: ResourceRegistry): string | undefined {
  const legacy = LEGACY_COUNTS[resource];
  if (legacy !== undefined) return legacy;
  const match = /^count\/([a-z0-9-]+)(?:\.(.+))?$/.exec(resource);
  if (match === null) return undefined;
  const type = registry.all().find((candidate) => candidate.plural === match[1] && candidate.group === (match[2] ?? ''));
  return type?.storageKey;
}

/** Whether a quota key is about compute resources (`requests.cpu`, `memory`, `limits.memory`). */
export function isComputeResource(resource: string): boolean {
  return COMPUTE.test(resource);
}

/** What one object adds to a quota key: 1 for counted objects, the summed containers for compute. */
export function usageOf(resource: string, storageKey: string, object: Readonly<JsonObject>, registry: ResourceRegistry): Quantity | undefined {
  if (storageKey === '/pods' && terminal(object)) return undefined;
  if (countedStorageKey(resource, registry) === storageKey) return { value: 1, format: 'DecimalSI' };
  if (storageKey === '/services') {
    const spec = asObject(object.spec);
    if (resource === 'services.loadbalancers') return spec.type === 'LoadBalancer' ? { value: 1, format: 'DecimalSI' } : undefined;
    if (resource === 'services.nodeports') return spec.type === 'NodePort' || spec.type === 'LoadBalancer' ? { value: asArray(spec.ports).length, format: 'DecimalSI' } : undefined;
  }
  const compute = COMPUTE.exec(resource);
  if (compute === null || storageKey !== '/pods') return undefined;
  const kind = compute[1] === 'limits' ? 'limits' : 'requests';
  const name = compute[2] ?? '';
  const values = asArray(asObject(object.spec).containers).map((c) => asObject(asObject(asObject(c).resources)[kind])[name] ?? (kind === 'requests' ? asObject(asObject(asObject(c).resources).limits)[name] : undefined))
    .filter((v) => v !== undefined)
    .map((v) => parseQuantity(v));
  return values.length === 0 ? undefined : addQuantities(values);
}

/** Containers missing a value a compute quota needs (`requests.cpu` → containers without it). */
export function missingCompute(resource: string, pod: Readonly<JsonObject>): string[] {
  const compute = COMPUTE.exec(resource);
  if (compute === null) return [];
  const kind = compute[1] === 'limits' ? 'limits' : 'requests';
  const name = compute[2] ?? '';
  return asArray(asObject(pod.spec).containers).map(asObject).filter((c) => {
    const resources = asObject(c.resources);
    // A limit alone also defaults the request.
    return asObject(resources[kind])[name] === undefined && (kind === 'limits' || asObject(resources.limits)[name] === undefined);
  }).map((c) => String(c.name));
}

/** Current usage of a quota key in a namespace. */
export function namespaceUsage(resource: string, namespace: string, store: ObjectStore, registry: ResourceRegistry): Quantity {
  const keys = new Set<string>();
  const counted = countedStorageKey(resource, registry);
  if (counted !== undefined) keys.add(counted);
  if (resource.startsWith('services.')) keys.add('/services');
  if (isComputeResource(resource)) keys.add('/pods');
  const parts: Quantity[] = [];
  for (const key of keys) {
    for (const object of store.list(key, namespace)) {
      const used = usageOf(resource, key, object, registry);
      if (used !== undefined) parts.push(used);
    }
  }
  return parts.length === 0 ? { value: 0, format: 'DecimalSI' } : addQuantities(parts);
}
