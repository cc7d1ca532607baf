// The configuration istiod would push to one proxy, Envoy-shaped but simplified. The simulated
// data plane evaluates it hop by hop, and the istioctl renderers print it, so every field here
// is something one of them reads. Names follow Istio exactly (cluster `outbound|9080|v1|reviews
// .default.svc.cluster.local`, route configuration `9080` or `http.8080`, virtual host
// `reviews.default.svc.cluster.local:9080`) because learners see them in `istioctl pc`.

export type MtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

/** Where a proxy runs and who it is. */
export interface ProxyInfo {
  /** `<pod>.<namespace>`, the id istioctl prints. */
  id: string;
  podName: string;
  namespace: string;
  /** `sidecar` for injected pods, `router` for gateway deployments. */
  type: 'sidecar' | 'router';
  /** For routers: which kind of gateway deployment this is. */
  gatewayKind?: 'istio' | 'gateway-api';
  /** For Gateway API deployments: the Gateway's name. */
  gatewayName?: string;
  ip: string;
  labels: Readonly<Record<string, string>>;
  serviceAccount: string;
  /** `spiffe://cluster.local/ns/<ns>/sa/<sa>`. */
  identity: string;
  /** The proxy image tag, shown by `istioctl version` / `proxy-status`. */
  istioVersion: string;
  /** `istio.io/rev` the proxy was injected with. */
  revision: string;
}

/** A string matcher as Envoy evaluates it; `present` matches any value of a present header. */
export type StringMatch =
  | { kind: 'exact'; value: string }
  | { kind: 'prefix'; value: string }
  | { kind: 'regex'; value: string }
  | { kind: 'present' };

export interface HeaderMatch {
  /** Lower-case header (or query parameter) name. */
  name: string;
  match: StringMatch;
  /** True for `withoutHeaders`: the route matches when this one does not. */
  invert: boolean;
}

/**
 * How a request path is compared. `pathPrefix` is Gateway API's segment-aware PathPrefix
 * (`/static` matches `/static` and `/static/x`, not `/staticx`); `prefix` is a plain prefix.
 */
export type PathMatch = StringMatch | { kind: 'pathPrefix'; value: string };

/** One Envoy route match: every present condition must hold. */
export interface RouteMatch {
  path: PathMatch;
  ignoreCase: boolean;
  headers: HeaderMatch[];
  queryParams: HeaderMatch[];
  /** Compared against the `:method` pseudo-header. */
  method?: StringMatch;
  /** Compared against `:authority` (host header). */
  authority?: StringMatch;
}

export interface WeightedCluster {
  /** Cluster name; may be absent from the proxy's clusters (unknown host/subset → 503 NC). */
  cluster: string;
  /** Relative weight; weights of a route add up to 100 for VirtualServices. */
  weight: number;
  host: string;
  port: number;
  subset?: string;
  /** Per-destination header manipulation (VirtualService `route[].headers`). */
  headers?: HeaderOperations;
}

export interface HeaderMutation {
  set: Record<string, string>;
  add: Record<string, string>;
  remove: string[];
}

export interface HeaderOperations {
  request: HeaderMutation;
  response: HeaderMutation;
}

export interface FaultInjection {
  delay?: { fixedDelayMs: number; percentage: number };
  abort?: { httpStatus: number; percentage: number };
}

export interface RetryPolicy {
  /** Retries after the first try (Envoy `num_retries`). */
  attempts: number;
  perTryTimeoutMs?: number;
  /** Envoy retry_on conditions, e.g. `connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes`. */
  retryOn: string[];
  retriableStatusCodes: number[];
}

export interface Rewrite {
  uri?: string;
  /** Regex rewrite (`uriRegexRewrite`): replace `match` with `rewrite`. */
  uriRegex?: { match: string; rewrite: string };
  authority?: string;
  /** Gateway API ReplacePrefixMatch: the matched path prefix is replaced with this. */
  replacePrefix?: string;
  /** Gateway API ReplaceFullPath. */
  replaceFullPath?: string;
}

export interface Redirect {
  uri?: string;
  authority?: string;
  scheme?: string;
  port?: number;
  /** HTTP status of the redirect, 301 by default. */
  status: number;
  /** Gateway API ReplacePrefixMatch on redirects. */
  replacePrefix?: string;
}

export interface Mirror {
  cluster: string;
  host: string;
  port: number;
  subset?: string;
  percentage: number;
}

export type RouteAction =
  | {
      kind: 'route';
      clusters: WeightedCluster[];
      /** Request timeout; absent means no timeout (Istio's sidecar default). */
      timeoutMs?: number;
      retries: RetryPolicy;
      rewrite?: Rewrite;
      mirrors: Mirror[];
    }
  | { kind: 'redirect'; redirect: Redirect }
  | { kind: 'direct-response'; status: number; body: string };

/** The object a route came from, printed by `istioctl pc route` as `name.namespace`. */
export interface RouteSource {
  kind: 'VirtualService' | 'HTTPRoute' | 'default';
  name: string;
  namespace: string;
}

export interface Route {
  /** Envoy route name: the VirtualService rule name, or `default` for generated routes. */
  name: string;
  match: RouteMatch;
  action: RouteAction;
  fault?: FaultInjection;
  headers: HeaderOperations;
  source: RouteSource;
}

export interface VirtualHost {
  /** e.g. `reviews.default.svc.cluster.local:9080`, `httpbin.example.com:80`, `blackhole:80`. */
  name: string;
  /** Host header values that select this virtual host; `*` matches anything. */
  domains: string[];
  /** First match wins. */
  routes: Route[];
}

export interface RouteConfig {
  /** `9080` for a sidecar's outbound port, `http.8080` for a gateway listener. */
  name: string;
  virtualHosts: VirtualHost[];
}

export interface InboundPort {
  /** The pod port the request arrives on. */
  port: number;
  /** Service port name / protocol seen for it. */
  protocol: Protocol;
  /** `inbound|<port>||`. */
  cluster: string;
  /** Effective PeerAuthentication mode for this port. */
  mtls: EffectiveMtls;
}

export type ListenerDirection = 'outbound' | 'inbound' | 'gateway' | 'virtual';

export interface Listener {
  /** Envoy listener name, e.g. `0.0.0.0_9080`, `10.96.0.12_443`, `virtualOutbound`. */
  name: string;
  address: string;
  port: number;
  direction: ListenerDirection;
  protocol: Protocol;
  /** HTTP listeners: the route configuration name (RDS). */
  routeConfigName?: string;
  /** TCP listeners: the cluster all connections go to. */
  cluster?: string;
  /** Inbound listeners (sidecar 15006 chains, and gateways): mTLS and authorization per port. */
  inbound?: InboundPort[];
  /** Gateway listeners: TLS settings of the Gateway server (mode SIMPLE/MUTUAL/PASSTHROUGH/ISTIO_MUTUAL). */
  tls?: { mode: string; credentialName?: string };
  /** TLS filter chains of `0.0.0.0_<port>` for ServiceEntry hosts without addresses: the SNI names they match. */
  sniHosts?: string[];
}

export type Protocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'GRPC-WEB' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | 'MONGO' | 'REDIS' | 'MYSQL' | 'UNKNOWN';

export type ClusterTlsMode = 'ISTIO_MUTUAL' | 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'AUTO';

export interface TrafficPolicy {
  loadBalancer?: Record<string, unknown>;
  connectionPool?: Record<string, unknown>;
  outlierDetection?: Record<string, unknown>;
}

export interface Cluster {
  name: string;
  direction: 'outbound' | 'inbound' | 'none';
  /** Service FQDN, or `` for inbound and non-service clusters. */
  host: string;
  port: number;
  subset: string;
  type: 'EDS' | 'STATIC' | 'ORIGINAL_DST' | 'STRICT_DNS' | 'LOGICAL_DNS';
  /** `name.namespace` of the DestinationRule that shaped it. */
  destinationRule?: string;
  trafficPolicy: TrafficPolicy;
  /**
   * Client-side TLS. `AUTO` is auto mTLS: per endpoint, mTLS when the endpoint has a sidecar and
   * its PeerAuthentication is not DISABLE (see `Endpoint.autoMtls`).
   */
  tls: { mode: ClusterTlsMode; sni?: string };
  /** Service label selector plus subset labels, for explaining subset membership. */
  subsetLabels?: Readonly<Record<string, string>>;
}

export interface Endpoint {
  /** Pod IP (or static address). */
  address: string;
  port: number;
  podName?: string;
  namespace?: string;
  labels: Readonly<Record<string, string>>;
  healthy: boolean;
  /** The endpoint runs a sidecar (label `security.istio.io/tlsMode=istio`). */
  hasSidecar: boolean;
  /** With tls mode AUTO the client speaks mTLS to this endpoint. */
  autoMtls: boolean;
  /** SPIFFE identity of the workload behind it. */
  identity?: string;
}

export interface EndpointGroup {
  cluster: string;
  endpoints: Endpoint[];
}

export interface EffectiveMtls {
  mode: MtlsMode;
  /** `name.namespace` of the policies that decided it, most specific last. */
  policies: string[];
}

/** One AuthorizationPolicy as the proxy enforces it. */
export interface AuthorizationPolicyConfig {
  name: string;
  namespace: string;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** `undefined` = the policy had no `rules` field (matches nothing). */
  rules: AuthorizationRule[] | undefined;
  provider?: string;
}

export interface AuthorizationRule {
  from: Record<string, string[]>[];
  to: Record<string, string[]>[];
  when: { key: string; values: string[]; notValues: string[] }[];
}

export interface XdsVersions {
  CDS: string;
  LDS: string;
  RDS: string;
  EDS: string;
}

export interface ProxyConfig {
  proxy: ProxyInfo;
  listeners: Listener[];
  routes: RouteConfig[];
  clusters: Cluster[];
  endpoints: EndpointGroup[];
  /** Policies selecting this workload, in evaluation-relevant order. */
  authorization: AuthorizationPolicyConfig[];
  /** Workload-level mTLS mode (ports may override, see `InboundPort.mtls`). */
  mtls: EffectiveMtls;
  /** A stable hash per xDS type; equal inputs give equal versions. */
  versions: XdsVersions;
  /** Hash of everything above: changes exactly when this proxy's config changes. */
  version: string;
}
