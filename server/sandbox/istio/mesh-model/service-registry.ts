// istiod's service registry: Kubernetes Services (and ServiceEntries) with their ports,
// protocols and workload instances. Instances are computed from the pods the Service selects
// (ready pods with an IP), the same set the EndpointSlice controller publishes, so the model
// does not depend on a controller having run.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { KINDS, metaOf, type MeshSnapshot } from './mesh-snapshot.ts';
import { portProtocol } from './port-protocol.ts';
import type { Protocol } from './proxy-config.ts';

export const CLUSTER_DOMAIN = 'cluster.local';

export interface ServicePort {
  name: string;
  port: number;
  /** Number, or a container port name resolved per pod. */
  targetPort: number | string;
  protocol: Protocol;
}

export interface WorkloadInstance {
  pod: JsonObject;
  podName: string;
  namespace: string;
  ip: string;
  /** Resolved pod port per service port number. */
  ports: ReadonlyMap<number, number>;
  labels: Readonly<Record<string, string>>;
  ready: boolean;
  hasSidecar: boolean;
  serviceAccount: string;
}

export interface MeshService {
  /** FQDN: `reviews.default.svc.cluster.local`, or a ServiceEntry host. */
  hostname: string;
  name: string;
  namespace: string;
  /** ClusterIP, or `` for headless / ServiceEntries without addresses. */
  address: string;
  ports: ServicePort[];
  /** Label selector; undefined for selectorless services. */
  selector?: Readonly<Record<string, string>>;
  instances: WorkloadInstance[];
  source: 'kubernetes' | 'ServiceEntry';
  /** ServiceEntry resolution (NONE, STATIC, DNS); Kubernetes services are EDS. */
  resolution?: string;
  location?: string;
  exportTo: string[];
}

export function serviceFqdn(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** `reviews` written in namespace `default` → `reviews.default.svc.cluster.local` (Istio's short-name rule). */
export function resolveShortName(host: string, namespace: string): string {
  if (host.includes('*') || host.includes('.')) {
    // `reviews.default` is NOT expanded by Istio: only bare names are.
    return host;
  }
  return serviceFqdn(host, namespace);
}

/** Istio host matching, with a leading `*` wildcard on either side. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  if (host.startsWith('*')) return pattern.endsWith(host.slice(1));
  return false;
}

export function podHasSidecar(pod: JsonObject): boolean {
  const spec = asObject(pod.spec);
  const containers = [...asArray(spec.containers), ...asArray(spec.initContainers)];
  return containers.some((c) => asObject(c).name === 'istio-proxy') && metaOf(pod).annotations['sidecar.istio.io/status'] !== undefined;
}

export function podIp(pod: JsonObject): string {
  return asString(asObject(pod.status).podIP) ?? '';
}

/** A pod counts as ready when its Ready condition is True (or, with no conditions, when Running). */
export function podReady(pod: JsonObject): boolean {
  const status = asObject(pod.status);
  if (asObject(pod.metadata).deletionTimestamp !== undefined) return false;
  const conditions = asArray(status.conditions).map(asObject);
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready !== undefined) return ready.status === 'True';
  return status.phase === 'Running';
}

function containerPortByName(pod: JsonObject, name: string): number | undefined {
  const spec = asObject(pod.spec);
  for (const container of [...asArray(spec.containers), ...asArray(spec.initContainers)]) {
    for (const port of asArray(asObject(container).ports)) {
      const p = asObject(port);
      if (p.name === name) return Number(p.containerPort);
    }
  }
  return undefined;
}

function exportToOf(object: JsonObject): string[] {
  const fromSpec = asArray(asObject(object.spec).exportTo).map(String);
  if (fromSpec.length > 0) return fromSpec;
  const annotation = metaOf(object).annotations['networking.istio.io/exportTo'];
  return annotation === undefined ? ['*'] : annotation.split(',').map((s) => s.trim());
}

/** Whether config exported with `exportTo` from `ownerNamespace` is visible in `namespace`. */
export function visibleIn(exportTo: readonly string[], ownerNamespace: string, namespace: string): boolean {
  if (exportTo.length === 0) return true;
  return exportTo.some((entry) => entry === '*' || entry === namespace || (entry === '.' && ownerNamespace === namespace));
}

function kubernetesService(service: JsonObject, pods: readonly JsonObject[]): MeshService {
  const meta = metaOf(service);
  const spec = asObject(service.spec);
  const ports: ServicePort[] = asArray(spec.ports).map((raw) => {
    const p = asObject(raw);
    const port = Number(p.port);
    const target = p.targetPort;
    const protocolInput: { name?: string; port: number; protocol?: string; appProtocol?: string } = { port };
    const name = asString(p.name);
    if (name !== undefined) protocolInput.name = name;
    const proto = asString(p.protocol);
    if (proto !== undefined) protocolInput.protocol = proto;
    const appProtocol = asString(p.appProtocol);
    if (appProtocol !== undefined) protocolInput.appProtocol = appProtocol;
    return {
      name: name ?? '',
      port,
      targetPort: typeof target === 'string' ? (/^\d+$/.test(target) ? Number(target) : target) : typeof target === 'number' ? target : port,
      protocol: portProtocol(protocolInput),
    };
  });
  const selectorObject = asObject(spec.selector);
  const selector = Object.keys(selectorObject).length === 0 ? undefined : Object.fromEntries(Object.entries(selectorObject).map(([k, v]) => [k, String(v)]));
  const instances: WorkloadInstance[] = [];
  if (selector !== undefined) {
    for (const pod of pods) {
      const podMeta = metaOf(pod);
      if (podMeta.namespace !== meta.namespace) continue;
      if (!labelSelectorMatches({ matchLabels: selector }, podMeta.labels)) continue;
      const ip = podIp(pod);
      if (ip === '') continue;
      const resolved = new Map<number, number>();
      for (const port of ports) {
        const target = typeof port.targetPort === 'number' ? port.targetPort : containerPortByName(pod, port.targetPort);
        if (target !== undefined) resolved.set(port.port, target);
      }
      instances.push({
        pod,
        podName: podMeta.name,
        namespace: podMeta.namespace,
        ip,
        ports: resolved,
        labels: podMeta.labels,
        ready: podReady(pod),
        hasSidecar: podHasSidecar(pod),
        serviceAccount: asString(asObject(pod.spec).serviceAccountName) ?? 'default',
      });
    }
  }
  const clusterIp = asString(spec.clusterIP) ?? '';
  const result: MeshService = {
    hostname: serviceFqdn(meta.name, meta.namespace),
    name: meta.name,
    namespace: meta.namespace,
    address: clusterIp === 'None' ? '' : clusterIp,
    ports,
    instances,
    source: 'kubernetes',
    exportTo: exportToOf(service),
  };
  if (selector !== undefined) result.selector = selector;
  return result;
}

function dnsInstance(host: string, namespace: string, ports: readonly ServicePort[]): WorkloadInstance {
  return { pod: {}, podName: '', namespace, ip: host, ports: new Map(ports.map((p) => [p.port, Number(p.targetPort)])), labels: {}, ready: true, hasSidecar: false, serviceAccount: '' };
}

function serviceEntryServices(entry: JsonObject, pods: readonly JsonObject[]): MeshService[] {
  const meta = metaOf(entry);
  const spec = asObject(entry.spec);
  const ports: ServicePort[] = asArray(spec.ports).map((raw) => {
    const p = asObject(raw);
    const port = Number(p.number);
    return { name: asString(p.name) ?? '', port, targetPort: Number(p.targetPort ?? port), protocol: portProtocol({ name: asString(p.protocol) ?? asString(p.name) ?? '', port }) };
  });
  const addresses = asArray(spec.addresses).map(String);
  const workloadSelector = asObject(asObject(spec.workloadSelector).labels);
  const instances: WorkloadInstance[] = [];
  if (Object.keys(workloadSelector).length > 0) {
    for (const pod of pods) {
      const podMeta = metaOf(pod);
      if (podMeta.namespace !== meta.namespace || !labelSelectorMatches({ matchLabels: workloadSelector }, podMeta.labels)) continue;
      const ip = podIp(pod);
      if (ip === '') continue;
      instances.push({ pod, podName: podMeta.name, namespace: podMeta.namespace, ip, ports: new Map(ports.map((p) => [p.port, Number(p.targetPort)])), labels: podMeta.labels, ready: podReady(pod), hasSidecar: podHasSidecar(pod), serviceAccount: asString(asObject(pod.spec).serviceAccountName) ?? 'default' });
    }
  }
  for (const raw of asArray(spec.endpoints)) {
    const e = asObject(raw);
    const portMap = asObject(e.ports);
    instances.push({
      pod: {},
      podName: '',
      namespace: meta.namespace,
      ip: asString(e.address) ?? '',
      ports: new Map(ports.map((p) => [p.port, Number(portMap[p.name] ?? p.targetPort)])),
      labels: Object.fromEntries(Object.entries(asObject(e.labels)).map(([k, v]) => [k, String(v)])),
      ready: true,
      hasSidecar: false,
      serviceAccount: asString(e.serviceAccount) ?? '',
    });
  }
  const resolution = asString(spec.resolution) ?? 'NONE';
  return asArray(spec.hosts).map((rawHost, index) => ({
    hostname: String(rawHost),
    name: meta.name,
    namespace: meta.namespace,
    address: addresses[index] ?? addresses[0] ?? '',
    ports,
    // resolution DNS without endpoints or a selector: Envoy's STRICT_DNS cluster has the host
    // name itself as its one endpoint and resolves it when it connects.
    instances: (resolution === 'DNS' || resolution === 'DNS_ROUND_ROBIN') && instances.length === 0 && Object.keys(workloadSelector).length === 0 && !String(rawHost).includes('*') ? [dnsInstance(String(rawHost), meta.namespace, ports)] : instances,
    source: 'ServiceEntry' as const,
    resolution,
    location: asString(spec.location) ?? 'MESH_EXTERNAL',
    exportTo: exportToOf(entry),
  }));
}

export interface ServiceRegistry {
  services: readonly MeshService[];
  byHostname(hostname: string): MeshService | undefined;
  /** Services whose selector matches a pod (its namespace only). */
  servicesForPod(pod: JsonObject): MeshService[];
}

export function buildServiceRegistry(snapshot: MeshSnapshot): ServiceRegistry {
  const pods = snapshot.list('Pod');
  const services: MeshService[] = [];
  for (const service of snapshot.list('Service')) {
    if (asObject(service.spec).type === 'ExternalName') continue;
    services.push(kubernetesService(service, pods));
  }
  for (const entry of snapshot.list(KINDS.serviceEntry)) services.push(...serviceEntryServices(entry, pods));
  services.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
  const index = new Map<string, MeshService>();
  // Kubernetes services win over ServiceEntries for the same host, as in istiod.
  for (const service of services) {
    const existing = index.get(service.hostname);
    if (existing === undefined || (existing.source === 'ServiceEntry' && service.source === 'kubernetes')) index.set(service.hostname, service);
  }
  return {
    services,
    byHostname: (hostname) => index.get(hostname),
    servicesForPod(pod) {
      const name = metaOf(pod).name;
      const namespace = metaOf(pod).namespace;
      return services.filter((s) => s.instances.some((i) => i.podName === name && i.namespace === namespace));
    },
  };
}
