// Route status as istiod writes it for each parent it controls: Gateways of an Istio class and
// Services (GAMMA mesh routing). `Accepted` says whether a listener took the route,
// `ResolvedRefs` whether every backend exists and may be referenced. Parents of other
// controllers keep the entries those controllers wrote.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { buildConditions, type ConditionInput } from './gateway-conditions.ts';
import { GATEWAY_CONTROLLER_NAME } from './gateway-deployment.ts';
import { parentRefMatchesListener, resolvedParentRefs, type ResolvedParentRef } from './route-attachment.ts';

export interface RouteStatusInput {
  route: JsonObject;
  /** Gateway API Gateways whose class istiod controls. */
  gateways: readonly JsonObject[];
  serviceExists(namespace: string, name: string): boolean;
  referenceGrants: readonly JsonObject[];
  namespaceLabels(namespace: string): Readonly<Record<string, string>>;
  now: string;
}

function grantAllows(grants: readonly JsonObject[], fromNamespace: string, fromKind: string, toNamespace: string, toName: string): boolean {
  return grants.some((grant) => {
    if (asObject(grant.metadata).namespace !== toNamespace) return false;
    const spec = asObject(grant.spec);
    const from = asArray(spec.from).map(asObject).some((f) => f.group === 'gateway.networking.k8s.io' && f.kind === fromKind && f.namespace === fromNamespace);
    const to = asArray(spec.to).map(asObject).some((t) => (asString(t.group) ?? '') === '' && t.kind === 'Service' && (t.name === undefined || t.name === toName));
    return from && to;
  });
}

function resolvedRefs(input: RouteStatusInput): ConditionInput {
  const metadata = asObject(input.route.metadata);
  const routeNamespace = asString(metadata.namespace) ?? '';
  const kind = asString(input.route.kind) ?? 'HTTPRoute';
  for (const rule of asArray(asObject(input.route.spec).rules).map(asObject)) {
    for (const backend of asArray(rule.backendRefs).map(asObject)) {
      const group = asString(backend.group) ?? '';
      const backendKind = asString(backend.kind) ?? 'Service';
      const name = asString(backend.name) ?? '';
      const namespace = asString(backend.namespace) ?? routeNamespace;
      if (group !== '' || backendKind !== 'Service') {
        return { type: 'ResolvedRefs', status: 'False', reason: 'InvalidKind', message: `referencing unsupported backendRef: group "${group}" kind "${backendKind}"` };
      }
      if (namespace !== routeNamespace && !grantAllows(input.referenceGrants, routeNamespace, kind, namespace, name)) {
        return { type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted', message: `backendRef ${name}/${namespace} not accessible to a ${kind} in namespace "${routeNamespace}" (missing a ReferenceGrant?)` };
      }
      if (!input.serviceExists(namespace, name)) {
        return { type: 'ResolvedRefs', status: 'False', reason: 'BackendNotFound', message: `backend(${name}.${namespace}.svc.cluster.local) not found` };
      }
    }
  }
  return { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'All references resolved' };
}

function accepted(parent: ResolvedParentRef, input: RouteStatusInput, gateway: JsonObject | undefined): ConditionInput {
  if (gateway === undefined) return { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route was valid' };
  const listeners = asArray(asObject(gateway.spec).listeners).map(asObject);
  if (listeners.some((listener) => parentRefMatchesListener(parent, input.route, gateway, listener, input.namespaceLabels))) {
    return { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Route was valid' };
  }
  const sectionName = asString(parent.ref.sectionName);
  if (sectionName !== undefined && !listeners.some((listener) => listener.name === sectionName)) {
    return { type: 'Accepted', status: 'False', reason: 'NoMatchingParent', message: `sectionName "${sectionName}" not found` };
  }
  const routeNamespace = asString(asObject(input.route.metadata).namespace) ?? '';
  return { type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners', message: `hostnames matched parent hostname "", but namespace "${routeNamespace}" is not allowed by the parent` };
}

/** The parentRef as it appears in status: the defaults spelled out, optional fields as given. */
function statusParentRef(parent: ResolvedParentRef): JsonObject {
  const ref: JsonObject = { group: parent.group, kind: parent.kind, name: parent.name };
  if (parent.ref.namespace !== undefined) ref.namespace = parent.ref.namespace;
  if (parent.ref.sectionName !== undefined) ref.sectionName = parent.ref.sectionName;
  if (parent.ref.port !== undefined) ref.port = parent.ref.port;
  return ref;
}

/** The route's new `status`, or undefined when istiod controls none of its parents. */
export function httpRouteStatus(input: RouteStatusInput): JsonObject | undefined {
  const metadata = asObject(input.route.metadata);
  const previous = asArray(asObject(input.route.status).parents).map(asObject);
  const ours: JsonObject[] = [];
  const refs = resolvedRefs(input);
  for (const parent of resolvedParentRefs(input.route)) {
    let gateway: JsonObject | undefined;
    if (parent.group === 'gateway.networking.k8s.io' && parent.kind === 'Gateway') {
      gateway = input.gateways.find((g) => asObject(g.metadata).name === parent.name && asObject(g.metadata).namespace === parent.namespace);
      if (gateway === undefined) continue;
    } else if (parent.group === '' && parent.kind === 'Service') {
      if (!input.serviceExists(parent.namespace, parent.name)) continue;
    } else {
      continue;
    }
    const parentRef = statusParentRef(parent);
    const before = previous.find((p) => p.controllerName === GATEWAY_CONTROLLER_NAME && JSON.stringify(p.parentRef) === JSON.stringify(parentRef));
    ours.push({
      conditions: buildConditions([accepted(parent, input, gateway), refs], before?.conditions, metadata.generation, input.now),
      controllerName: GATEWAY_CONTROLLER_NAME,
      parentRef,
    });
  }
  const others = previous.filter((p) => p.controllerName !== GATEWAY_CONTROLLER_NAME);
  if (ours.length === 0 && others.length === previous.length) return undefined;
  return { ...asObject(input.route.status), parents: [...others, ...ours] };
}
