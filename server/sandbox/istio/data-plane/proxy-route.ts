// The routing stage shared by sidecar outbound listeners and gateway listeners: virtual host
// and route selection, passthrough for allow_any, the router (faults, clusters, retries,
// timeouts) with tries delivered to endpoint pods, Envoy's headers on the answer, the access
// log line and the mesh-graph edge.
import type { NetworkPod } from '../../network/cluster-network.ts';
import { isIpAddress, resolveHost } from '../../network/dns-resolver.ts';
import { externalHostByIp } from '../../network/external-hosts.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { withTraceHeaders } from './envoy-headers.ts';
import { envoyResponses } from './envoy-responses.ts';
import { istioPeer, serviceOfCluster } from './istio-request-metrics.ts';
import { selectRoute, type RouteSelection } from './outbound-route.ts';
import type { TraceRecorder } from './request-trace.ts';
import { routeUpstream, UNREACHABLE_DELAY_MS, type RouterDeps, type RouterRequest, type TryOutcome, type TryTarget } from './upstream-router.ts';
import { isAbort, type PlaneContext, type World, type Source, type Connection } from './plane-context.ts';

export function routerDeps(ctx: PlaneContext, w: World, from: NetworkPod, config: ProxyConfig, source: Source, trace: TraceRecorder, depth: number): RouterDeps {
  const deliver = async (target: TryTarget, request: RouterRequest, signal: AbortSignal): Promise<TryOutcome> => {
    // A STRICT_DNS endpoint (a ServiceEntry host) is a name Envoy resolves when it connects.
    const address = target.endpoint.podName !== undefined || isIpAddress(target.endpoint.address) ? target.endpoint.address : resolveHost(w.network, target.endpoint.address, from.namespace)?.addresses[0];
    if (address !== undefined && externalHostByIp(address) !== undefined) {
      return ctx.directConnect(w, { ...source, pod: from, ip: from.ip }, address, target.endpoint.port, request, signal, trace, depth, UNREACHABLE_DELAY_MS);
    }
    const pod = target.endpoint.podName === undefined ? (address === undefined ? undefined : w.network.podByIp(address)) : w.network.pod(target.endpoint.podName, target.endpoint.namespace ?? '');
    if (pod === undefined) {
      await ctx.sleep(UNREACHABLE_DELAY_MS, signal).catch(() => undefined);
      return { kind: 'failure', failure: 'unreachable' };
    }
    const connection: Connection = {
      mtls: target.mtls,
      clientIdentity: config.proxy.identity,
      sourceIp: from.ip,
      sourcePort: ctx.ephemeralPort(),
      dialled: `${target.endpoint.address}:${target.endpoint.port}`,
      ...(target.mtls ? { sni: `outbound_.${target.cluster.port}_.${target.cluster.subset}_.${target.cluster.host}` } : {}),
    };
    return ctx.deliverToPod(w, pod, target.endpoint.port, request, connection, { ...source, pod: from, ip: from.ip }, signal, trace, depth);
  };
  return {
    rng: ctx.rng,
    picker: ctx.picker,
    sleep: ctx.sleep,
    now: () => ctx.clock.now(),
    ejected: (cluster, endpoint) => ctx.circuits.outliers(config.proxy.id, cluster)?.ejected(`${endpoint.address}:${endpoint.port}`, ctx.clock.now()) === true,
    connect: async (target, request, signal) => {
      // The calling proxy's circuit breakers act before any connection: over the limits, the
      // request overflows without reaching the upstream.
      const pooled = ctx.circuits.pool(config.proxy.id, target.cluster);
      const lease = pooled === undefined ? undefined : await pooled.pool.acquire(pooled.limits, signal);
      if (lease === 'overflow') return { kind: 'failure', failure: 'overflow' };
      let outcome: TryOutcome;
      try {
        outcome = await deliver(target, request, signal);
      } finally {
        lease?.release();
      }
      const outliers = ctx.circuits.outliers(config.proxy.id, target.cluster);
      if (outliers !== undefined) {
        const size = (config.endpoints.find((g) => g.cluster === target.cluster.name)?.endpoints ?? []).filter((e) => e.healthy).length;
        const result = outcome.kind === 'response' ? { status: outcome.response.status } : { failure: outcome.failure === 'refused' || outcome.failure === 'unreachable' ? ('connect' as const) : ('reset' as const) };
        outliers.record(`${target.endpoint.address}:${target.endpoint.port}`, result, size, ctx.clock.now());
      }
      return outcome;
    },
  };
}

/** The route stage shared by sidecar outbound and gateway listeners. */
export async function proxyRoute(ctx: PlaneContext, 
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
  const start = ctx.clock.now();
  const hop = trace.begin({ depth, kind, at: config.proxy.id, listener: `0.0.0.0_${original.port}` });
  const headers = withTraceHeaders(request.headers, ctx.rng);
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
    const response = ctx.localReply(reply);
    hop.endMs = ctx.clock.now();
    hop.status = 404;
    hop.flags = 'NR';
    if (selection.virtualHost !== undefined) hop.virtualHost = selection.virtualHost.name;
    hop.note = selection.virtualHost === undefined ? `no virtual host for Host ${request.host}` : `no route of ${selection.virtualHost.name} matches ${request.method} ${request.path}`;
    ctx.log(w, self, { ...entryBase, status: 404, flags: 'NR', details: reply.details, bytesSent: 0, durationMs: 0 });
    ctx.recordEdge(kind === 'gateway' ? { pod: self, ip: self.ip } : source, undefined, 'unknown', 404, false, 'NR', 0);
    ctx.requestMetrics.record(config.proxy.id, { reporter: 'source', source: istioPeer(self, false), responseCode: 404, responseFlags: 'NR', connectionSecurityPolicy: 'unknown', durationMs: 0 });
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
    const outcome = await ctx.directConnect(w, { ...source, ip: self.ip }, original.ip, original.port, routed, signal, trace, depth, UNREACHABLE_DELAY_MS);
    hop.endMs = ctx.clock.now();
    if (outcome.kind === 'failure') {
      const reply = envoyResponses.upstreamFailure(outcome.failure === 'reset' || outcome.failure === 'closed' ? 'connection-termination' : 'connect-failure', false);
      hop.status = 503;
      hop.flags = reply.flags;
      ctx.log(w, self, { ...entryBase, status: 503, flags: reply.flags, details: reply.details, bytesSent: Buffer.byteLength(reply.response.body), durationMs: ctx.clock.now() - start, upstreamCluster: 'PassthroughCluster', upstreamHost: `${original.ip}:${original.port}`, routeName: 'allow_any' });
      return { kind: 'response', response: ctx.localReply(reply) };
    }
    hop.status = outcome.response.status;
    ctx.log(w, self, { ...entryBase, status: outcome.response.status, flags: '-', details: 'via_upstream', bytesSent: Buffer.byteLength(outcome.response.body), durationMs: ctx.clock.now() - start, upstreamCluster: 'PassthroughCluster', upstreamHost: `${original.ip}:${original.port}`, routeName: 'allow_any' });
    return { kind: 'response', response: ctx.withEnvoyServer(outcome.response, ctx.clock.now() - start) };
  }
  if (action.kind === 'route') {
    if (action.timeoutMs !== undefined) hop.note = `route timeout ${action.timeoutMs} ms`;
  }
  const deps: RouterDeps = {
    ...ctx.routerDeps(w, self, config, source, trace, depth),
    ...(kind === 'sidecar-outbound' ? { originalDestination: original } : {}),
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
      hop.endMs = ctx.clock.now();
      hop.flags = 'DC';
      hop.note = 'the downstream disconnected before the response';
      ctx.log(w, self, { ...entryBase, status: 0, flags: 'DC', details: 'downstream_remote_disconnect', bytesSent: 0, durationMs: ctx.clock.now() - start, routeName: route.name });
      // Istio's stats filter counts the stream when it ends, so a call the client gave up on is a
      // request with response code 0 on the edge to the service its route named.
      const gaveUpOn = action.kind === 'route' ? action.clusters[0]?.cluster : undefined;
      ctx.recordEdge(kind === 'gateway' ? { pod: self, ip: self.ip } : source, undefined, gaveUpOn?.split('|')[3] ?? 'unknown', 0, false, 'DC', ctx.clock.now() - start);
    }
    throw error;
  }
  hop.endMs = ctx.clock.now();
  hop.status = result.response.status;
  hop.flags = result.flags;
  hop.attempts = result.attempts;
  if (result.cluster !== undefined) hop.cluster = result.cluster;
  if (result.subset !== undefined) hop.subset = result.subset;
  if (result.endpoint !== undefined) hop.endpoint = `${result.endpoint.address}:${result.endpoint.port}`;
  if (result.mtls !== undefined) hop.mtls = result.mtls;
  if (result.timedOut === true) hop.timedOut = true;
  const response = result.details === 'via_upstream' || result.details === 'upstream_per_try_timeout' ? ctx.withEnvoyServer(result.response, result.upstreamServiceTimeMs) : ctx.localReply({ response: result.response, flags: result.flags, details: result.details });
  ctx.log(w, self, {
    ...entryBase,
    status: response.status,
    flags: result.flags,
    details: result.details,
    bytesSent: Buffer.byteLength(response.body),
    durationMs: ctx.clock.now() - start,
    ...(result.upstreamServiceTimeMs === undefined ? {} : { upstreamServiceTimeMs: result.upstreamServiceTimeMs }),
    ...(result.endpoint === undefined ? {} : { upstreamHost: `${result.endpoint.address}:${result.endpoint.port}`, upstreamLocalAddress: `${self.ip}:${ctx.ephemeralPort()}` }),
    ...(result.cluster === undefined ? {} : { upstreamCluster: result.cluster }),
    ...(result.sent !== undefined && result.sent.host !== request.host ? { authority: result.sent.host } : {}),
    routeName: route.name,
  });
  const destinationPod = result.endpoint?.podName === undefined ? undefined : w.network.pod(result.endpoint.podName, result.endpoint.namespace ?? '');
  // A fault abort ends before the router picks a cluster, but the route already names the
  // service, and Istio labels the request with it (so the graph's edge to that service turns red).
  const routedCluster = result.cluster ?? (action.kind === 'route' ? action.clusters[0]?.cluster : undefined);
  const service = routedCluster?.split('|')[3] ?? 'unknown';
  ctx.recordEdge(kind === 'gateway' ? { pod: self, ip: self.ip } : source, destinationPod, service, response.status, result.mtls ?? false, result.flags, ctx.clock.now() - start);
  // This proxy's own count, as the client side of the request sees it: a fault or an upstream
  // that never answered is counted here and nowhere downstream.
  const mtls = result.mtls ?? false;
  const destinationService = serviceOfCluster(routedCluster);
  ctx.requestMetrics.record(config.proxy.id, {
    reporter: 'source',
    source: istioPeer(self, mtls),
    ...(destinationPod === undefined ? {} : { destination: istioPeer(destinationPod, mtls) }),
    ...(destinationService === undefined ? {} : { service: destinationService }),
    responseCode: response.status,
    responseFlags: result.flags,
    connectionSecurityPolicy: 'unknown',
    durationMs: ctx.clock.now() - start,
  });
  return { kind: 'response', response };
}
