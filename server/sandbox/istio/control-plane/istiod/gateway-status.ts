// The status istiod writes on a Gateway API `Gateway` it deploys (gatewaycommon/conversion.go):
// `Accepted`, `Programmed` once its Service has an address (the LoadBalancer IP, or for other
// Service types the Service hostname), the addresses themselves, and per listener the routes
// attached to it.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { buildConditions } from './gateway-conditions.ts';
import { gatewayDeploymentName } from './gateway-deployment.ts';
import { routeAttachesToListener } from './route-attachment.ts';

export interface GatewayStatusInput {
  gateway: JsonObject;
  /** The generated `<gateway>-istio` Service, if it exists. */
  service: JsonObject | undefined;
  /** HTTPRoutes (and GRPCRoutes) of the cluster, to count attached routes per listener. */
  routes: readonly JsonObject[];
  namespaceLabels(namespace: string): Readonly<Record<string, string>>;
  now: string;
}

/** `a`, `a and b`, `a, b, and c` (istio's humanReadableJoin). */
function humanReadableJoin(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
}

export function gatewayStatus(input: GatewayStatusInput): JsonObject {
  const { gateway } = input;
  const metadata = asObject(gateway.metadata);
  const namespace = asString(metadata.namespace) ?? '';
  const previous = asObject(gateway.status);
  const hostname = `${gatewayDeploymentName(gateway)}.${namespace}.svc.cluster.local`;
  const listeners = asArray(asObject(gateway.spec).listeners).map(asObject);
  const ports = [...new Set(listeners.map((listener) => Number(listener.port)))].sort((a, b) => a - b);
  const assigned = humanReadableJoin(ports.map((port) => `${hostname}:${port}`));

  const addresses: JsonObject[] = [];
  let programmed: { status: 'True' | 'False'; reason: string; message: string };
  const spec = asObject(input.service?.spec);
  if (input.service === undefined) {
    programmed = { status: 'False', reason: 'AddressNotAssigned', message: `Failed to assign to any requested addresses: hostname "${hostname}" not found` };
  } else if (spec.type === 'LoadBalancer') {
    for (const ingress of asArray(asObject(asObject(input.service.status).loadBalancer).ingress).map(asObject)) {
      if (typeof ingress.ip === 'string') addresses.push({ type: 'IPAddress', value: ingress.ip });
      else if (typeof ingress.hostname === 'string') addresses.push({ type: 'Hostname', value: ingress.hostname });
    }
    programmed =
      addresses.length > 0
        ? { status: 'True', reason: 'Programmed', message: `Resource programmed, assigned to service(s) ${assigned}` }
        : { status: 'False', reason: 'AddressNotAssigned', message: `Assigned to service(s) ${assigned}, but failed to assign to all requested addresses: address pending for hostname "${hostname}"` };
  } else {
    addresses.push({ type: 'Hostname', value: hostname });
    programmed = { status: 'True', reason: 'Programmed', message: `Resource programmed, assigned to service(s) ${assigned}` };
  }

  const generation = metadata.generation;
  const previousListeners = new Map(asArray(previous.listeners).map(asObject).map((l) => [String(l.name), l]));
  const status: JsonObject = {};
  if (addresses.length > 0) status.addresses = addresses;
  status.conditions = buildConditions(
    [
      { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Resource accepted' },
      { type: 'Programmed', ...programmed },
    ],
    previous.conditions,
    generation,
    input.now,
  );
  status.listeners = listeners.map((listener) => {
    const name = asString(listener.name) ?? '';
    const attachedRoutes = input.routes.filter((route) => routeAttachesToListener(route, gateway, listener, input.namespaceLabels)).length;
    const protocol = asString(listener.protocol) ?? '';
    const supportedKinds =
      protocol === 'HTTP' || protocol === 'HTTPS'
        ? [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }]
        : protocol === 'TCP'
          ? [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }]
          : protocol === 'TLS'
            ? [{ group: 'gateway.networking.k8s.io', kind: 'TLSRoute' }]
            : [];
    return {
      attachedRoutes,
      conditions: buildConditions(
        [
          { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'No errors found' },
          { type: 'Conflicted', status: 'False', reason: 'NoConflicts', message: 'No errors found' },
          { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'No errors found' },
          { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: 'No errors found' },
        ],
        previousListeners.get(name)?.conditions,
        generation,
        input.now,
      ),
      name,
      supportedKinds,
    };
  });
  return status;
}
