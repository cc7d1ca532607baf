// The mesh graph as the server sends it to the panel (GET /api/sessions/:id/mesh-graph and
// its event stream). Types only, so the server and the browser share one definition.

export type MeshNodeKind = "service" | "workload" | "gateway" | "client";

/** A routing rule or policy that acts on a node or edge, in words a learner recognises. */
export interface MeshBadge {
  kind: "route" | "weights" | "fault" | "timeout" | "retries" | "subsets" | "deny" | "allow" | "mtls";
  /** Short text drawn on the graph (`v1 100%`, `DENY`, `STRICT`). */
  text: string;
  /** The object it comes from (`VirtualService reviews.default`). */
  source: string;
}

export interface MeshPod {
  name: string;
  phase: string;
  /** Whether the pod has an istio-proxy container. */
  sidecar: boolean;
  ready: boolean;
  /**
   * Pods with a sidecar: whether a ready istiod of the proxy's revision is there to send it
   * configuration (`connected`), or none is (`disconnected`: the proxy keeps stale config).
   */
  proxy?: "connected" | "disconnected";
}

export interface MeshNode {
  id: string;
  kind: MeshNodeKind;
  /** What the graph prints (`reviews v2`, `productpage`, `outside the mesh`). */
  label: string;
  namespace?: string;
  /** Workloads: the canonical service they serve and their version. */
  app?: string;
  version?: string;
  /** Workloads and gateways: `injected` (every pod), `partial`, `none`, or `unknown` when no pod is known. */
  sidecar?: "injected" | "partial" | "none" | "unknown";
  /** Workloads with sidecars: whether their proxies have an istiod (`partial` when only some do). */
  proxies?: "connected" | "disconnected" | "partial";
  pods: MeshPod[];
  badges: MeshBadge[];
}

export type MeshEdgeHealth = "healthy" | "degraded" | "failing" | "quiet";

export interface MeshEdge {
  id: string;
  source: string;
  target: string;
  /** The destination service's host (`reviews.default.svc.cluster.local`). */
  service: string;
  /**
   * `http` for requests, `tcp` for connections through a TCP proxy (a Service port Istio takes
   * for TCP, such as one named `tcp`): Kiali's TCP edges, with connections and bytes instead of
   * requests, and no error rate or latency. Between the same two nodes there may be one of each.
   */
  protocol: "http" | "tcp";
  /** Requests seen in the window (0 on a TCP edge). */
  requests: number;
  /** Requests per second over the window (0 on a TCP edge). */
  rate: number;
  /** Requests answered with 4xx/5xx or not answered at all, over the window (0..1; 0 on a TCP edge). */
  errorRate: number;
  /** TCP edges: connections opened in the window. */
  connections?: number;
  /** TCP edges: connections per second over the window. */
  connectionRate?: number;
  /** TCP edges: bytes the clients sent in the window (Istio's `istio_tcp_received_bytes_total`). */
  bytesReceived?: number;
  /** TCP edges: bytes the servers answered in the window (Istio's `istio_tcp_sent_bytes_total`). */
  bytesSent?: number;
  /** TCP edges: bytes per second over the window, both directions. */
  byteRate?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** Share of the window's requests (TCP: connections) carried over mutual TLS: `all`, `some` or `none` (also when quiet). */
  mtls: "all" | "some" | "none";
  /** Response codes over the window (`0` = no response). */
  codes: Record<string, number>;
  /** Envoy response flags over the window other than `-` (`UF`, `NR`, `DI`, …; TCP: `UF`, `UH`). */
  flags: string[];
  health: MeshEdgeHealth;
  badges: MeshBadge[];
}

export interface MeshGraph {
  /** Server time the graph was computed at (ms since the epoch). */
  at: number;
  windowMs: number;
  /** `live` when the sandbox reports its traffic; otherwise only what the API shows. */
  telemetry: "live" | "unavailable";
  /** Why something is missing, for the panel to say. */
  note?: string;
  nodes: MeshNode[];
  edges: MeshEdge[];
}

/** One recent request with its hops, as GET /api/sessions/:id/mesh returns it. */
export interface MeshTraceHop {
  depth: number;
  kind: string;
  at: string;
  startMs: number;
  endMs?: number;
  status?: number;
  flags?: string;
  route?: string;
  routeSource?: string;
  cluster?: string;
  subset?: string;
  endpoint?: string;
  mtls?: boolean;
  fault?: string;
  attempts?: number;
  timedOut?: boolean;
  authorization?: string;
  note?: string;
}

export interface MeshRecentRequest {
  at: number;
  from: string;
  method: string;
  url: string;
  status?: number;
  error?: string;
  elapsedMs: number;
  trace: { hops: MeshTraceHop[] };
}
