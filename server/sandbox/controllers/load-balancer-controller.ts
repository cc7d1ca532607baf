import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, nameOf, namespaceOf, tolerant, type ControllerContext } from './controller-context.ts';
import { recordEvent } from './event-recorder.ts';

/**
 * Gives LoadBalancer Services an external address from a small pool, as a cloud provider or
 * MetalLB would, so `kubectl get svc` shows an EXTERNAL-IP after a moment.
 */
export function loadBalancerController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;
  const used = new Set<string>();
  const allocate = (): string => {
    for (let i = 0; i < 55; i++) {
      const ip = `172.18.255.${200 + i}`;
      if (!used.has(ip)) {
        used.add(ip);
        return ip;
      }
    }
    return '172.18.255.255';
  };
  const reconcile = (namespace: string, name: string): void => {
    const service = api.tryGet(types.services, namespace, name);
    if (service === undefined || asObject(service.spec).type !== 'LoadBalancer') return;
    if (asArray(asObject(asObject(service.status).loadBalancer).ingress).length > 0) return;
    const ip = allocate();
    const updated = tolerant(() => api.update(types.services, namespace, name, { ...service, status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } } }, asController('service-controller'), 'status'));
    if (updated !== undefined) recordEvent(context, { type: types.services, object: updated.object }, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`, { component: 'service-controller' });
  };
  return (change, type) => {
    if (type.kind !== 'Service' || type.group !== '') return;
    const service = change.object as JsonObject;
    const ingress = asArray(asObject(asObject(service.status).loadBalancer).ingress).map((entry) => String(asObject(entry).ip ?? ''));
    if (change.type === 'DELETED' || asObject(service.spec).type !== 'LoadBalancer') {
      for (const ip of ingress) used.delete(ip);
      return;
    }
    for (const ip of ingress) used.add(ip);
    if (ingress.length === 0) context.queue.add(`load-balancer/${namespaceOf(service)}/${nameOf(service)}`, () => reconcile(namespaceOf(service), nameOf(service)), context.profile.scheduleMs(context.rng) * 5);
  };
}
