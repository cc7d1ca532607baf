// istiod's Gateway API controller against the emulated API: once an istiod pod is ready and the
// Gateway API CRDs are served, it creates the built-in GatewayClasses, deploys every Gateway of
// an Istio class (ServiceAccount, Deployment, Service), and writes Gateway and route status.
// Each pass recomputes everything and writes only what differs, so its own writes settle.
import type { ClusterApi, WriteOptions } from '../../../api-server/cluster-api.ts';
import type { ResourceType } from '../../../api-server/resource-type.ts';
import { asObject, asString, deepEqual, isJsonObject, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { buildConditions } from './gateway-conditions.ts';
import { GATEWAY_CONTROLLER_NAME, gatewayDeploymentName, gatewayDeploymentObjects } from './gateway-deployment.ts';
import { gatewayStatus } from './gateway-status.ts';
import { httpRouteStatus } from './http-route-status.ts';
import { runningIstiods, type RunningIstiod } from './istiod-pods.ts';
import { labelsOf } from './webhook-matching.ts';

const WRITER: WriteOptions = { fieldManager: 'istio.io/gateway-controller', user: 'system:serviceaccount:istio-system:istiod' };
const STATUS_WRITER: WriteOptions = { fieldManager: 'pilot-discovery', user: 'system:serviceaccount:istio-system:istiod' };

/** The classes istiod creates (pilot/pkg/config/kube/gatewaycommon/classes.go). */
export const BUILTIN_GATEWAY_CLASSES: readonly { name: string; controllerName: string; description: string }[] = [
  { name: 'istio', controllerName: GATEWAY_CONTROLLER_NAME, description: 'The default Istio GatewayClass' },
  { name: 'istio-remote', controllerName: 'istio.io/unmanaged-gateway', description: 'Remote to this cluster. Does not deploy or affect configuration.' },
];

/** Whether `desired` is already contained in `actual` (objects by key, arrays element-wise). */
export function containsSubset(actual: unknown, desired: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && actual.length === desired.length && desired.every((item, index) => containsSubset(actual[index], item));
  }
  if (isJsonObject(desired)) {
    return isJsonObject(actual) && Object.entries(desired).every(([key, value]) => containsSubset(actual[key], value));
  }
  return deepEqual(actual, desired);
}

interface Types {
  gatewayClasses: ResourceType;
  gateways: ResourceType;
  httpRoutes: ResourceType;
  grpcRoutes: ResourceType | undefined;
  referenceGrants: ResourceType | undefined;
  services: ResourceType;
  serviceAccounts: ResourceType;
  deployments: ResourceType;
  namespaces: ResourceType;
  pods: ResourceType;
}

function gatewayApiTypes(api: ClusterApi): Types | undefined {
  const gatewayClasses = api.registry.find('gateway.networking.k8s.io', 'v1', 'gatewayclasses');
  const gateways = api.registry.find('gateway.networking.k8s.io', 'v1', 'gateways');
  const httpRoutes = api.registry.find('gateway.networking.k8s.io', 'v1', 'httproutes');
  if (gatewayClasses === undefined || gateways === undefined || httpRoutes === undefined) return undefined;
  return {
    gatewayClasses,
    gateways,
    httpRoutes,
    grpcRoutes: api.registry.find('gateway.networking.k8s.io', 'v1', 'grpcroutes'),
    referenceGrants: api.registry.find('gateway.networking.k8s.io', 'v1beta1', 'referencegrants'),
    services: api.resource('', 'v1', 'services'),
    serviceAccounts: api.resource('', 'v1', 'serviceaccounts'),
    deployments: api.resource('apps', 'v1', 'deployments'),
    namespaces: api.resource('', 'v1', 'namespaces'),
    pods: api.resource('', 'v1', 'pods'),
  };
}

/** 404/409 mean the object changed meanwhile: the change that did it queues another pass. */
function tolerant(write: () => unknown): void {
  try {
    write();
  } catch (error) {
    if (error instanceof StatusError && (error.code === 404 || error.code === 409)) return;
    throw error;
  }
}

const nameOf = (object: JsonObject): string => asString(asObject(object.metadata).name) ?? '';
const namespaceOf = (object: JsonObject): string => asString(asObject(object.metadata).namespace) ?? '';

function ensureGatewayClasses(api: ClusterApi, types: Types): void {
  for (const builtin of BUILTIN_GATEWAY_CLASSES) {
    let current = api.tryGet(types.gatewayClasses, '', builtin.name);
    if (current === undefined) {
      current = api.create(types.gatewayClasses, '', { metadata: { name: builtin.name }, spec: { controllerName: builtin.controllerName, description: builtin.description } }, WRITER).object;
    }
    if (asObject(current.spec).controllerName !== builtin.controllerName) continue;
    const status = { ...asObject(current.status), conditions: buildConditions([{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Handled by Istio controller' }], asObject(current.status).conditions, asObject(current.metadata).generation, api.now()) };
    if (!deepEqual(status, current.status)) tolerant(() => api.update(types.gatewayClasses, '', builtin.name, { ...current, status }, STATUS_WRITER, 'status'));
  }
}

function applyGenerated(api: ClusterApi, type: ResourceType, desired: JsonObject): void {
  const namespace = namespaceOf(desired);
  const current = api.tryGet(type, namespace, nameOf(desired));
  if (current === undefined) {
    tolerant(() => api.create(type, namespace, desired, WRITER));
    return;
  }
  if (containsSubset(current, desired)) return;
  tolerant(() => api.patch(type, namespace, nameOf(desired), 'apply', JSON.stringify(desired), { ...WRITER, force: true }));
}

/** One full pass; does nothing until an istiod is ready and the Gateway API is served. */
export function reconcileGatewayApi(api: ClusterApi): void {
  const types = gatewayApiTypes(api);
  if (types === undefined) return;
  const istiods = runningIstiods(api.list(types.pods, undefined, { labelSelector: 'app=istiod' }).items);
  if (istiods.length === 0) return;
  ensureGatewayClasses(api, types);

  const managedClasses = new Set(api.list(types.gatewayClasses, undefined).items.filter((c) => asObject(c.spec).controllerName === GATEWAY_CONTROLLER_NAME).map(nameOf));
  const gateways = api.list(types.gateways, undefined).items.filter((g) => managedClasses.has(asString(asObject(g.spec).gatewayClassName) ?? '') && asObject(g.metadata).deletionTimestamp === undefined);
  const routes = [...api.list(types.httpRoutes, undefined).items, ...(types.grpcRoutes === undefined ? [] : api.list(types.grpcRoutes, undefined).items)];
  const namespaceLabels = (namespace: string): Record<string, string> => labelsOf(api.tryGet(types.namespaces, '', namespace));
  const serving = (gateway: JsonObject): RunningIstiod | undefined => {
    const revision = asString(asObject(asObject(gateway.metadata).labels)['istio.io/rev']) ?? 'default';
    return istiods.find((istiod) => istiod.revision === revision);
  };
  const served = gateways.filter((gateway) => serving(gateway) !== undefined);

  for (const gateway of served) {
    const istiod = serving(gateway) as RunningIstiod;
    const [serviceAccount, deployment, service] = gatewayDeploymentObjects(gateway, {
      hub: istiod.hub,
      tag: istiod.tag,
      revision: istiod.revision,
      istioNamespace: istiod.namespace,
      istiodService: istiod.revision === 'default' ? 'istiod' : `istiod-${istiod.revision}`,
    }) as [JsonObject, JsonObject, JsonObject];
    applyGenerated(api, types.serviceAccounts, serviceAccount);
    applyGenerated(api, types.deployments, deployment);
    applyGenerated(api, types.services, service);
    const current = api.tryGet(types.gateways, namespaceOf(gateway), nameOf(gateway));
    if (current === undefined) continue;
    const status = gatewayStatus({
      gateway: current,
      service: api.tryGet(types.services, namespaceOf(gateway), gatewayDeploymentName(gateway)),
      routes,
      namespaceLabels,
      now: api.now(),
    });
    if (!deepEqual(status, current.status)) tolerant(() => api.update(types.gateways, namespaceOf(current), nameOf(current), { ...current, status }, STATUS_WRITER, 'status'));
  }

  const referenceGrants = types.referenceGrants === undefined ? [] : api.list(types.referenceGrants, undefined).items;
  for (const route of routes) {
    const routeType = route.kind === 'GRPCRoute' && types.grpcRoutes !== undefined ? types.grpcRoutes : types.httpRoutes;
    const status = httpRouteStatus({
      route,
      gateways: served,
      serviceExists: (namespace, name) => api.tryGet(types.services, namespace, name) !== undefined,
      referenceGrants,
      namespaceLabels,
      now: api.now(),
    });
    if (status === undefined || deepEqual(status, route.status)) continue;
    tolerant(() => api.update(routeType, namespaceOf(route), nameOf(route), { ...route, status }, STATUS_WRITER, 'status'));
  }
}

/** Whether a change can alter what reconcileGatewayApi writes. */
export function gatewayApiRelevant(type: ResourceType, object: JsonObject): boolean {
  if (type.group === 'gateway.networking.k8s.io') return true;
  if (type.group === 'apiextensions.k8s.io') return true;
  if (type.group === '' && (type.plural === 'services' || type.plural === 'namespaces')) return true;
  const labels = asObject(asObject(object.metadata).labels);
  if (type.group === '' && type.plural === 'pods') return labels.app === 'istiod';
  if ((type.group === 'apps' && type.plural === 'deployments') || (type.group === '' && type.plural === 'serviceaccounts')) return labels['gateway.istio.io/managed'] !== undefined;
  return false;
}
