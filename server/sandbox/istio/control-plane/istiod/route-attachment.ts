// Which Gateway listeners a route attaches to: its parentRefs (defaults: group
// gateway.networking.k8s.io, kind Gateway, the route's namespace), sectionName and port, the
// listener's allowedRoutes (namespaces Same/All/Selector, kinds) and its protocol.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { labelSelectorMatches } from '../injection/label-selector-match.ts';

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

function metaOf(object: JsonObject): { name: string; namespace: string } {
  const metadata = asObject(object.metadata);
  return { name: asString(metadata.name) ?? '', namespace: asString(metadata.namespace) ?? '' };
}

/** A parentRef with the CRD defaults filled in and its namespace resolved. */
export interface ResolvedParentRef {
  ref: JsonObject;
  group: string;
  kind: string;
  name: string;
  namespace: string;
}

export function resolvedParentRefs(route: JsonObject): ResolvedParentRef[] {
  const routeNamespace = metaOf(route).namespace;
  return asArray(asObject(route.spec).parentRefs).map(asObject).map((ref) => ({
    ref,
    group: asString(ref.group) ?? GATEWAY_GROUP,
    kind: asString(ref.kind) ?? 'Gateway',
    name: asString(ref.name) ?? '',
    namespace: asString(ref.namespace) ?? routeNamespace,
  }));
}

export function refersToGateway(parent: ResolvedParentRef, gateway: JsonObject): boolean {
  const { name, namespace } = metaOf(gateway);
  return parent.group === GATEWAY_GROUP && parent.kind === 'Gateway' && parent.name === name && parent.namespace === namespace;
}

function kindAllowed(routeKind: string, listener: JsonObject): boolean {
  const kinds = asArray(asObject(listener.allowedRoutes).kinds).map(asObject);
  if (kinds.length > 0) return kinds.some((k) => k.kind === routeKind && (asString(k.group) ?? GATEWAY_GROUP) === GATEWAY_GROUP);
  const protocol = asString(listener.protocol) ?? '';
  if (routeKind === 'HTTPRoute' || routeKind === 'GRPCRoute') return protocol === 'HTTP' || protocol === 'HTTPS';
  if (routeKind === 'TCPRoute') return protocol === 'TCP';
  if (routeKind === 'TLSRoute') return protocol === 'TLS';
  return false;
}

/** Whether the listener's allowedRoutes.namespaces admits routes from this namespace. */
export function namespaceAllowed(gateway: JsonObject, listener: JsonObject, routeNamespace: string, namespaceLabels: (namespace: string) => Readonly<Record<string, string>>): boolean {
  const namespaces = asObject(asObject(listener.allowedRoutes).namespaces);
  const from = asString(namespaces.from) ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Selector') return labelSelectorMatches(namespaces.selector, namespaceLabels(routeNamespace));
  return routeNamespace === metaOf(gateway).namespace;
}

/** Whether one parentRef of the route lands on this listener. */
export function parentRefMatchesListener(parent: ResolvedParentRef, route: JsonObject, gateway: JsonObject, listener: JsonObject, namespaceLabels: (namespace: string) => Readonly<Record<string, string>>): boolean {
  if (!refersToGateway(parent, gateway)) return false;
  const sectionName = asString(parent.ref.sectionName);
  if (sectionName !== undefined && sectionName !== asString(listener.name)) return false;
  if (parent.ref.port !== undefined && Number(parent.ref.port) !== Number(listener.port)) return false;
  if (!kindAllowed(asString(route.kind) ?? 'HTTPRoute', listener)) return false;
  return namespaceAllowed(gateway, listener, metaOf(route).namespace, namespaceLabels);
}

export function routeAttachesToListener(route: JsonObject, gateway: JsonObject, listener: JsonObject, namespaceLabels: (namespace: string) => Readonly<Record<string, string>>): boolean {
  return resolvedParentRefs(route).some((parent) => parentRefMatchesListener(parent, route, gateway, listener, namespaceLabels));
}
