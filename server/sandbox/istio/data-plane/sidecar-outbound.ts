// A request leaving through the client's sidecar: the HTTP listener for the port routes by Host;
// a TCP listener for the destination address proxies bytes; anything else passes through.
import type { NetworkPod } from '../../network/cluster-network.ts';
import { clientUsesMtls } from '../mesh-model/build-clusters.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { httpWireBytes } from './access-log.ts';
import { istioPeer, serviceOfCluster } from './istio-request-metrics.ts';
import type { TraceRecorder } from './request-trace.ts';
import { UNREACHABLE_DELAY_MS, type RouterRequest, type TryOutcome } from './upstream-router.ts';
import type { PlaneContext, World, Source } from './plane-context.ts';

export async function sidecarOutbound(ctx: PlaneContext, w: World, pod: NetworkPod, config: ProxyConfig, ip: string, port: number, request: RouterRequest, source: Source, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
  const sni = request.host.replace(/:\d+$/, '').toLowerCase();
  const exact =
    config.listeners.find((l) => l.direction === 'outbound' && l.address === ip && l.port === port) ??
    // A TLS client names its server in the SNI, which the host's filter chain on 0.0.0.0_<port> matches.
    config.listeners.find((l) => l.direction === 'outbound' && l.address === '0.0.0.0' && l.port === port && l.sniHosts?.includes(sni) === true);
  const http = config.listeners.find((l) => l.direction === 'outbound' && l.address === '0.0.0.0' && l.port === port && l.routeConfigName !== undefined);
  const downstream = { ip: pod.ip, port: ctx.ephemeralPort() };
  if (exact === undefined && http !== undefined && http.routeConfigName !== undefined) {
    return ctx.proxyRoute(w, pod, config, http.routeConfigName, request, source, { ip, port }, signal, trace, depth, 'sidecar-outbound', downstream);
  }
  const fallback = config.listeners.find((l) => l.name === 'virtualOutbound')?.cluster ?? 'PassthroughCluster';
  const hop = trace.begin({ depth, kind: 'sidecar-outbound', at: config.proxy.id, listener: exact?.name ?? 'virtualOutbound', cluster: exact?.cluster ?? fallback });
  if (exact === undefined && fallback === 'BlackHoleCluster') {
    // REGISTRY_ONLY: the BlackHoleCluster has no endpoints; Envoy resets the accepted connection.
    hop.endMs = ctx.clock.now();
    hop.note = `no registry service at ${ip}:${port}: BlackHoleCluster`;
    // Nothing upstream ever answers a TLS client's hello: its handshake fails (curl exit 35).
    return { kind: 'failure', failure: 'reset', handshake: true };
  }
  if (exact?.cluster !== undefined) {
    // A TCP proxy: no HTTP routing, no Envoy headers; connection failures close the client's connection.
    const start = ctx.clock.now();
    // One `"- - -"` line per connection, written when it closes: bytes, not a method or status.
    const service = serviceOfCluster(exact.cluster);
    const logConnection = (flags: string, outcome: TryOutcome | undefined, upstream: { host?: string; local?: string }, destination?: { pod: NetworkPod | undefined; mtls: boolean }): void => {
      const response = outcome?.kind === 'response' ? outcome.response : undefined;
      const received = httpWireBytes(`${request.method} ${request.path} HTTP/1.1`, { host: request.host, ...request.headers }, request.body);
      const sent = response === undefined ? 0 : httpWireBytes(`HTTP/1.1 ${response.status}`, response.headers, response.body);
      // The client's proxy reports the connection as its source (Istio's TCP metrics), and the
      // mesh graph draws it as a TCP edge: connections and bytes, no response code.
      const mtls = destination?.mtls ?? false;
      ctx.recordTcpEdge(source, destination?.pod, service?.host ?? 'unknown', mtls, flags === '' ? '-' : flags, { received, sent });
      ctx.requestMetrics.recordTcp(config.proxy.id, {
        reporter: 'source',
        source: istioPeer(pod, mtls),
        ...(destination?.pod === undefined ? {} : { destination: istioPeer(destination.pod, mtls) }),
        ...(service === undefined ? {} : { service }),
        responseFlags: flags === '' ? '-' : flags,
        connectionSecurityPolicy: 'unknown',
        receivedBytes: received,
        sentBytes: sent,
      });
      ctx.log(w, pod, {
        startMs: start,
        method: '-',
        path: '-',
        protocol: '-',
        status: 0,
        flags,
        details: '-',
        bytesReceived: received,
        bytesSent: sent,
        durationMs: ctx.clock.now() - start,
        upstreamCluster: exact.cluster,
        ...(upstream.host === undefined ? {} : { upstreamHost: upstream.host }),
        ...(upstream.local === undefined ? {} : { upstreamLocalAddress: upstream.local }),
        downstreamLocalAddress: `${ip}:${port}`,
        downstreamRemoteAddress: `${downstream.ip}:${downstream.port}`,
        // A TLS client's server name, which picked this filter chain.
        ...(exact.sniHosts?.includes(sni) === true ? { requestedServerName: sni } : {}),
      });
    };
    const cluster = config.clusters.find((c) => c.name === exact.cluster);
    const endpoints = (config.endpoints.find((g) => g.cluster === exact.cluster)?.endpoints ?? []).filter((e) => e.healthy);
    const endpoint = ctx.picker.pick(exact.cluster, endpoints, 'RANDOM');
    if (cluster === undefined || endpoint === undefined) {
      hop.endMs = ctx.clock.now();
      hop.note = 'no healthy upstream for the TCP proxy';
      logConnection('UH', undefined, {});
      return { kind: 'failure', failure: 'closed' };
    }
    const deps = ctx.routerDeps(w, pod, config, source, trace, depth);
    const mtls = clientUsesMtls(cluster, endpoint);
    const outcome = await deps.connect({ cluster, endpoint, mtls, attempt: 1 }, request, signal);
    hop.endMs = ctx.clock.now();
    hop.endpoint = `${endpoint.address}:${endpoint.port}`;
    const connected = outcome.kind === 'response' || outcome.failure === 'closed' || outcome.failure === 'reset';
    const destinationPod = endpoint.podName === undefined ? undefined : w.network.pod(endpoint.podName, endpoint.namespace ?? '');
    logConnection(connected ? '' : 'UF', outcome, { host: hop.endpoint, ...(connected ? { local: `${pod.ip}:${ctx.ephemeralPort()}` } : {}) }, { pod: destinationPod, mtls });
    return outcome.kind === 'failure' ? { kind: 'failure', failure: 'closed' } : outcome;
  }
  const outcome = await ctx.directConnect(w, { ...source, ip: pod.ip }, ip, port, request, signal, trace, depth, UNREACHABLE_DELAY_MS);
  hop.endMs = ctx.clock.now();
  // Envoy accepted the client's connection before dialling out: a failed upstream connection
  // closes it without a byte (curl: Empty reply from server).
  return outcome.kind === 'failure' && outcome.failure !== 'reset' ? { kind: 'failure', failure: 'closed' } : outcome;
}
