// The cluster's network as a pod sees it: Services with their ClusterIPs, ports and load
// balancer addresses, pods with their IPs and container ports, and which pods back a Service
// port (ready or not). Built from the same plain snapshot of objects the mesh model takes, so
// the data plane never needs controllers to have published EndpointSlices.
import { asArray, asObject, asString, type JsonObject } from '../core/json-object.ts';

export const CLUSTER_DOMAIN = 'cluster.local';

export interface ContainerPort {
  name?: string;
  containerPort: number;
}

export interface NetworkContainer {
  name: string;
  image: string;
  ports: ContainerPort[];
  env: Record<string, string>;
}

export interface NetworkPod {
  name: string;
  namespace: string;
  ip: string;
  labels: Readonly<Record<string, string>>;
  /** Ready condition True: only ready pods receive Service traffic. */
  ready: boolean;
  containers: NetworkContainer[];
  /** An injected istio-proxy sidecar (the injector's status annotation plus the container). */
  hasSidecar: boolean;
  serviceAccount: string;
  uid: string;
  object: JsonObject;
}

export interface NetworkServicePort {
  name: string;
  port: number;
  /** A number, or a container port name resolved per pod. */
  targetPort: number | string;
  protocol: string;
  nodePort?: number;
}

export interface NetworkService {
  name: string;
  namespace: string;
  type: string;
  /** `` for headless Services. */
  clusterIP: string;
  /** `status.loadBalancer.ingress[].ip` and `spec.externalIPs`. */
  externalIPs: string[];
  ports: NetworkServicePort[];
  selector?: Readonly<Record<string, string>>;
  /** ExternalName Services: the CNAME target. */
  externalName?: string;
}

/** One pod port backing a Service port. */
export interface ServiceEndpoint {
  pod: NetworkPod;
  port: number;
  ready: boolean;
}

export interface ClusterNetwork {
  readonly services: readonly NetworkService[];
  readonly pods: readonly NetworkPod[];
  service(name: string, namespace: string): NetworkService | undefined;
  pod(name: string, namespace: string): NetworkPod | undefined;
  podByIp(ip: string): NetworkPod | undefined;
  serviceByClusterIp(ip: string): NetworkService | undefined;
  serviceByExternalIp(ip: string): NetworkService | undefined;
  /** Pods selected by the Service that expose the port's target (ready and not ready). */
  endpoints(service: NetworkService, port: NetworkServicePort): ServiceEndpoint[];
}

function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(asObject(value))) out[key] = String(v);
  return out;
}

function toPod(object: JsonObject): NetworkPod | undefined {
  const meta = asObject(object.metadata);
  const status = asObject(object.status);
  const ip = asString(status.podIP) ?? '';
  // A pod without an IP, or one already terminating, has no network presence.
  if (ip === '' || status.phase !== 'Running' || meta.deletionTimestamp !== undefined) return undefined;
  const spec = asObject(object.spec);
  const containers = asArray(spec.containers).map((raw): NetworkContainer => {
    const c = asObject(raw);
    const env: Record<string, string> = {};
    for (const e of asArray(c.env)) {
      const entry = asObject(e);
      const value = asString(entry.value);
      if (typeof entry.name === 'string' && value !== undefined) env[entry.name] = value;
    }
    return {
      name: asString(c.name) ?? '',
      image: asString(c.image) ?? '',
      ports: asArray(c.ports).map((p) => {
        const port = asObject(p);
        const out: ContainerPort = { containerPort: Number(port.containerPort) };
        const name = asString(port.name);
        if (name !== undefined) out.name = name;
        return out;
      }),
      env,
    };
  });
  const allContainers = [...asArray(spec.containers), ...asArray(spec.initContainers)].map(asObject);
  const annotations = strings(meta.annotations);
  const ready = asArray(status.conditions).some((c) => asObject(c).type === 'Ready' && asObject(c).status === 'True');
  return {
    name: asString(meta.name) ?? '',
    namespace: asString(meta.namespace) ?? 'default',
    ip,
    labels: strings(meta.labels),
    ready,
    containers,
    hasSidecar: allContainers.some((c) => c.name === 'istio-proxy') && annotations['sidecar.istio.io/status'] !== undefined,
    serviceAccount: asString(spec.serviceAccountName) ?? asString(spec.serviceAccount) ?? 'default',
    uid: asString(meta.uid) ?? `${asString(meta.namespace) ?? 'default'}/${asString(meta.name) ?? ''}`,
    object,
  };
}

function toService(object: JsonObject): NetworkService {
  const meta = asObject(object.metadata);
  const spec = asObject(object.spec);
  const clusterIP = asString(spec.clusterIP) ?? '';
  const ingress = asArray(asObject(asObject(object.status).loadBalancer).ingress).map((i) => asString(asObject(i).ip)).filter((ip): ip is string => ip !== undefined);
  const service: NetworkService = {
    name: asString(meta.name) ?? '',
    namespace: asString(meta.namespace) ?? 'default',
    type: asString(spec.type) ?? 'ClusterIP',
    clusterIP: clusterIP === 'None' ? '' : clusterIP,
    externalIPs: [...ingress, ...asArray(spec.externalIPs).map(String)],
    ports: asArray(spec.ports).map((raw) => {
      const p = asObject(raw);
      const port: NetworkServicePort = {
        name: asString(p.name) ?? '',
        port: Number(p.port),
        targetPort: typeof p.targetPort === 'string' && !/^\d+$/.test(p.targetPort) ? p.targetPort : Number(p.targetPort ?? p.port),
        protocol: asString(p.protocol) ?? 'TCP',
      };
      if (typeof p.nodePort === 'number') port.nodePort = p.nodePort;
      return port;
    }),
  };
  if (spec.selector !== undefined && Object.keys(asObject(spec.selector)).length > 0) service.selector = strings(spec.selector);
  const externalName = asString(spec.externalName);
  if (service.type === 'ExternalName' && externalName !== undefined) service.externalName = externalName;
  return service;
}

/** The pod port a Service port targets on one pod (named target ports are looked up per pod). */
export function resolveTargetPort(port: NetworkServicePort, pod: NetworkPod): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  for (const container of pod.containers) for (const p of container.ports) if (p.name === port.targetPort) return p.containerPort;
  return undefined;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

export function buildClusterNetwork(objects: readonly JsonObject[]): ClusterNetwork {
  const pods: NetworkPod[] = [];
  const services: NetworkService[] = [];
  for (const object of objects) {
    if (object.apiVersion !== 'v1') continue;
    if (object.kind === 'Pod') {
      const pod = toPod(object);
      if (pod !== undefined) pods.push(pod);
    } else if (object.kind === 'Service') services.push(toService(object));
  }
  const key = (name: string, namespace: string): string => `${namespace}/${name}`;
  const servicesByKey = new Map(services.map((s) => [key(s.name, s.namespace), s]));
  const podsByKey = new Map(pods.map((p) => [key(p.name, p.namespace), p]));
  const podsByIp = new Map(pods.map((p) => [p.ip, p]));
  const byClusterIp = new Map(services.filter((s) => s.clusterIP !== '').map((s) => [s.clusterIP, s]));
  const byExternalIp = new Map(services.flatMap((s) => s.externalIPs.map((ip) => [ip, s] as const)));
  return {
    services,
    pods,
    service: (name, namespace) => servicesByKey.get(key(name, namespace)),
    pod: (name, namespace) => podsByKey.get(key(name, namespace)),
    podByIp: (ip) => podsByIp.get(ip),
    serviceByClusterIp: (ip) => byClusterIp.get(ip),
    serviceByExternalIp: (ip) => byExternalIp.get(ip),
    endpoints(service, port) {
      const selector = service.selector;
      if (selector === undefined) return [];
      const out: ServiceEndpoint[] = [];
      for (const pod of pods) {
        if (pod.namespace !== service.namespace || !selects(selector, pod.labels)) continue;
        const target = resolveTargetPort(port, pod);
        if (target !== undefined) out.push({ pod, port: target, ready: pod.ready });
      }
      return out;
    },
  };
}
