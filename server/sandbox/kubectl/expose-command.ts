// `kubectl expose (deployment|replicaset|pod|service|replicationcontroller) NAME`: a Service
// whose selector, labels and ports come from the exposed object unless the flags give them.
import { statusError } from './api-client.ts';
import { resourcePath } from './discovery.ts';
import { flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { objectName, parseOutputFormat, type KubeObject } from './object-output.ts';
import { parseLabelList } from './label-list.ts';
import { createObject, dryRunStrategy, printResult } from './object-writing.ts';

const EXPOSABLE = new Set(['Pod', 'Service', 'ReplicationController', 'Deployment', 'ReplicaSet']);

const RESOURCES_REQUIRED =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

interface PortSpec {
  port: number;
  protocol: string;
}

interface ContainerLike {
  ports?: { containerPort?: number; protocol?: string }[];
}

function containersOf(object: KubeObject): ContainerLike[] {
  const spec = (object.spec ?? {}) as { containers?: ContainerLike[]; template?: { spec?: { containers?: ContainerLike[] } } };
  return object.kind === 'Pod' ? (spec.containers ?? []) : (spec.template?.spec?.containers ?? []);
}

/** polymorphichelpers.PortsForObject with the protocols of ProtocolsForObject. */
function portsOf(object: KubeObject): PortSpec[] {
  if (object.kind === 'Service') {
    const ports = ((object.spec ?? {}) as { ports?: { port?: number; protocol?: string }[] }).ports ?? [];
    return ports.map((port) => ({ port: port.port ?? 0, protocol: port.protocol ?? 'TCP' }));
  }
  return containersOf(object).flatMap((container) => (container.ports ?? []).map((port) => ({ port: port.containerPort ?? 0, protocol: port.protocol ?? 'TCP' })));
}

/** The exposed object's pod selector, as MapBasedSelectorForObject reads it. */
function selectorOf(object: KubeObject): Record<string, string> {
  const spec = (object.spec ?? {}) as { selector?: Record<string, unknown> };
  switch (object.kind) {
    case 'Pod': {
      const labels = object.metadata?.labels ?? {};
      if (Object.keys(labels).length === 0) throw new KubectlError('NO_LABELS', `error: the pod has no labels and cannot be exposed`);
      return labels;
    }
    case 'Service':
    case 'ReplicationController': {
      const selector = (spec.selector ?? {}) as Record<string, string>;
      if (Object.keys(selector).length === 0) throw new KubectlError('NO_SELECTOR', `error: the ${object.kind === 'Service' ? 'service' : 'replication controller'} has no pod selector set`);
      return selector;
    }
    default: {
      const selector = (spec.selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
      if ((selector.matchExpressions ?? []).length > 0) throw new KubectlError('SELECTOR_EXPRESSIONS', 'error: couldn\'t convert expressions - "matchExpressions" to map-based selector format');
      return selector.matchLabels ?? {};
    }
  }
}

function intOrString(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

export async function runExpose(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'port', type: 'string' },
    { name: 'target-port', type: 'string' },
    { name: 'container-port', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'protocol', type: 'string' },
    { name: 'selector', type: 'string' },
    { name: 'labels', short: 'l', type: 'string' },
    { name: 'external-ip', type: 'string' },
    { name: 'cluster-ip', type: 'string' },
    { name: 'load-balancer-ip', type: 'string' },
    { name: 'session-affinity', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'field-manager', type: 'string' },
    { name: 'save-config', type: 'bool' },
    { name: 'overrides', type: 'string' },
  ]);
  const positionals = [...flags.positionals, ...flags.rest];
  if (positionals.length === 0) throw new KubectlError('RESOURCES_REQUIRED', RESOURCES_REQUIRED);
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const format = parseOutputFormat(flagString(flags, 'output'));
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, positionals);
  const namespace = context.namespace;
  const services = discovery.resolve('services');
  for (const request of requests) {
    if (request.names.length === 0) throw new KubectlError('NAME_REQUIRED', 'error: resource(s) were provided, but no name was specified');
    for (const name of request.names) {
      const response = await context.client.raw({ path: resourcePath(request.resource, namespace, name) });
      if (response.status >= 300) throw statusError(response);
      const object = JSON.parse(response.text) as KubeObject;
      const kind = request.resource.kind;
      if (!EXPOSABLE.has(kind)) throw new KubectlError('NOT_EXPOSABLE', `error: cannot expose a ${kind}`);
      object.kind ??= kind;
      const selectorText = flagString(flags, 'selector');
      const selector = selectorText === undefined || selectorText === '' ? selectorOf(object) : parseLabelList(selectorText);
      const portText = flagString(flags, 'port') ?? '';
      const introspected = portText === '' ? portsOf(object) : [];
      const portList = portText === '' ? introspected.map((entry) => String(entry.port)) : portText.split(',');
      if (portList.length === 0) throw new KubectlError('PORT_REQUIRED', "error: couldn't find port via --port flag or introspection");
      const protocolFlag = flagString(flags, 'protocol') ?? '';
      const targetPort = flagString(flags, 'target-port') ?? flagString(flags, 'container-port') ?? '';
      const ports = portList.map((text, index) => {
        if (!/^\d+$/.test(text)) throw new KubectlError('PORT_INVALID', `error: strconv.Atoi: parsing "${text}": invalid syntax`);
        const port: Record<string, unknown> = {};
        if (portList.length > 1) port.name = `port-${index + 1}`;
        const known = introspected.filter((entry) => String(entry.port) === text).map((entry) => entry.protocol);
        port.protocol = protocolFlag !== '' ? protocolFlag : known.length === 1 ? known[0] : 'TCP';
        port.port = Number(text);
        port.targetPort = targetPort !== '' ? intOrString(targetPort) : Number(text);
        return port;
      });
      const labelText = flagString(flags, 'labels');
      const labels = labelText === undefined || labelText === '' ? (object.metadata?.labels ?? {}) : parseLabelList(labelText);
      const metadata: Record<string, unknown> = { name: flagString(flags, 'name') || name, creationTimestamp: null };
      if (Object.keys(labels).length > 0) metadata.labels = labels;
      const spec: Record<string, unknown> = { ports, selector };
      const clusterIP = flagString(flags, 'cluster-ip');
      if (clusterIP !== undefined && clusterIP !== '') spec.clusterIP = clusterIP;
      const type = flagString(flags, 'type');
      if (type !== undefined && type !== '') spec.type = type;
      const externalIP = flagString(flags, 'external-ip');
      if (externalIP !== undefined && externalIP !== '') spec.externalIPs = [externalIP];
      const affinity = flagString(flags, 'session-affinity');
      if (affinity !== undefined && affinity !== '') spec.sessionAffinity = affinity;
      const loadBalancerIP = flagString(flags, 'load-balancer-ip');
      if (loadBalancerIP !== undefined && loadBalancerIP !== '') spec.loadBalancerIP = loadBalancerIP;
      const service: KubeObject = { kind: 'Service', apiVersion: 'v1', metadata, spec, status: { loadBalancer: {} } };
      const created = await createObject(context, resourcePath(services, namespace), service, dryRun, flagString(flags, 'field-manager') ?? 'kubectl-expose');
      printResult(context, format, objectName(services, created.object), 'exposed', dryRun, created.object, created.typed);
    }
  }
  return 0;
}
