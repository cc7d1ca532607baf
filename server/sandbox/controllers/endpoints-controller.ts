import { asArray, asObject, deepEqual, type JsonObject } from '../core/json-object.ts';
import type { StoreChange } from '../api-server/object-store.ts';
import type { ResourceType } from '../api-server/resource-type.ts';
import { asController, controllerRef, isOwnedBy, meta, nameOf, namespaceOf, tolerant, uidOf, type ControllerContext } from './controller-context.ts';
import { isPodReady } from './replicaset-controller.ts';

const MANAGER = asController('kube-controller-manager');

/** The pod port a service port's targetPort names (a number, or a named container port). */
function resolvePort(pod: JsonObject, targetPort: unknown): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  for (const container of asArray(asObject(pod.spec).containers).map(asObject)) {
    for (const port of asArray(container.ports).map(asObject)) if (port.name === targetPort) return Number(port.containerPort);
  }
  return undefined;
}

/** Service → Endpoints and EndpointSlice from the pods its selector picks, ready ones as addresses. */
export function endpointsController(context: ControllerContext): (change: StoreChange, type: ResourceType) => void {
  const { api, types } = context;

  const reconcile = (namespace: string, name: string): void => {
    const service = api.tryGet(types.services, namespace, name);
    if (service === undefined) {
      tolerant(() => api.delete(types.endpoints, namespace, name));
      return;
    }
    const spec = asObject(service.spec);
    const selector = asObject(spec.selector);
    if (Object.keys(selector).length === 0 || spec.type === 'ExternalName') return;
    const pods = api
      .list(types.pods, namespace)
      .items.filter((pod) => Object.entries(selector).every(([k, v]) => asObject(meta(pod).labels)[k] === v))
      .filter((pod) => typeof asObject(pod.status).podIP === 'string' && meta(pod).deletionTimestamp === undefined)
      .sort((a, b) => String(asObject(a.status).podIP).localeCompare(String(asObject(b.status).podIP)));
    const servicePorts = asArray(spec.ports).map(asObject);
    const address = (pod: JsonObject): JsonObject => ({
      ip: asObject(pod.status).podIP,
      nodeName: asObject(pod.spec).nodeName,
      targetRef: { kind: 'Pod', name: nameOf(pod), namespace, uid: uidOf(pod) },
    });
    const ports = (pod: JsonObject | undefined): JsonObject[] =>
      servicePorts.map((port) => {
        const out: JsonObject = {};
        if (port.name !== undefined) out.name = port.name;
        out.port = pod === undefined ? port.port : resolvePort(pod, port.targetPort ?? port.port) ?? port.port;
        out.protocol = port.protocol ?? 'TCP';
        if (port.appProtocol !== undefined) out.appProtocol = port.appProtocol;
        return out;
      });
    const ready = pods.filter(isPodReady);
    const notReady = pods.filter((pod) => !isPodReady(pod));
    const subset: JsonObject = {};
    if (ready.length > 0) subset.addresses = ready.map(address);
    if (notReady.length > 0) subset.notReadyAddresses = notReady.map(address);
    subset.ports = ports(pods[0]);
    const labels = { ...asObject(meta(service).labels) };
    const endpoints: JsonObject = { metadata: { name, namespace, labels: { ...labels, 'endpoints.kubernetes.io/managed-by': 'endpoint-controller' } } };
    if (pods.length > 0) endpoints.subsets = [subset];
    const existing = api.tryGet(types.endpoints, namespace, name);
    if (existing === undefined) tolerant(() => api.create(types.endpoints, namespace, endpoints, MANAGER));
    else if (!deepEqual(existing.subsets, endpoints.subsets) || !deepEqual(asObject(meta(existing).labels), asObject(asObject(endpoints.metadata).labels))) {
      tolerant(() => api.update(types.endpoints, namespace, name, { ...existing, subsets: endpoints.subsets, metadata: { ...meta(existing), labels: asObject(endpoints.metadata).labels } }, MANAGER));
    }
    const sliceLabels = { ...labels, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': name };
    const slice: JsonObject = {
      addressType: 'IPv4',
      endpoints: pods.map((pod) => ({
        addresses: [asObject(pod.status).podIP],
        conditions: { ready: isPodReady(pod), serving: isPodReady(pod), terminating: false },
        nodeName: asObject(pod.spec).nodeName,
        targetRef: { kind: 'Pod', name: nameOf(pod), namespace, uid: uidOf(pod) },
      })),
      ports: ports(pods[0]).map((port) => ({ name: port.name ?? '', port: port.port, protocol: port.protocol, ...(port.appProtocol === undefined ? {} : { appProtocol: port.appProtocol }) })),
    };
    const current = api.list(types.endpointSlices, namespace, { labelSelector: `kubernetes.io/service-name=${name}` }).items.find((candidate) => isOwnedBy(candidate, service));
    if (current === undefined) {
      tolerant(() =>
        api.create(types.endpointSlices, namespace, {
          metadata: { generateName: `${name}-`, namespace, labels: sliceLabels, ownerReferences: [controllerRef('v1', 'Service', service)] },
          ...slice,
        }, asController('endpointslice-controller')),
      );
    } else if (!deepEqual(current.endpoints, slice.endpoints) || !deepEqual(current.ports, slice.ports)) {
      tolerant(() => api.update(types.endpointSlices, namespace, nameOf(current), { ...current, ...slice }, asController('endpointslice-controller')));
    }
  };

  const enqueue = (namespace: string, name: string): void => context.queue.add(`endpoints/${namespace}/${name}`, () => reconcile(namespace, name));
  return (change, type) => {
    if (type.kind === 'Service' && type.group === '') enqueue(change.namespace, change.name);
    if (type.kind === 'Pod' && type.group === '') {
      const pod = change.object as JsonObject;
      const namespace = namespaceOf(pod);
      const labels = { ...asObject(meta(change.oldObject as JsonObject ?? {}).labels), ...asObject(meta(pod).labels) };
      for (const service of api.list(types.services, namespace).items) {
        const selector = asObject(asObject(service.spec).selector);
        if (Object.keys(selector).length > 0 && Object.keys(selector).every((key) => key in labels)) enqueue(namespace, nameOf(service));
      }
    }
  };
}
