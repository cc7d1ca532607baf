// The mesh graph from what the sandbox saw and what its cluster holds, shaped like Kiali's
// versioned-app graph: a client (a workload, a gateway, or a caller outside the mesh) →
// the service it called → the workload version that answered. Traffic figures cover the
// window only; the cluster objects add the nodes nobody has called yet, each workload's
// sidecar state, and the routing rules and policies that act on a service or workload.
import type { MeshBadge, MeshEdge, MeshEdgeHealth, MeshGraph, MeshNode, MeshPod } from "../../src/client/mesh-graph/mesh-graph-data.ts";
import type { WindowedEdge } from "./traffic-window.ts";

/** A Kubernetes object as the API returns it; only the fields the graph reads are typed. */
export interface MeshObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface BuildMeshGraphInput {
  /** Traffic in the window; undefined where the provider cannot observe traffic. */
  traffic: readonly WindowedEdge[] | undefined;
  windowMs: number;
  objects: readonly MeshObject[];
  nowMs: number;
}

// Namespaces whose workloads are the platform's, not the learner's (gateways still show).
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease", "istio-system", "local-path-storage"]);
const OUTSIDE = "client:outside";

export function buildMeshGraph(input: BuildMeshGraphInput): MeshGraph {
  const nodes = new Map<string, MeshNode>();
  const edges = new Map<string, EdgeAccumulator>();
  const objects = input.objects;
  const pods = objects.filter((o) => o.kind === "Pod");
  const services = objects.filter((o) => o.kind === "Service");
  const rootNamespace = "istio-system";
  // A proxy gets its configuration from a ready istiod of its revision; without one it runs on
  // what it last received.
  const istiodRevisions = new Set(pods.filter((p) => p.metadata.labels?.app === "istiod" && podSummary(p, new Set()).ready).map((p) => p.metadata.labels?.["istio.io/rev"] ?? "default"));

  // Workloads from pods, as the data plane names them.
  for (const pod of pods) {
    const labels = pod.metadata.labels ?? {};
    const namespace = pod.metadata.namespace ?? "default";
    const gateway = isGatewayPod(labels);
    if (SYSTEM_NAMESPACES.has(namespace) && !gateway) continue;
    if (labels["app.kubernetes.io/component"] === "workstation" || pod.metadata.name.startsWith("workstation")) continue;
    const node = workloadNode(nodes, namespace, workloadName(pod.metadata.name), labels["service.istio.io/canonical-revision"] ?? labels["app.kubernetes.io/version"] ?? labels.version, appOf(labels, pod.metadata.name), gateway);
    node.pods.push(podSummary(pod, istiodRevisions));
  }
  for (const node of nodes.values()) {
    node.sidecar = sidecarState(node.pods);
    const proxies = node.pods.filter((p) => p.proxy !== undefined);
    const connected = proxies.filter((p) => p.proxy === "connected").length;
    if (proxies.length > 0) node.proxies = connected === proxies.length ? "connected" : connected === 0 ? "disconnected" : "partial";
  }

  // Services with the workloads they select (the quiet edges traffic will light up).
  for (const service of services) {
    const namespace = service.metadata.namespace ?? "default";
    if (SYSTEM_NAMESPACES.has(namespace) || (namespace === "default" && service.metadata.name === "kubernetes")) continue;
    const host = `${service.metadata.name}.${namespace}.svc.cluster.local`;
    serviceNode(nodes, host);
    const selector = service.spec?.selector as Record<string, string> | undefined;
    if (selector === undefined || Object.keys(selector).length === 0) continue;
    const protocol = serviceProtocol(service);
    for (const pod of pods) {
      if ((pod.metadata.namespace ?? "default") !== namespace || !matches(selector, pod.metadata.labels)) continue;
      const target = `workload:${namespace}/${workloadName(pod.metadata.name)}`;
      if (nodes.has(target)) edgeBetween(edges, `service:${host}`, target, host, protocol);
    }
  }

  // Traffic.
  for (const windowed of input.traffic ?? []) {
    const stats = windowed.stats;
    const source = stats.sourceWorkload === "unknown" ? outsideNode(nodes) : workloadNode(nodes, stats.sourceNamespace, stats.sourceWorkload, stats.sourceVersion, undefined, false);
    const service = serviceNode(nodes, stats.destinationService);
    // Kiali keeps TCP traffic on edges of its own (connections and bytes, no response codes).
    const protocol = stats.protocol ?? "http";
    const hops = [edgeBetween(edges, source.id, service.id, stats.destinationService, protocol)];
    if (stats.destinationWorkload !== "unknown") {
      const target = workloadNode(nodes, stats.destinationNamespace, stats.destinationWorkload, stats.destinationVersion, undefined, false);
      hops.push(edgeBetween(edges, service.id, target.id, stats.destinationService, protocol));
    }
    for (const edge of hops) edge.add(windowed);
  }

  // Rules and policies.
  for (const object of objects) {
    for (const { nodeId, badge } of badgesOf(object, pods, rootNamespace)) nodes.get(nodeId)?.badges.push(badge);
  }

  const built = [...edges.values()].map((edge) => edge.finish(input.windowMs, nodes));
  return {
    at: input.nowMs,
    windowMs: input.windowMs,
    telemetry: input.traffic === undefined ? "unavailable" : "live",
    ...(input.traffic === undefined ? { note: "This cluster's traffic needs its telemetry (Prometheus); the graph shows what the Kubernetes API holds." } : {}),
    nodes: [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    edges: built.sort((a, b) => a.id.localeCompare(b.id)),
  };
}

function isGatewayPod(labels: Record<string, string>): boolean {
  return labels.istio === "ingressgateway" || labels.istio === "egressgateway" || labels["gateway.networking.k8s.io/gateway-name"] !== undefined;
}

/** The Deployment name for a Deployment's pod, as Istio's telemetry names the workload. */
function workloadName(pod: string): string {
  return /^(.*)-[a-z0-9]{6,10}-[a-z0-9]{3,5}$/.exec(pod)?.[1] ?? /^(.*)-\d+$/.exec(pod)?.[1] ?? pod;
}

function appOf(labels: Record<string, string>, pod: string): string {
  return labels["service.istio.io/canonical-name"] ?? labels["app.kubernetes.io/name"] ?? labels.app ?? workloadName(pod);
}

function workloadNode(nodes: Map<string, MeshNode>, namespace: string, workload: string, version: string | undefined, app: string | undefined, gateway: boolean): MeshNode {
  const id = `workload:${namespace}/${workload}`;
  let node = nodes.get(id);
  if (node === undefined) {
    const isGateway = gateway || (namespace === "istio-system" && workload.includes("gateway"));
    const shownVersion = version === undefined || version === "unknown" || version === "latest" ? undefined : version;
    const name = app ?? (shownVersion !== undefined && workload.endsWith(`-${shownVersion}`) ? workload.slice(0, -shownVersion.length - 1) : workload);
    node = {
      id,
      kind: isGateway ? "gateway" : "workload",
      label: isGateway ? workload : shownVersion === undefined ? name : `${name} ${shownVersion}`,
      namespace,
      app: name,
      ...(shownVersion === undefined ? {} : { version: shownVersion }),
      sidecar: "unknown",
      pods: [],
      badges: [],
    };
    nodes.set(id, node);
  }
  return node;
}

function serviceNode(nodes: Map<string, MeshNode>, host: string): MeshNode {
  const id = `service:${host}`;
  let node = nodes.get(id);
  if (node === undefined) {
    const [name = host, namespace] = host.split(".");
    const inCluster = host.endsWith(".svc.cluster.local");
    node = { id, kind: "service", label: inCluster ? name : host, ...(inCluster && namespace !== undefined ? { namespace } : {}), pods: [], badges: [] };
    nodes.set(id, node);
  }
  return node;
}

function outsideNode(nodes: Map<string, MeshNode>): MeshNode {
  let node = nodes.get(OUTSIDE);
  if (node === undefined) {
    node = { id: OUTSIDE, kind: "client", label: "outside the mesh", pods: [], badges: [] };
    nodes.set(OUTSIDE, node);
  }
  return node;
}

function podSummary(pod: MeshObject, istiodRevisions: ReadonlySet<string>): MeshPod {
  const containers = (pod.spec?.containers as { name?: string }[] | undefined) ?? [];
  const inits = (pod.spec?.initContainers as { name?: string; restartPolicy?: string }[] | undefined) ?? [];
  const conditions = (pod.status?.conditions as { type?: string; status?: string }[] | undefined) ?? [];
  // Istio 1.19+ may inject the proxy as a native sidecar (an init container that restarts).
  const sidecar = containers.some((c) => c.name === "istio-proxy") || inits.some((c) => c.name === "istio-proxy" && c.restartPolicy === "Always");
  const revision = pod.metadata.labels?.["istio.io/rev"] ?? pod.metadata.annotations?.["istio.io/rev"] ?? "default";
  return {
    name: pod.metadata.name,
    phase: typeof pod.status?.phase === "string" ? pod.status.phase : "Pending",
    sidecar,
    ready: conditions.some((c) => c.type === "Ready" && c.status === "True"),
    ...(sidecar ? { proxy: istiodRevisions.has(revision) ? ("connected" as const) : ("disconnected" as const) } : {}),
  };
}

function sidecarState(pods: readonly MeshPod[]): MeshNode["sidecar"] {
  if (pods.length === 0) return "unknown";
  const injected = pods.filter((p) => p.sidecar).length;
  return injected === pods.length ? "injected" : injected === 0 ? "none" : "partial";
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

interface EdgeAccumulator {
  add(windowed: WindowedEdge): void;
  finish(windowMs: number, nodes: Map<string, MeshNode>): MeshEdge;
}

// Istio's protocol selection for a Service port, reduced to what the graph needs: a port whose
// appProtocol or name (up to the first dash) says TCP or TLS is proxied as TCP; any other name,
// or none, is HTTP or sniffed (and HTTP traffic is then seen as HTTP).
const TCP_PROTOCOLS = new Set(["tcp", "tls", "https", "mongo", "mysql", "redis"]);

function portIsTcp(port: { name?: string; appProtocol?: string; protocol?: string }): boolean {
  if ((port.protocol ?? "TCP").toUpperCase() === "UDP") return false;
  const named = (port.appProtocol ?? port.name ?? "").toLowerCase();
  return TCP_PROTOCOLS.has(named.split("-")[0] ?? "");
}

/** The protocol of a Service's quiet edges: TCP when Istio takes every port of it for TCP. */
function serviceProtocol(service: MeshObject): "http" | "tcp" {
  const ports = (service.spec?.ports as { name?: string; appProtocol?: string; protocol?: string }[] | undefined) ?? [];
  return ports.length > 0 && ports.every(portIsTcp) ? "tcp" : "http";
}

/** Envoy's flags for a TCP connection that never reached an upstream. */
const FAILED_CONNECTION_FLAGS = new Set(["UF", "UH", "UO", "URX", "NR"]);

function edgeBetween(edges: Map<string, EdgeAccumulator>, source: string, target: string, service: string, protocol: "http" | "tcp"): EdgeAccumulator {
  // An HTTP edge keeps its historic id; a TCP edge between the same nodes is another edge.
  const id = protocol === "tcp" ? `${source}->${target}:tcp` : `${source}->${target}`;
  const existing = edges.get(id);
  if (existing !== undefined) return existing;
  let requests = 0;
  let connections = 0;
  let failedConnections = 0;
  let bytesReceived = 0;
  let bytesSent = 0;
  let errors = 0;
  let mutual = 0;
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  const flags = new Set<string>();
  const accumulator: EdgeAccumulator = {
    add(windowed) {
      const { stats } = windowed;
      if (protocol === "tcp") {
        if (windowed.connections === 0) return;
        connections += windowed.connections;
        bytesReceived += windowed.bytesReceived;
        bytesSent += windowed.bytesSent;
        if (stats.mtls) mutual += windowed.connections;
        if (FAILED_CONNECTION_FLAGS.has(stats.flags)) failedConnections += windowed.connections;
        if (stats.flags !== "-" && stats.flags !== "") flags.add(stats.flags);
        return;
      }
      if (windowed.requests === 0) return;
      requests += windowed.requests;
      if (isError(stats.responseCode)) errors += windowed.requests;
      if (stats.mtls) mutual += windowed.requests;
      latencies.push(...windowed.latenciesMs);
      codes[String(stats.responseCode)] = (codes[String(stats.responseCode)] ?? 0) + windowed.requests;
      if (stats.flags !== "-" && stats.flags !== "") flags.add(stats.flags);
    },
    finish(windowMs, nodes) {
      // Badges of the edge: the rules of the service it enters, the policies of the workload it reaches.
      const edgeBadges = (): MeshBadge[] => [...(nodes.get(target)?.badges ?? [])].filter((b) => (target.startsWith("service:") ? b.kind !== "mtls" : b.kind === "deny" || b.kind === "allow" || b.kind === "mtls"));
      if (protocol === "tcp") {
        // No response codes on a TCP edge: it is red only when its connections found no upstream.
        const seconds = windowMs / 1000;
        return {
          id,
          source,
          target,
          service,
          protocol,
          requests: 0,
          rate: 0,
          errorRate: 0,
          connections,
          connectionRate: round(connections / seconds, 3),
          bytesReceived,
          bytesSent,
          byteRate: round((bytesReceived + bytesSent) / seconds, 1),
          mtls: mtlsOf(mutual, connections),
          codes: {},
          flags: [...flags].sort(),
          health: healthOf(connections, failedConnections),
          badges: edgeBadges(),
        };
      }
      const errorRate = requests === 0 ? 0 : errors / requests;
      const sorted = [...latencies].sort((a, b) => a - b);
      const badges = edgeBadges();
      return {
        id,
        source,
        target,
        service,
        protocol,
        requests,
        rate: round(requests / (windowMs / 1000), 3),
        errorRate: round(errorRate, 3),
        ...(sorted.length === 0 ? {} : { p50Ms: round(percentile(sorted, 0.5), 1), p99Ms: round(percentile(sorted, 0.99), 1) }),
        mtls: mtlsOf(mutual, requests),
        codes,
        flags: [...flags].sort(),
        health: healthOf(requests, errors),
        badges,
      };
    },
  };
  edges.set(id, accumulator);
  return accumulator;
}

/** An edge with traffic is failing from one call (or connection) in ten that failed, degraded below that. */
function healthOf(total: number, failed: number): MeshEdgeHealth {
  if (total === 0) return "quiet";
  const share = failed / total;
  return share >= 0.1 ? "failing" : share > 0 ? "degraded" : "healthy";
}

/** Whether all, some or none of an edge's calls (or connections) were mutual TLS. */
function mtlsOf(mutual: number, total: number): MeshEdge["mtls"] {
  return total === 0 || mutual === 0 ? "none" : mutual === total ? "all" : "some";
}

function isError(code: number): boolean {
  return code === 0 || code >= 400;
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] ?? 0;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The services a rule's `hosts` name, as in-cluster hosts (short names resolve in the rule's namespace). */
function hostsOf(object: MeshObject, key: "hosts" | "host"): string[] {
  const namespace = object.metadata.namespace ?? "default";
  const raw = key === "hosts" ? ((object.spec?.hosts as string[] | undefined) ?? []) : typeof object.spec?.host === "string" ? [object.spec.host] : [];
  return raw.map((host) => (host.includes(".") ? (host.split(".").length === 2 ? `${host}.svc.cluster.local` : host) : `${host}.${namespace}.svc.cluster.local`));
}

interface PlacedBadge {
  nodeId: string;
  badge: MeshBadge;
}

function badgesOf(object: MeshObject, pods: readonly MeshObject[], rootNamespace: string): PlacedBadge[] {
  const ref = `${object.kind} ${object.metadata.name}.${object.metadata.namespace ?? "default"}`;
  const out: PlacedBadge[] = [];
  if (object.kind === "VirtualService") {
    const http = (object.spec?.http as Record<string, unknown>[] | undefined) ?? [];
    for (const host of hostsOf(object, "hosts")) {
      const nodeId = `service:${host}`;
      out.push({ nodeId, badge: { kind: "route", text: "VS", source: ref } });
      for (const route of http) {
        const destinations = (route.route as { destination?: { subset?: string; host?: string }; weight?: number }[] | undefined) ?? [];
        if (destinations.length > 0 && destinations.some((d) => d.destination?.subset !== undefined)) {
          const total = destinations.length === 1 ? 100 : undefined;
          const text = destinations.map((d) => `${d.destination?.subset ?? d.destination?.host ?? "?"} ${total ?? d.weight ?? 0}%`).join(" · ");
          out.push({ nodeId, badge: { kind: "weights", text, source: ref } });
        }
        const fault = route.fault as { delay?: { fixedDelay?: string }; abort?: { httpStatus?: number } } | undefined;
        if (fault?.delay !== undefined) out.push({ nodeId, badge: { kind: "fault", text: `delay ${fault.delay.fixedDelay ?? ""}`.trim(), source: ref } });
        if (fault?.abort !== undefined) out.push({ nodeId, badge: { kind: "fault", text: `abort ${fault.abort.httpStatus ?? ""}`.trim(), source: ref } });
        if (typeof route.timeout === "string") out.push({ nodeId, badge: { kind: "timeout", text: `timeout ${route.timeout}`, source: ref } });
        const retries = route.retries as { attempts?: number } | undefined;
        if (retries?.attempts !== undefined) out.push({ nodeId, badge: { kind: "retries", text: `retries ${retries.attempts}`, source: ref } });
      }
    }
  } else if (object.kind === "DestinationRule") {
    const subsets = ((object.spec?.subsets as { name?: string }[] | undefined) ?? []).map((s) => s.name ?? "?");
    for (const host of hostsOf(object, "host")) {
      out.push({ nodeId: `service:${host}`, badge: { kind: "subsets", text: subsets.length > 0 ? `subsets ${subsets.join(" ")}` : "DR", source: ref } });
    }
  } else if (object.kind === "AuthorizationPolicy" || object.kind === "PeerAuthentication") {
    for (const pod of selectedPods(object, pods, rootNamespace)) {
      const nodeId = `workload:${pod.metadata.namespace ?? "default"}/${workloadName(pod.metadata.name)}`;
      out.push({ nodeId, badge: policyBadge(object, ref) });
    }
  }
  // Dedupe badges a workload gets once per pod.
  const seen = new Set<string>();
  return out.filter((placed) => {
    const key = `${placed.nodeId}|${placed.badge.kind}|${placed.badge.text}|${placed.badge.source}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function policyBadge(object: MeshObject, ref: string): MeshBadge {
  if (object.kind === "PeerAuthentication") {
    const mode = (object.spec?.mtls as { mode?: string } | undefined)?.mode ?? "UNSET";
    return { kind: "mtls", text: mode, source: ref };
  }
  const action = typeof object.spec?.action === "string" ? object.spec.action : "ALLOW";
  const rules = object.spec?.rules as unknown[] | undefined;
  // An ALLOW policy without rules matches nothing: it denies every request (allow-nothing).
  if (action === "ALLOW" && (rules === undefined || rules.length === 0)) return { kind: "deny", text: "allow-nothing", source: ref };
  return action === "DENY" ? { kind: "deny", text: "DENY", source: ref } : { kind: "allow", text: action, source: ref };
}

/** Pods a workload-selecting policy applies to: its namespace (all of them from the root namespace), then its selector. */
function selectedPods(object: MeshObject, pods: readonly MeshObject[], rootNamespace: string): MeshObject[] {
  const namespace = object.metadata.namespace ?? "default";
  const selector = (object.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  return pods.filter((pod) => {
    const podNamespace = pod.metadata.namespace ?? "default";
    if (namespace !== rootNamespace && podNamespace !== namespace) return false;
    if (SYSTEM_NAMESPACES.has(podNamespace) && !isGatewayPod(pod.metadata.labels ?? {})) return false;
    return selector === undefined || matches(selector, pod.metadata.labels);
  });
}
