// `kubectl describe service`: kubectl's describer output (a tabwriter with padding 2) with the
// Service's EndpointSlices and Events. Other kinds are not described yet.
import { statusError } from './api-client.ts';
import { qualifiedResource, resourcePath } from './discovery.ts';
import { parseFlags, flagString } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';
import { humanDuration } from './human-duration.ts';
import { tabwrite } from './tab-writer.ts';

const DESCRIBE = { minWidth: 0, padding: 2 };
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** `Labels:\ta=b` then `\tc=d` lines, sorted, or `<none>`. */
function multiline(title: string, entries: Record<string, string> | undefined, separator: string): string {
  const keys = Object.keys(entries ?? {}).filter((key) => !SKIPPED_ANNOTATIONS.has(key)).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((key, index) => `${index === 0 ? `${title}:` : ''}\t${key}${separator}${entries?.[key] ?? ''}\n`).join('');
}

interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

function eventsSection(events: EventLike[], now: number): string {
  if (events.length === 0) return 'Events:\t<none>\n';
  const at = (event: EventLike): number => Date.parse(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? '') || 0;
  const sorted = [...events].sort((a, b) => at(a) - at(b));
  let text = 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n';
  for (const event of sorted) {
    let age = humanDuration(now - at(event));
    const count = event.count ?? 1;
    if (count > 1 && event.firstTimestamp !== undefined && event.firstTimestamp !== null) {
      age = `${age} (x${count} over ${humanDuration(now - Date.parse(event.firstTimestamp))})`;
    }
    const component = event.source?.component ?? event.reportingComponent ?? '';
    const from = event.source?.host !== undefined && event.source.host !== '' ? `${component}, ${event.source.host}` : component;
    text += `  ${event.type ?? ''}\t${event.reason ?? ''}\t${age}\t${from}\t${(event.message ?? '').trim()}\n`;
  }
  return text;
}

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

interface EndpointSliceLike {
  ports?: { name?: string; port?: number }[];
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
}

function endpointsFor(slices: EndpointSliceLike[], portName: string): string {
  const list: string[] = [];
  for (const slice of slices) {
    for (const port of slice.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      for (const endpoint of slice.endpoints ?? []) {
        if (endpoint.conditions?.ready === false) continue;
        for (const address of endpoint.addresses ?? []) list.push(`${address}:${port.port ?? ''}`);
      }
    }
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

async function describeService(context: KubectlContext, service: KubeObject): Promise<string> {
  const metadata = service.metadata ?? {};
  const spec = (service.spec ?? {}) as {
    selector?: Record<string, string>;
    type?: string;
    ipFamilyPolicy?: string;
    ipFamilies?: string[];
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    ports?: ServicePort[];
    sessionAffinity?: string;
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
    externalName?: string;
  };
  const namespace = metadata.namespace ?? '';
  const name = metadata.name ?? '';
  const slices = await context.client.json<{ items?: EndpointSliceLike[] }>({
    path: `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${name}`)}`,
  });
  const events = await eventsFor(context, service);
  let text = `Name:\t${name}\nNamespace:\t${namespace}\n`;
  text += multiline('Labels', metadata.labels, '=');
  text += multiline('Annotations', metadata.annotations, ': ');
  const selector = Object.keys(spec.selector ?? {}).sort().map((key) => `${key}=${spec.selector?.[key] ?? ''}`).join(',');
  text += `Selector:\t${selector === '' ? '<none>' : selector}\n`;
  text += `Type:\t${spec.type ?? ''}\n`;
  if (spec.ipFamilyPolicy !== undefined) text += `IP Family Policy:\t${spec.ipFamilyPolicy}\n`;
  if ((spec.ipFamilies ?? []).length > 0) text += `IP Families:\t${(spec.ipFamilies ?? []).join(',')}\n`;
  if (spec.clusterIP !== undefined && spec.clusterIP !== '') text += `IP:\t${spec.clusterIP}\n`;
  if ((spec.clusterIPs ?? []).length > 0) text += `IPs:\t${(spec.clusterIPs ?? []).join(',')}\n`;
  if ((spec.externalIPs ?? []).length > 0) text += `External IPs:\t${(spec.externalIPs ?? []).join(',')}\n`;
  const ingress = ((service.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [])
    .map((entry) => entry.ip ?? entry.hostname ?? '')
    .filter((entry) => entry !== '');
  if (ingress.length > 0) text += `LoadBalancer Ingress:\t${ingress.join(', ')}\n`;
  if (spec.type === 'ExternalName') text += `External Name:\t${spec.externalName ?? ''}\n`;
  for (const port of spec.ports ?? []) {
    const portName = port.name === undefined || port.name === '' ? '<unset>' : port.name;
    const protocol = port.protocol ?? 'TCP';
    text += `Port:\t${portName}\t${port.port}/${protocol}\n`;
    text += `TargetPort:\t${String(port.targetPort ?? port.port)}/${protocol}\n`;
    if (port.nodePort !== undefined && port.nodePort !== 0) text += `NodePort:\t${portName}\t${port.nodePort}/${protocol}\n`;
    text += `Endpoints:\t${endpointsFor(slices.items ?? [], port.name ?? '')}\n`;
  }
  text += `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`;
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') text += `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`;
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== '') text += `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`;
  text += eventsSection(events, Date.now());
  return tabwrite(text, DESCRIBE);
}

async function eventsFor(context: KubectlContext, object: KubeObject): Promise<EventLike[]> {
  const metadata = object.metadata ?? {};
  const selector = [
    `involvedObject.name=${metadata.name ?? ''}`,
    `involvedObject.namespace=${metadata.namespace ?? ''}`,
    `involvedObject.uid=${String(metadata.uid ?? '')}`,
  ].join(',');
  const list = await context.client.json<{ items?: EventLike[] }>({
    path: `/api/v1/namespaces/${encodeURIComponent(metadata.namespace ?? '')}/events?fieldSelector=${encodeURIComponent(selector)}&limit=500`,
  });
  return list.items ?? [];
}

export async function runDescribe(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'show-events', type: 'bool' },
    { name: 'filename', short: 'f', type: 'strings' },
  ]);
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, [...flags.positionals, ...flags.rest]);
  const selector = flagString(flags, 'selector');
  const namespace = context.namespace;
  const outputs: string[] = [];
  let failed = false;
  for (const request of requests) {
    if (request.resource.kind !== 'Service' || request.resource.group !== '') {
      throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl describe ${qualifiedResource(request.resource)} is not available in this sandbox yet (services only)`);
    }
    const objects: KubeObject[] = [];
    if (request.names.length === 0) {
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + query });
      objects.push(...(list.items ?? []));
      if (objects.length === 0) {
        context.err(`No resources found in ${namespace} namespace.\n`);
        continue;
      }
    }
    for (const name of request.names) {
      const response = await context.client.raw({ path: resourcePath(request.resource, namespace, name) });
      if (response.status >= 300) {
        context.err(`${statusError(response).render()}\n`);
        failed = true;
        continue;
      }
      objects.push(JSON.parse(response.text) as KubeObject);
    }
    for (const object of objects) outputs.push(await describeService(context, object));
  }
  context.out(outputs.join('\n\n'));
  return failed ? 1 : 0;
}
