// The simulated data plane: a request from a pod (or from the learner's workstation) travels
// as on a real mesh. DNS resolves the name from the client's namespace; a client with a sidecar
// hands the request to its Envoy (listener → virtual host → route → fault → weighted cluster →
// retries/timeouts → endpoint → mTLS), a client without one connects directly through
// kube-proxy; the destination pod's sidecar enforces PeerAuthentication and AuthorizationPolicy
// before the app (chosen by image) answers, and the app's own upstream calls leave through the
// same pod's sidecar. Gateways route by Host header on their listeners. Every proxy writes
// Envoy access logs (when the mesh config asks for them), every hop lands in the request's
// trace, and every request counts on a mesh-graph edge.
import type { AppAccessLogEntry, AppHandler } from '../../apps/app-handler.ts';
import { appClockFrom } from '../../apps/app-clock.ts';
import type { Clock } from '../../core/clock.ts';
import type { JsonObject } from '../../core/json-object.ts';
import type { Rng } from '../../core/rng.ts';
import { buildClusterNetwork, type NetworkPod } from '../../network/cluster-network.ts';
import { createEndpointPicker } from '../../network/endpoint-picker.ts';
import { NetworkError } from '../../network/network-error.ts';
import { buildMeshModel } from '../mesh-model/build-mesh-model.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { createAccessLogStore, type AccessLogEntry } from './access-log.ts';
import { callApp } from './app-call.ts';
import { createClusterCircuits } from './cluster-circuits.ts';
import { clientRequest, connectFrom } from './client-request.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { deliverToPod } from './deliver-to-pod.ts';
import { directConnect } from './direct-connect.ts';
import { createEdgeMetrics, type EdgeStats } from './edge-metrics.ts';
import type { Headers } from './envoy-headers.ts';
import type { HttpResponse, LocalReply } from './envoy-responses.ts';
import { clusterStatFamilies, envoyPrometheusPage } from './envoy-prometheus-page.ts';
import { createIstioRequestMetrics } from './istio-request-metrics.ts';
import { gatewayInbound } from './gateway-inbound.ts';
import { meshSettings } from './mesh-settings.ts';
import type { PlaneContext, Source, World } from './plane-context.ts';
import { createPodApps } from './pod-apps.ts';
import { proxyRoute, routerDeps } from './proxy-route.ts';
import { createTraceRecorder, type RequestTrace } from './request-trace.ts';
import { sidecarInbound } from './sidecar-inbound.ts';
import { sidecarOutbound } from './sidecar-outbound.ts';
import { workloadLabels } from './workload-labels.ts';

export type { HttpResponse } from './envoy-responses.ts';

export interface DataPlaneOptions {
  /** The current cluster objects (the mesh model's input); rebuilt when a new array is returned. */
  objects: () => readonly JsonObject[];
  clock: Clock;
  rng: Rng;
  /** Workload behaviour by image; `appForImage` by default. */
  apps?: (image: string) => AppHandler;
}

export interface DataPlaneRequest {
  /** A pod in the cluster sends the request (through its sidecar when it has one). */
  fromPod?: { name: string; namespace: string };
  /** The learner's workstation: outside the mesh, resolving names from `namespace` when given. */
  fromWorkstation?: { namespace?: string };
  method?: string;
  /** `http://host[:port]/path?query`; a missing scheme means http. */
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Whole-transfer limit (curl `--max-time`). */
  timeoutMs?: number;
  /** Connection-phase limit (curl `--connect-timeout`). */
  connectTimeoutMs?: number;
  /** Aborted when the caller stops waiting. */
  signal?: AbortSignal;
}

export interface DataPlaneResult {
  /** The HTTP answer, when one arrived. */
  response?: HttpResponse;
  /** Why no answer arrived (curl's exit code comes from `curlFailure(error)`). */
  error?: NetworkError;
  trace: RequestTrace;
  elapsedMs: number;
}

export interface DataPlane {
  send(request: DataPlaneRequest): Promise<DataPlaneResult>;
  /** Envoy access log lines of one pod's istio-proxy container. */
  proxyLogs(namespace: string, pod: string): string[];
  /** The circuit-breaker and outlier-detection stats of one pod's proxy, Envoy's `name: value` lines. */
  clusterStats(namespace: string, pod: string): string[];
  /**
   * Envoy's `stats/prometheus` page of one pod's proxy: its cluster stats and Istio's request
   * metrics in Prometheus text format. Optional so that stand-in planes in tests need not count.
   */
  prometheusStats?(namespace: string, pod: string): string;
  /** Requests the apps of one pod served, for the app container's own log. */
  appLogs(namespace: string, pod: string): readonly AppAccessLogEntry[];
  /** Mesh-graph edges seen so far. */
  edges(): EdgeStats[];
  /** The most recent requests sent into the plane, newest last, with their hop-by-hop traces. */
  recentRequests(): readonly RecentRequest[];
}

/** One request as the site shows it: where it came from, what it asked, what came back, how. */
export interface RecentRequest {
  at: number;
  from: string;
  method: string;
  url: string;
  status?: number;
  error?: string;
  elapsedMs: number;
  trace: RequestTrace;
}

const RECENT_REQUESTS = 100;

const WORKSTATION_IP = '10.244.255.254';

function lowerHeaders(headers: Readonly<Record<string, string>> | undefined): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const { clock, rng } = options;
  const appClock = appClockFrom(clock);
  const picker = createEndpointPicker(rng);
  const podApps = createPodApps(options.apps);
  const accessLogs = createAccessLogStore();
  const appLogs = new Map<string, AppAccessLogEntry[]>();
  const metrics = createEdgeMetrics();
  const requestMetrics = createIstioRequestMetrics();
  let world: World | undefined;
  const recent: RecentRequest[] = [];

  const current = (): World => {
    const objects = options.objects();
    if (world === undefined || world.objects !== objects) {
      world = { objects, model: buildMeshModel(objects), network: buildClusterNetwork(objects), settings: meshSettings(objects) };
    }
    return world;
  };

  const ephemeralPort = (): number => 32768 + rng.int(28232);
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => appClock.sleep(ms, signal);
  const circuits = createClusterCircuits((ms) => sleep(ms));

  const proxyOf = (w: World, pod: NetworkPod): ProxyConfig | undefined => w.model.proxy(`${pod.name}.${pod.namespace}`);

  const log = (w: World, pod: NetworkPod, entry: AccessLogEntry): void => {
    if (w.settings.accessLogFile !== undefined) accessLogs.append(pod.namespace, pod.name, entry);
  };

  // Header order as curl shows it: the router appends the upstream service time, then the
  // connection manager adds a date when there is none and sets `server` (a header that is
  // already there keeps its place).
  const withEnvoyServer = (response: HttpResponse, serviceTimeMs: number | undefined): HttpResponse => {
    const headers: Headers = { ...response.headers };
    if (serviceTimeMs !== undefined) headers['x-envoy-upstream-service-time'] = String(Math.round(serviceTimeMs));
    headers.date ??= new Date(clock.now()).toUTCString();
    headers.server = 'istio-envoy';
    return { ...response, headers };
  };

  const localReply = (reply: LocalReply): HttpResponse => {
    const response = withEnvoyServer(reply.response, undefined);
    // An empty local reply (404 NR) goes out over HTTP/1.1 with `content-length: 0`, which the
    // codec adds last, after date and server.
    if (response.body === '' && response.headers['content-length'] === undefined) response.headers['content-length'] = '0';
    return response;
  };

  // Istio's source_* and destination_* labels of an edge; 'unknown' where a side has no pod.
  const edgeEnds = (source: Source, destination: NetworkPod | undefined, service: string) => {
    const from = source.pod === undefined ? undefined : workloadLabels(source.pod);
    const to = destination === undefined ? undefined : workloadLabels(destination);
    return {
      sourceWorkload: from?.workload ?? 'unknown',
      sourceNamespace: from?.namespace ?? 'unknown',
      sourceVersion: from?.version ?? 'unknown',
      destinationService: service,
      destinationWorkload: to?.workload ?? 'unknown',
      destinationNamespace: to?.namespace ?? 'unknown',
      destinationVersion: to?.version ?? 'unknown',
    };
  };

  const recordEdge = (source: Source, destination: NetworkPod | undefined, service: string, status: number, mtls: boolean, flags: string, latencyMs: number): void => {
    metrics.record(
      {
        ...edgeEnds(source, destination, service),
        responseCode: status,
        mtls,
        flags,
      },
      latencyMs,
      clock.now(),
    );
  };

  const recordTcpEdge = (source: Source, destination: NetworkPod | undefined, service: string, mtls: boolean, flags: string, bytes: { received: number; sent: number }): void => {
    metrics.recordTcp(
      {
        ...edgeEnds(source, destination, service),
        mtls,
        flags,
      },
      bytes,
      clock.now(),
    );
  };

  const ctx: PlaneContext = {
    clock,
    appClock,
    rng,
    picker,
    podApps,
    appLogs,
    circuits,
    ephemeralPort,
    sleep,
    proxyOf,
    log,
    withEnvoyServer,
    localReply,
    recordEdge,
    recordTcpEdge,
    requestMetrics,
    callApp: (...args) => callApp(ctx, ...args),
    deliverToPod: (...args) => deliverToPod(ctx, ...args),
    sidecarInbound: (...args) => sidecarInbound(ctx, ...args),
    gatewayInbound: (...args) => gatewayInbound(ctx, ...args),
    routerDeps: (...args) => routerDeps(ctx, ...args),
    proxyRoute: (...args) => proxyRoute(ctx, ...args),
    sidecarOutbound: (...args) => sidecarOutbound(ctx, ...args),
    directConnect: (...args) => directConnect(ctx, ...args),
    clientRequest: (...args) => clientRequest(ctx, ...args),
    connectFrom: (...args) => connectFrom(ctx, ...args),
  };

  return {
    async send(request) {
      const w = current();
      const start = clock.now();
      const trace = createTraceRecorder(() => clock.now());
      let source: Source;
      if (request.fromPod !== undefined) {
        const pod = w.network.pod(request.fromPod.name, request.fromPod.namespace);
        if (pod === undefined) throw new DataPlaneError('POD_NOT_RUNNING', `pod ${request.fromPod.namespace}/${request.fromPod.name} is not running with an IP`);
        source = { pod, namespace: pod.namespace, ip: pod.ip };
      } else {
        const namespace = request.fromWorkstation?.namespace;
        source = namespace === undefined ? { ip: WORKSTATION_IP } : { namespace, ip: WORKSTATION_IP };
      }
      const controller = new AbortController();
      const progress = { connected: false };
      const relay = (): void => controller.abort();
      request.signal?.addEventListener('abort', relay, { once: true });
      const work = ctx.clientRequest(
        w,
        source,
        {
          method: request.method ?? 'GET',
          url: request.url,
          headers: lowerHeaders(request.headers),
          body: request.body ?? '',
          signal: controller.signal,
          progress,
          ...(request.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: request.connectTimeoutMs }),
        },
        trace,
        0,
      );
      let result: { response?: HttpResponse; error?: NetworkError };
      if (request.timeoutMs === undefined) result = await work;
      else {
        const timer = new AbortController();
        const expired = sleep(request.timeoutMs, timer.signal).then(
          () => 'timeout' as const,
          () => new Promise<never>(() => undefined),
        );
        const raced = await Promise.race([work, expired]);
        timer.abort();
        if (raced === 'timeout') {
          controller.abort();
          const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(request.url) ? request.url : `http://${request.url}`);
          result = { error: new NetworkError('ETIMEDOUT', { host: url.hostname, port: url.port === '' ? 80 : Number(url.port), phase: progress.connected ? 'transfer' : 'connect', elapsedMs: clock.now() - start, timeout: 'total' }) };
        } else result = raced;
      }
      request.signal?.removeEventListener('abort', relay);
      const elapsedMs = clock.now() - start;
      const entry: RecentRequest = {
        at: start,
        from: request.fromPod === undefined ? 'workstation' : `${request.fromPod.name}.${request.fromPod.namespace}`,
        method: request.method ?? 'GET',
        url: request.url,
        elapsedMs,
        trace: trace.trace,
      };
      if (result.response !== undefined) entry.status = result.response.status;
      if (result.error !== undefined) entry.error = result.error.code;
      recent.push(entry);
      if (recent.length > RECENT_REQUESTS) recent.shift();
      return { ...result, trace: trace.trace, elapsedMs };
    },
    recentRequests: () => recent,
    proxyLogs: (namespace, pod) => accessLogs.lines(namespace, pod),
    clusterStats: (namespace, pod) => circuits.stats(`${pod}.${namespace}`),
    prometheusStats: (namespace, pod) => envoyPrometheusPage([...clusterStatFamilies(circuits.stats(`${pod}.${namespace}`)), ...requestMetrics.families(`${pod}.${namespace}`)]),
    appLogs: (namespace, pod) => appLogs.get(`${namespace}/${pod}`) ?? [],
    edges: () => metrics.edges(),
  };
}
