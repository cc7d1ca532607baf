// The simulated data plane: a request from a pod (or from the learner's workstation) travels
// as on a real mesh. DNS resolves the name from the client's namespace; a client with a sidecar
// hands the request to its Envoy (listener → virtual host → route → fault → weighted cluster →
// retries/timeouts → endpoint → mTLS), a client without one connects directly through
// kube-proxy; the destination pod's sidecar enforces PeerAuthentication and AuthorizationPolicy
// before the app (chosen by image) answers, and the app's own upstream calls leave through the
// same pod's sidecar. Gateways route by Host header on their listeners. Every proxy writes
// Envoy access logs (when the mesh config asks for them), every hop lands in the request's
// trace, and every request counts on a mesh-graph edge.
import type { AppContext, AppHandler, AppRequest, AppResponse } from '../../apps/app-handler.ts';
import { appClockFrom } from '../../apps/app-clock.ts';
import type { AppAccessLogEntry } from '../../apps/app-handler.ts';
import { AppNetworkError } from '../../apps/app-network-error.ts';
import type { Clock } from '../../core/clock.ts';
import type { JsonObject } from '../../core/json-object.ts';
import type { Rng } from '../../core/rng.ts';
import { buildClusterNetwork, type ClusterNetwork, type NetworkPod } from '../../network/cluster-network.ts';
import { resolveHost } from '../../network/dns-resolver.ts';
import { createEndpointPicker } from '../../network/endpoint-picker.ts';
import { NetworkError } from '../../network/network-error.ts';
import { routeConnection } from '../../network/route-connection.ts';
import { buildMeshModel, type MeshModel } from '../mesh-model/build-mesh-model.ts';
import { clientUsesMtls } from '../mesh-model/build-clusters.ts';
import { isHttpProtocol } from '../mesh-model/port-protocol.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { DataPlaneError } from './data-plane-error.ts';
import { createAccessLogStore, type AccessLogEntry } from './access-log.ts';
import { createEdgeMetrics, type EdgeStats } from './edge-metrics.ts';
import { forwardedClientCert, withTraceHeaders, type Headers } from './envoy-headers.ts';
import { envoyResponses, type HttpResponse, type LocalReply } from './envoy-responses.ts';
import { checkInbound } from './inbound-policy.ts';
import { meshSettings, type MeshSettings } from './mesh-settings.ts';
import { selectRoute, type RouteSelection } from './outbound-route.ts';
import { createPodApps } from './pod-apps.ts';
import { createTraceRecorder, type RequestTrace, type TraceRecorder } from './request-trace.ts';
import { routeUpstream, UNREACHABLE_DELAY_MS, type RouterDeps, type RouterRequest, type TryOutcome } from './upstream-router.ts';
import { untilAborted } from './until-aborted.ts';
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
  /** Requests the apps of one pod served, for the app container's own log. */
  appLogs(namespace: string, pod: string): readonly AppAccessLogEntry[];
  /** Mesh-graph edges seen so far. */
  edges(): EdgeStats[];
}

interface World {
  objects: readonly JsonObject[];
  model: MeshModel;
  network: ClusterNetwork;
  settings: MeshSettings;
}

interface Source {
  pod?: NetworkPod;
  namespace?: string;
  ip: string;
}

interface Connection {
  mtls: boolean;
  clientIdentity?: string;
  sourceIp: string;
  sourcePort: number;
  /** The address the client dialled (for access logs' downstream local address). */
  dialled: string;
  /** SNI the client proxy sent on mTLS connections. */
  sni?: string;
  /** The client itself speaks TLS (an `https://` URL), as toward a gateway's HTTPS server. */
  clientTls?: boolean;
}

/** Loopback address the sidecar uses toward the app (Istio's inbound passthrough source). */
const INBOUND_PASSTHROUGH_IP = '127.0.0.6';
/** Linux gives up on an unanswered SYN after about 130 s (tcp_syn_retries = 6). */
const KERNEL_CONNECT_TIMEOUT_MS = 130_000;
const WORKSTATION_IP = '10.244.255.254';

function toHeaders(headers: AppResponse['headers']): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  return out;
}

function lowerHeaders(headers: Readonly<Record<string, string>> | undefined): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const { clock, rng } = options;
  const appClock = appClockFrom(clock);
  const picker = createEndpointPicker(rng);
  const podApps = createPodApps(options.apps);
  const accessLogs = createAccessLogStore();
  const appLogs = new Map<string, AppAccessLogEntry[]>();
  const metrics = createEdgeMetrics();
  let world: World | undefined;

  const current = (): World => {
    const objects = options.objects();
    if (world === undefined || world.objects !== objects) {
      world = { objects, model: buildMeshModel(objects), network: buildClusterNetwork(objects), settings: meshSettings(objects) };
    }
    return world;
  };

  const ephemeralPort = (): number => 32768 + rng.int(28232);
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => appClock.sleep(ms, signal);

  const proxyOf = (w: World, pod: NetworkPod): ProxyConfig | undefined => w.model.proxy(`${pod.name}.${pod.namespace}`);

  const log = (w: World, pod: NetworkPod, entry: AccessLogEntry): void => {
    if (w.settings.accessLogFile !== undefined) accessLogs.append(pod.namespace, pod.name, entry);
  };

  const withEnvoyServer = (response: HttpResponse, serviceTimeMs: number | undefined): HttpResponse => {
    const headers: Headers = { ...response.headers, server: 'istio-envoy' };
    if (serviceTimeMs !== undefined) headers['x-envoy-upstream-service-time'] = String(Math.round(serviceTimeMs));
    headers.date ??= new Date(clock.now()).toUTCString();
    return { ...response, headers };
  };

  const localReply = (reply: LocalReply): HttpResponse => withEnvoyServer(reply.response, undefined);

  const recordEdge = (source: Source, destination: NetworkPod | undefined, service: string, status: number, mtls: boolean, flags: string, latencyMs: number): void => {
    const from = source.pod === undefined ? undefined : workloadLabels(source.pod);
    const to = destination === undefined ? undefined : workloadLabels(destination);
    metrics.record(
      {
        sourceWorkload: from?.workload ?? 'unknown',
        sourceNamespace: from?.namespace ?? 'unknown',
        sourceVersion: from?.version ?? 'unknown',
        destinationService: service,
        destinationWorkload: to?.workload ?? 'unknown',
        destinationNamespace: to?.namespace ?? 'unknown',
        destinationVersion: to?.version ?? 'unknown',
        responseCode: status,
        mtls,
        flags,
      },
      latencyMs,
      clock.now(),
    );
  };

  // --- the app container -------------------------------------------------------------------

  async function callApp(w: World, pod: NetworkPod, port: number, request: RouterRequest, remoteAddress: string, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
    const listener = podApps.listener(pod, port);
    const hop = trace.begin({ depth, kind: 'app', at: `${pod.name}.${pod.namespace}` });
    if (listener === undefined) {
      hop.endMs = clock.now();
      hop.note = `nothing listens on port ${port}`;
      return { kind: 'failure', failure: 'refused' };
    }
    const appPod = {
      name: pod.name,
      namespace: pod.namespace,
      labels: pod.labels,
      image: listener.container.image,
      serviceAccount: pod.serviceAccount,
      ip: pod.ip,
      env: listener.container.env,
    };
    const context: AppContext = {
      pod: appPod,
      clock: appClock,
      remoteAddress,
      signal,
      upstream: async (upstream) => {
        const result = await clientRequest(w, { pod, namespace: pod.namespace, ip: pod.ip }, {
          method: upstream.method,
          url: `http://${upstream.host}:${upstream.port}${upstream.path}`,
          headers: toHeaders(upstream.headers),
          body: upstream.body,
          // Only the app ends its own calls: a caller going away does not stop work the app began
          // (reviews still finishes its ratings call after productpage gave up on reviews).
          ...(upstream.signal === undefined ? {} : { signal: upstream.signal }),
        }, trace, depth + 1);
        if (result.response !== undefined) return result.response;
        const error = result.error;
        const code = error?.code === 'ENOTFOUND' ? 'ENOTFOUND' : error?.code === 'ECONNREFUSED' ? 'ECONNREFUSED' : error?.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ECONNRESET';
        throw new AppNetworkError(code, error?.message ?? 'connection failed');
      },
      accessLog: (entry) => {
        const key = `${pod.namespace}/${pod.name}`;
        const list = appLogs.get(key) ?? [];
        list.push(entry);
        if (list.length > 1000) list.shift();
        appLogs.set(key, list);
      },
    };
    const appRequest: AppRequest = { method: request.method, path: request.path, headers: { ...request.headers, host: request.host }, body: request.body };
    try {
      const response = await listener.handler(appRequest, context);
      hop.endMs = clock.now();
      hop.status = response.status;
      return { kind: 'response', response: { status: response.status, headers: toHeaders(response.headers), body: response.body } };
    } catch (error) {
      hop.endMs = clock.now();
      if (error instanceof AppNetworkError && error.code === 'ECONNREFUSED') {
        hop.note = `connection refused by ${listener.container.name}`;
        return { kind: 'failure', failure: 'refused' };
      }
      hop.note = isAbort(error) ? 'the caller went away' : `the app failed: ${error instanceof Error ? error.message : String(error)}`;
      return { kind: 'failure', failure: 'reset' };
    }
  }

  // --- a pod receiving a connection --------------------------------------------------------

  async function deliverToPod(w: World, pod: NetworkPod, port: number, request: RouterRequest, connection: Connection, source: Source, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
    const proxy = proxyOf(w, pod);
    try {
      if (proxy?.proxy.type === 'router') return await gatewayInbound(w, pod, proxy, port, request, connection, source, signal, trace, depth);
      if (proxy !== undefined) return await sidecarInbound(w, pod, proxy, port, request, connection, signal, trace, depth);
      // No sidecar: the connection reaches the app as it is (TLS bytes would be garbage to it).
      if (connection.mtls) return { kind: 'failure', failure: 'reset' };
      return await callApp(w, pod, port, request, connection.sourceIp, signal, trace, depth);
    } catch (error) {
      if (isAbort(error)) return { kind: 'failure', failure: 'reset' };
      throw error;
    }
  }

  async function sidecarInbound(w: World, pod: NetworkPod, config: ProxyConfig, port: number, request: RouterRequest, connection: Connection, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
    const start = clock.now();
    const hop = trace.begin({ depth, kind: 'sidecar-inbound', at: config.proxy.id, mtls: connection.mtls, listener: 'virtualInbound', cluster: `inbound|${port}||` });
    const verdict = checkInbound(config, connection, { method: request.method, path: request.path, host: request.host, port, headers: request.headers }, { enforceMtls: true });
    const inboundPort = config.listeners.flatMap((l) => l.inbound ?? []).find((p) => p.port === port);
    if (inboundPort !== undefined && !isHttpProtocol(inboundPort.protocol)) {
      // A TCP port: bytes pass through untouched; a denied connection is simply closed.
      if (verdict.kind === 'reset') {
        hop.endMs = clock.now();
        hop.note = `PeerAuthentication ${verdict.mode} rejects the plaintext connection: reset`;
        return { kind: 'failure', failure: 'reset' };
      }
      if (verdict.kind === 'denied') {
        hop.endMs = clock.now();
        hop.authorization = `denied (${verdict.decision.reason}${verdict.decision.policy === undefined ? '' : `: ${verdict.decision.policy}`})`;
        return { kind: 'failure', failure: 'closed' };
      }
      const outcome = await callApp(w, pod, port, request, INBOUND_PASSTHROUGH_IP, signal, trace, depth);
      hop.endMs = clock.now();
      hop.note = `TCP port ${port} (${inboundPort.protocol})`;
      if (outcome.kind === 'response') hop.status = outcome.response.status;
      return outcome.kind === 'failure' ? { kind: 'failure', failure: 'closed' } : outcome;
    }
    const baseEntry = {
      startMs: start,
      method: request.method,
      path: request.headers['x-envoy-original-path'] ?? request.path,
      protocol: 'HTTP/1.1',
      bytesReceived: Buffer.byteLength(request.body),
      downstreamLocalAddress: `${pod.ip}:${port}`,
      downstreamRemoteAddress: `${connection.sourceIp}:${connection.sourcePort}`,
      ...(request.headers['user-agent'] === undefined ? {} : { userAgent: request.headers['user-agent'] }),
      ...(request.headers['x-request-id'] === undefined ? {} : { requestId: request.headers['x-request-id'] }),
      ...(request.headers['x-forwarded-for'] === undefined ? {} : { forwardedFor: request.headers['x-forwarded-for'] }),
      authority: request.host,
      ...(connection.sni === undefined ? {} : { requestedServerName: connection.sni }),
    };
    if (verdict.kind === 'reset') {
      hop.endMs = clock.now();
      hop.note = `PeerAuthentication ${verdict.mode} rejects the plaintext connection: reset`;
      // No filter chain accepts plaintext: Envoy logs the connection, not a request.
      log(w, pod, { startMs: start, method: '-', path: '-', protocol: '-', status: 0, flags: 'NR', details: 'filter_chain_not_found', bytesReceived: 0, bytesSent: 0, durationMs: 0, downstreamLocalAddress: `${pod.ip}:${port}`, downstreamRemoteAddress: `${connection.sourceIp}:${connection.sourcePort}` });
      return { kind: 'failure', failure: 'reset' };
    }
    if (verdict.kind === 'denied') {
      const reply = envoyResponses.rbacDenied(verdict.decision.policy === undefined ? undefined : `ns[${verdict.decision.policy.split('.').slice(1).join('.')}]-policy[${verdict.decision.policy.split('.')[0] ?? ''}]-rule[0]`);
      const response = localReply(reply);
      hop.endMs = clock.now();
      hop.status = 403;
      hop.authorization = `denied (${verdict.decision.reason}${verdict.decision.policy === undefined ? '' : `: ${verdict.decision.policy}`})`;
      log(w, pod, { ...baseEntry, status: 403, flags: '-', details: reply.details, bytesSent: Buffer.byteLength(response.body), durationMs: clock.now() - start, routeName: '-' });
      return { kind: 'response', response };
    }
    hop.authorization = `allowed (${verdict.decision.reason}${verdict.decision.policy === undefined ? '' : `: ${verdict.decision.policy}`})`;
    const headers: Headers = withTraceHeaders(request.headers, rng);
    if (depth === 0) trace.trace.requestId ??= headers['x-request-id'];
    if (connection.mtls && connection.clientIdentity !== undefined) headers['x-forwarded-client-cert'] = forwardedClientCert(config.proxy.identity, connection.clientIdentity);
    else delete headers['x-forwarded-client-cert'];
    const upstreamStart = clock.now();
    const localPort = ephemeralPort();
    let outcome: TryOutcome;
    try {
      outcome = await untilAborted(callApp(w, pod, port, { ...request, headers }, INBOUND_PASSTHROUGH_IP, signal, trace, depth), signal);
    } catch (error) {
      if (isAbort(error)) {
        hop.endMs = clock.now();
        hop.flags = 'DC';
        hop.note = 'the downstream disconnected before the app answered';
        log(w, pod, { ...baseEntry, requestId: headers['x-request-id'] ?? '-', status: 0, flags: 'DC', details: 'downstream_remote_disconnect', bytesSent: 0, durationMs: clock.now() - start, upstreamHost: `${pod.ip}:${port}`, upstreamCluster: `inbound|${port}||`, upstreamLocalAddress: `${INBOUND_PASSTHROUGH_IP}:${localPort}`, routeName: 'default' });
      }
      throw error;
    }
    const serviceTime = clock.now() - upstreamStart;
    let response: HttpResponse;
    let flags = '-';
    let details = 'via_upstream';
    if (outcome.kind === 'failure') {
      const reply = envoyResponses.upstreamFailure(outcome.failure === 'refused' ? 'connect-failure' : 'connection-termination', false);
      response = localReply(reply);
      flags = reply.flags;
      details = reply.details;
    } else {
      response = withEnvoyServer(outcome.response, serviceTime);
    }
    hop.endMs = clock.now();
    hop.status = response.status;
    hop.flags = flags;
    log(w, pod, {
      ...baseEntry,
      requestId: headers['x-request-id'] ?? '-',
      status: response.status,
      flags,
      details,
      bytesSent: Buffer.byteLength(response.body),
      durationMs: clock.now() - start,
      ...(outcome.kind === 'response' ? { upstreamServiceTimeMs: serviceTime } : {}),
      upstreamHost: `${pod.ip}:${port}`,
      upstreamCluster: `inbound|${port}||`,
      upstreamLocalAddress: `${INBOUND_PASSTHROUGH_IP}:${localPort}`,
      routeName: 'default',
    });
    return { kind: 'response', response };
  }

  function routerDeps(w: World, from: NetworkPod, config: ProxyConfig, source: Source, trace: TraceRecorder, depth: number): RouterDeps {
    return {
      rng,
      picker,
      sleep,
      now: () => clock.now(),
      connect: async (target, request, signal) => {
        const pod = target.endpoint.podName === undefined ? w.network.podByIp(target.endpoint.address) : w.network.pod(target.endpoint.podName, target.endpoint.namespace ?? '');
        if (pod === undefined) {
          await sleep(UNREACHABLE_DELAY_MS, signal).catch(() => undefined);
          return { kind: 'failure', failure: 'unreachable' };
        }
        const connection: Connection = {
          mtls: target.mtls,
          clientIdentity: config.proxy.identity,
          sourceIp: from.ip,
          sourcePort: ephemeralPort(),
          dialled: `${target.endpoint.address}:${target.endpoint.port}`,
          ...(target.mtls ? { sni: `outbound_.${target.cluster.port}_.${target.cluster.subset}_.${target.cluster.host}` } : {}),
        };
        return deliverToPod(w, pod, target.endpoint.port, request, connection, { ...source, pod: from, ip: from.ip }, signal, trace, depth);
      },
    };
  }

  /** The route stage shared by sidecar outbound and gateway listeners. */
  async function proxyRoute(
    w: World,
    self: NetworkPod,
    config: ProxyConfig,
    routeConfigName: string,
    request: RouterRequest,
    source: Source,
    original: { ip: string; port: number },
    signal: AbortSignal,
    trace: TraceRecorder,
    depth: number,
    kind: 'sidecar-outbound' | 'gateway',
    downstream: { ip: string; port: number },
  ): Promise<TryOutcome> {
    const start = clock.now();
    const hop = trace.begin({ depth, kind, at: config.proxy.id, listener: `0.0.0.0_${original.port}` });
    const headers = withTraceHeaders(request.headers, rng);
    if (kind === 'gateway') {
      headers['x-forwarded-for'] = headers['x-forwarded-for'] === undefined ? downstream.ip : `${headers['x-forwarded-for']}, ${downstream.ip}`;
      // Gateways use the remote address: a client on a private network is internal to Envoy.
      if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.)/.test(downstream.ip)) headers['x-envoy-internal'] = 'true';
      else {
        delete headers['x-envoy-internal'];
        headers['x-envoy-external-address'] = downstream.ip;
      }
    }
    if (depth === 0) trace.trace.requestId ??= headers['x-request-id'];
    const routed: RouterRequest = { ...request, headers };
    const routeConfig = config.routes.find((r) => r.name === routeConfigName);
    const selection: RouteSelection = routeConfig === undefined ? { kind: 'no-route' } : selectRoute(routeConfig, { method: request.method, path: request.path, host: request.host, headers });
    const entryBase = {
      startMs: start,
      method: request.method,
      path: request.path,
      protocol: 'HTTP/1.1',
      bytesReceived: Buffer.byteLength(request.body),
      ...(headers['user-agent'] === undefined ? {} : { userAgent: headers['user-agent'] }),
      requestId: headers['x-request-id'] ?? '-',
      ...(kind === 'gateway' && headers['x-forwarded-for'] !== undefined ? { forwardedFor: headers['x-forwarded-for'] } : {}),
      authority: request.host,
      downstreamLocalAddress: `${original.ip}:${original.port}`,
      downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
    };
    if (selection.kind === 'no-route') {
      const reply = envoyResponses.noRoute();
      const response = localReply(reply);
      hop.endMs = clock.now();
      hop.status = 404;
      hop.flags = 'NR';
      if (selection.virtualHost !== undefined) hop.virtualHost = selection.virtualHost.name;
      hop.note = selection.virtualHost === undefined ? `no virtual host for Host ${request.host}` : `no route of ${selection.virtualHost.name} matches ${request.method} ${request.path}`;
      log(w, self, { ...entryBase, status: 404, flags: 'NR', details: reply.details, bytesSent: 0, durationMs: 0 });
      recordEdge(source, undefined, 'unknown', 404, false, 'NR', 0);
      return { kind: 'response', response };
    }
    const { route, virtualHost } = selection;
    hop.virtualHost = virtualHost.name;
    hop.route = route.name;
    hop.routeSource = route.source.kind === 'default' ? 'default' : `${route.source.kind} ${route.source.name}.${route.source.namespace}`;
    const action = route.action;
    if (action.kind === 'route' && action.clusters.length === 1 && action.clusters[0]?.cluster === 'PassthroughCluster') {
      // allow_any: the request leaves for the address the app dialled, unrouted and in plaintext.
      hop.cluster = 'PassthroughCluster';
      const outcome = await directConnect(w, { ...source, ip: self.ip }, original.ip, original.port, routed, signal, trace, depth, UNREACHABLE_DELAY_MS);
      hop.endMs = clock.now();
      if (outcome.kind === 'failure') {
        const reply = envoyResponses.upstreamFailure(outcome.failure === 'reset' || outcome.failure === 'closed' ? 'connection-termination' : 'connect-failure', false);
        hop.status = 503;
        hop.flags = reply.flags;
        log(w, self, { ...entryBase, status: 503, flags: reply.flags, details: reply.details, bytesSent: Buffer.byteLength(reply.response.body), durationMs: clock.now() - start, upstreamCluster: 'PassthroughCluster', upstreamHost: `${original.ip}:${original.port}`, routeName: 'allow_any' });
        return { kind: 'response', response: localReply(reply) };
      }
      hop.status = outcome.response.status;
      log(w, self, { ...entryBase, status: outcome.response.status, flags: '-', details: 'via_upstream', bytesSent: Buffer.byteLength(outcome.response.body), durationMs: clock.now() - start, upstreamCluster: 'PassthroughCluster', upstreamHost: `${original.ip}:${original.port}`, routeName: 'allow_any' });
      return { kind: 'response', response: withEnvoyServer(outcome.response, clock.now() - start) };
    }
    if (action.kind === 'route') {
      if (action.timeoutMs !== undefined) hop.note = `route timeout ${action.timeoutMs} ms`;
    }
    const deps: RouterDeps = {
      ...routerDeps(w, self, config, source, trace, depth),
      onFault: (fault) => {
        hop.fault = fault;
      },
      onTry: (target, outcome) => {
        (hop.tries ??= []).push(`${target.endpoint.address}:${target.endpoint.port}${target.mtls ? ' mTLS' : ''} → ${outcome}`);
      },
    };
    let result: Awaited<ReturnType<typeof routeUpstream>>;
    try {
      result = await routeUpstream(config, route, routed, deps, signal);
    } catch (error) {
      if (isAbort(error)) {
        // The downstream went away first (its own timeout): Envoy logs 0 DC.
        hop.endMs = clock.now();
        hop.flags = 'DC';
        hop.note = 'the downstream disconnected before the response';
        log(w, self, { ...entryBase, status: 0, flags: 'DC', details: 'downstream_remote_disconnect', bytesSent: 0, durationMs: clock.now() - start, routeName: route.name });
      }
      throw error;
    }
    hop.endMs = clock.now();
    hop.status = result.response.status;
    hop.flags = result.flags;
    hop.attempts = result.attempts;
    if (result.cluster !== undefined) hop.cluster = result.cluster;
    if (result.subset !== undefined) hop.subset = result.subset;
    if (result.endpoint !== undefined) hop.endpoint = `${result.endpoint.address}:${result.endpoint.port}`;
    if (result.mtls !== undefined) hop.mtls = result.mtls;
    if (result.timedOut === true) hop.timedOut = true;
    const response = result.details === 'via_upstream' || result.details === 'upstream_per_try_timeout' ? withEnvoyServer(result.response, result.upstreamServiceTimeMs) : localReply({ response: result.response, flags: result.flags, details: result.details });
    log(w, self, {
      ...entryBase,
      status: response.status,
      flags: result.flags,
      details: result.details,
      bytesSent: Buffer.byteLength(response.body),
      durationMs: clock.now() - start,
      ...(result.upstreamServiceTimeMs === undefined ? {} : { upstreamServiceTimeMs: result.upstreamServiceTimeMs }),
      ...(result.endpoint === undefined ? {} : { upstreamHost: `${result.endpoint.address}:${result.endpoint.port}`, upstreamLocalAddress: `${self.ip}:${ephemeralPort()}` }),
      ...(result.cluster === undefined ? {} : { upstreamCluster: result.cluster }),
      ...(result.sent !== undefined && result.sent.host !== request.host ? { authority: result.sent.host } : {}),
      routeName: route.name,
    });
    const destinationPod = result.endpoint?.podName === undefined ? undefined : w.network.pod(result.endpoint.podName, result.endpoint.namespace ?? '');
    const service = result.cluster?.split('|')[3] ?? 'unknown';
    recordEdge(source.pod === undefined && kind === 'gateway' ? { pod: self, ip: self.ip } : source, destinationPod, service, response.status, result.mtls ?? false, result.flags, clock.now() - start);
    return { kind: 'response', response };
  }

  async function gatewayInbound(w: World, pod: NetworkPod, config: ProxyConfig, port: number, request: RouterRequest, connection: Connection, source: Source, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
    const listener = config.listeners.find((l) => l.direction === 'gateway' && l.port === port);
    if (listener === undefined || listener.routeConfigName === undefined) {
      trace.begin({ depth, kind: 'gateway', at: config.proxy.id, endMs: clock.now(), note: `no gateway listener on port ${port}` });
      return { kind: 'failure', failure: 'refused' };
    }
    if ((listener.protocol === 'HTTPS') !== (connection.clientTls === true)) {
      // Plaintext to a TLS server (or TLS to a plaintext one): the handshake fails and Envoy closes.
      trace.begin({ depth, kind: 'gateway', at: config.proxy.id, listener: listener.name, endMs: clock.now(), note: listener.protocol === 'HTTPS' ? 'plaintext request to an HTTPS server: connection closed' : 'TLS to a plaintext server: connection closed' });
      return { kind: 'failure', failure: 'closed' };
    }
    const verdict = checkInbound(config, connection, { method: request.method, path: request.path, host: request.host, port, headers: request.headers }, { enforceMtls: false });
    if (verdict.kind === 'denied') {
      const reply = envoyResponses.rbacDenied(undefined);
      trace.begin({ depth, kind: 'gateway', at: config.proxy.id, listener: listener.name, endMs: clock.now(), status: 403, authorization: `denied (${verdict.decision.reason})` });
      log(w, pod, { startMs: clock.now(), method: request.method, path: request.path, protocol: 'HTTP/1.1', status: 403, flags: '-', details: reply.details, bytesReceived: 0, bytesSent: Buffer.byteLength(reply.response.body), durationMs: 0, authority: request.host, downstreamLocalAddress: `${pod.ip}:${port}`, downstreamRemoteAddress: `${connection.sourceIp}:${connection.sourcePort}` });
      return { kind: 'response', response: localReply(reply) };
    }
    return proxyRoute(w, pod, config, listener.routeConfigName, request, source, { ip: pod.ip, port }, signal, trace, depth, 'gateway', { ip: connection.sourceIp, port: connection.sourcePort });
  }

  async function sidecarOutbound(w: World, pod: NetworkPod, config: ProxyConfig, ip: string, port: number, request: RouterRequest, source: Source, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
    const exact = config.listeners.find((l) => l.direction === 'outbound' && l.address === ip && l.port === port);
    const http = config.listeners.find((l) => l.direction === 'outbound' && l.address === '0.0.0.0' && l.port === port && l.routeConfigName !== undefined);
    const downstream = { ip: pod.ip, port: ephemeralPort() };
    if (exact === undefined && http !== undefined && http.routeConfigName !== undefined) {
      return proxyRoute(w, pod, config, http.routeConfigName, request, source, { ip, port }, signal, trace, depth, 'sidecar-outbound', downstream);
    }
    const hop = trace.begin({ depth, kind: 'sidecar-outbound', at: config.proxy.id, listener: exact?.name ?? 'virtualOutbound', cluster: exact?.cluster ?? 'PassthroughCluster' });
    if (exact?.cluster !== undefined) {
      // A TCP proxy: no HTTP routing, no Envoy headers; connection failures close the client's connection.
      const cluster = config.clusters.find((c) => c.name === exact.cluster);
      const endpoints = (config.endpoints.find((g) => g.cluster === exact.cluster)?.endpoints ?? []).filter((e) => e.healthy);
      const endpoint = picker.pick(exact.cluster, endpoints, 'RANDOM');
      if (cluster === undefined || endpoint === undefined) {
        hop.endMs = clock.now();
        hop.note = 'no healthy upstream for the TCP proxy';
        return { kind: 'failure', failure: 'closed' };
      }
      const deps = routerDeps(w, pod, config, source, trace, depth);
      const outcome = await deps.connect({ cluster, endpoint, mtls: clientUsesMtls(cluster, endpoint), attempt: 1 }, request, signal);
      hop.endMs = clock.now();
      hop.endpoint = `${endpoint.address}:${endpoint.port}`;
      return outcome.kind === 'failure' ? { kind: 'failure', failure: 'closed' } : outcome;
    }
    const outcome = await directConnect(w, { ...source, ip: pod.ip }, ip, port, request, signal, trace, depth, UNREACHABLE_DELAY_MS);
    hop.endMs = clock.now();
    // Envoy accepted the client's connection before dialling out: a failed upstream connection
    // closes it without a byte (curl: Empty reply from server).
    return outcome.kind === 'failure' && outcome.failure !== 'reset' ? { kind: 'failure', failure: 'closed' } : outcome;
  }

  /** A connection without a client proxy: kube-proxy picks the endpoint, plaintext all the way. */
  async function directConnect(
    w: World,
    source: Source,
    ip: string,
    port: number,
    request: RouterRequest,
    signal: AbortSignal,
    trace: TraceRecorder,
    depth: number,
    connectTimeoutMs: number | undefined,
    progress?: { connected: boolean },
    clientTls = false,
  ): Promise<TryOutcome> {
    const target = routeConnection(w.network, picker, ip, port);
    const hop = trace.begin({ depth, kind: 'connect', at: source.pod === undefined ? 'client' : `${source.pod.name}.${source.pod.namespace}`, endpoint: `${ip}:${port}` });
    if (target.kind === 'refused') {
      hop.endMs = clock.now();
      hop.note = `service ${target.service?.namespace ?? ''}/${target.service?.name ?? ''} has no ready endpoints: connection refused`;
      return { kind: 'failure', failure: 'refused' };
    }
    if (target.kind === 'unreachable') {
      hop.note = `nothing answers at ${ip}:${port}`;
      await sleep(connectTimeoutMs ?? KERNEL_CONNECT_TIMEOUT_MS, signal).catch(() => undefined);
      hop.endMs = clock.now();
      return { kind: 'failure', failure: 'unreachable' };
    }
    hop.note = target.service === undefined ? `direct to pod ${target.pod.name}` : `kube-proxy: ${target.service.name}.${target.service.namespace}:${port} → ${target.pod.name} ${target.pod.ip}:${target.port}`;
    hop.endpoint = `${target.pod.ip}:${target.port}`;
    if (progress !== undefined) progress.connected = true;
    const start = clock.now();
    const connection: Connection = { mtls: false, sourceIp: source.ip, sourcePort: ephemeralPort(), dialled: `${ip}:${port}`, clientTls };
    const outcome = await deliverToPod(w, target.pod, target.port, request, connection, source, signal, trace, depth);
    hop.endMs = clock.now();
    if (source.pod === undefined || proxyOf(w, source.pod) === undefined) {
      const service = target.service === undefined ? 'unknown' : `${target.service.name}.${target.service.namespace}.svc.cluster.local`;
      const destinationProxy = proxyOf(w, target.pod);
      // Only a destination sidecar reports requests from clients outside the mesh.
      if (destinationProxy !== undefined && destinationProxy.proxy.type === 'sidecar') recordEdge(source, target.pod, service, outcome.kind === 'response' ? outcome.response.status : 0, false, outcome.kind === 'response' ? '-' : 'UC', clock.now() - start);
    }
    return outcome;
  }

  // --- the client ----------------------------------------------------------------------------

  async function clientRequest(
    w: World,
    source: Source,
    request: { method: string; url: string; headers: Headers; body: string; signal?: AbortSignal; connectTimeoutMs?: number; progress?: { connected: boolean } },
    trace: TraceRecorder,
    depth: number,
  ): Promise<{ response?: HttpResponse; error?: NetworkError }> {
    const start = clock.now();
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(request.url) ? request.url : `http://${request.url}`);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    const path = `${url.pathname}${url.search}`;
    const fail = (code: NetworkError['code'], phase: 'resolve' | 'connect' | 'transfer'): { error: NetworkError } => ({ error: new NetworkError(code, { host, port, phase, elapsedMs: clock.now() - start }) });
    const dns = trace.begin({ depth, kind: 'dns', at: source.pod === undefined ? 'client' : `${source.pod.name}.${source.pod.namespace}`, note: host });
    const answer = resolveHost(w.network, host, source.namespace);
    dns.endMs = clock.now();
    if (answer === undefined) {
      dns.note = `${host}: NXDOMAIN`;
      return fail('ENOTFOUND', 'resolve');
    }
    const ip = answer.addresses[0] as string;
    dns.note = `${host} → ${answer.name === host ? '' : `${answer.name} `}${ip}`;
    const headers: Headers = { ...request.headers };
    headers.host ??= port === 80 ? url.host.replace(/:80$/, '') : url.host;
    const routed: RouterRequest = { method: request.method, path, host: headers.host, headers, body: request.body };
    delete routed.headers.host;
    const signal = request.signal ?? new AbortController().signal;
    const progress = request.progress ?? { connected: false };
    let outcome: TryOutcome;
    try {
      outcome = await connectFrom(w, source, ip, port, routed, signal, trace, depth, request.connectTimeoutMs, progress, url.protocol === 'https:');
    } catch (error) {
      // The caller gave up (its timeout or signal) while a proxy was still waiting.
      if (!isAbort(error)) throw error;
      outcome = { kind: 'failure', failure: 'reset' };
    }
    if (outcome.kind === 'response') return { response: outcome.response };
    if (outcome.failure === 'refused') return fail('ECONNREFUSED', 'connect');
    if (outcome.failure === 'unreachable') return { error: new NetworkError('ETIMEDOUT', { host, port, phase: 'connect', elapsedMs: clock.now() - start, timeout: request.connectTimeoutMs === undefined ? 'system' : 'connect' }) };
    if (outcome.failure === 'closed') return fail('EMPTY_REPLY', 'transfer');
    return fail('ECONNRESET', 'transfer');
  }

  async function connectFrom(w: World, source: Source, ip: string, port: number, routed: RouterRequest, signal: AbortSignal, trace: TraceRecorder, depth: number, connectTimeoutMs: number | undefined, progress: { connected: boolean }, clientTls: boolean): Promise<TryOutcome> {
    const loopback = ip === '127.0.0.1' || (source.pod !== undefined && ip === source.pod.ip);
    const proxy = source.pod === undefined ? undefined : proxyOf(w, source.pod);
    // With a sidecar the client's connection is to its own Envoy, which always accepts it.
    if (proxy !== undefined && !loopback) progress.connected = true;
    if (loopback && source.pod !== undefined) return callApp(w, source.pod, port, routed, '127.0.0.1', signal, trace, depth);
    if (loopback) return { kind: 'failure', failure: 'refused' };
    if (proxy !== undefined && proxy.proxy.type === 'sidecar' && source.pod !== undefined) return sidecarOutbound(w, source.pod, proxy, ip, port, routed, source, signal, trace, depth);
    return directConnect(w, source, ip, port, routed, signal, trace, depth, connectTimeoutMs, progress, clientTls);
  }

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
      const work = clientRequest(
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
      return { ...result, trace: trace.trace, elapsedMs: clock.now() - start };
    },
    proxyLogs: (namespace, pod) => accessLogs.lines(namespace, pod),
    appLogs: (namespace, pod) => appLogs.get(`${namespace}/${pod}`) ?? [],
    edges: () => metrics.edges(),
  };
}
