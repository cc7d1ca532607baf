// The destination sidecar: PeerAuthentication (STRICT resets plaintext), AuthorizationPolicy
// (403 RBAC: access denied), XFCC on mTLS, then the app; TCP ports pass bytes untouched. Each
// request is written to the pod's access log.
import type { NetworkPod } from '../../network/cluster-network.ts';
import { isHttpProtocol } from '../mesh-model/port-protocol.ts';
import { httpWireBytes } from './access-log.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { forwardedClientCert, withTraceHeaders, type Headers } from './envoy-headers.ts';
import { envoyResponses, type HttpResponse } from './envoy-responses.ts';
import { checkInbound } from './inbound-policy.ts';
import { inboundService, istioPeer, type IstioRequestRecord } from './istio-request-metrics.ts';
import type { TraceRecorder } from './request-trace.ts';
import type { RouterRequest, TryOutcome } from './upstream-router.ts';
import { untilAborted } from './until-aborted.ts';
import { INBOUND_PASSTHROUGH_IP, isAbort, type PlaneContext, type World, type Connection } from './plane-context.ts';

export async function sidecarInbound(ctx: PlaneContext, w: World, pod: NetworkPod, config: ProxyConfig, port: number, request: RouterRequest, connection: Connection, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
  const start = ctx.clock.now();
  const hop = trace.begin({ depth, kind: 'sidecar-inbound', at: config.proxy.id, mtls: connection.mtls, listener: 'virtualInbound', cluster: `inbound|${port}||` });
  const verdict = checkInbound(config, connection, { method: request.method, path: request.path, host: request.host, port, headers: request.headers }, { enforceMtls: true });
  const inboundPort = config.listeners.flatMap((l) => l.inbound ?? []).find((p) => p.port === port);
  if (inboundPort !== undefined && !isHttpProtocol(inboundPort.protocol)) {
    // A TCP port: bytes pass through untouched; a denied connection is simply closed. Each
    // connection is one `"- - -"` line in the log, with bytes instead of a method and status.
    const connectionLine = { startMs: start, method: '-', path: '-', protocol: '-', status: 0, details: '-', downstreamLocalAddress: `${pod.ip}:${port}`, downstreamRemoteAddress: `${connection.sourceIp}:${connection.sourcePort}`, ...(connection.sni === undefined ? {} : { requestedServerName: connection.sni }) };
    const bytesReceived = httpWireBytes(`${request.method} ${request.path} HTTP/1.1`, { host: request.host, ...request.headers }, request.body);
    // Istio's TCP metrics from this side (`reporter="destination"`); the mesh graph's edge only
    // for a caller without a proxy, whose connection no source proxy counted.
    const tcpClient = w.network.podByIp(connection.sourceIp);
    const clientProxied = tcpClient !== undefined && ctx.proxyOf(w, tcpClient) !== undefined;
    const tcpService = inboundService(w.network, pod, port, connection.sni);
    const countConnection = (received: number, sent: number): void => {
      ctx.requestMetrics.recordTcp(config.proxy.id, {
        reporter: 'destination',
        destination: istioPeer(pod, connection.mtls),
        ...(clientProxied && tcpClient !== undefined ? { source: istioPeer(tcpClient, connection.mtls) } : {}),
        ...(tcpService === undefined ? {} : { service: tcpService }),
        responseFlags: '-',
        connectionSecurityPolicy: connection.mtls ? 'mutual_tls' : 'none',
        receivedBytes: received,
        sentBytes: sent,
      });
      if (!clientProxied) ctx.recordTcpEdge({ ...(tcpClient === undefined ? {} : { pod: tcpClient }), ip: connection.sourceIp }, pod, tcpService?.host ?? 'unknown', connection.mtls, '-', { received, sent });
    };
    if (verdict.kind === 'reset') {
      hop.endMs = ctx.clock.now();
      hop.note = `PeerAuthentication ${verdict.mode} rejects the plaintext connection: reset`;
      ctx.log(w, pod, { ...connectionLine, flags: 'NR', details: 'filter_chain_not_found', bytesReceived: 0, bytesSent: 0, durationMs: 0 });
      return { kind: 'failure', failure: 'reset' };
    }
    if (verdict.kind === 'denied') {
      hop.endMs = ctx.clock.now();
      hop.authorization = `denied (${verdict.decision.reason}${verdict.decision.policy === undefined ? '' : `: ${verdict.decision.policy}`})`;
      // The network RBAC filter closes the connection and says why in the termination details.
      const policy = verdict.decision.policy === undefined ? 'none' : `ns[${verdict.decision.policy.split('.').slice(1).join('.')}]-policy[${verdict.decision.policy.split('.')[0] ?? ''}]-rule[0]`;
      ctx.log(w, pod, { ...connectionLine, flags: '-', connectionTerminationDetails: `rbac_access_denied_matched_policy[${policy}]`, bytesReceived: 0, bytesSent: 0, durationMs: ctx.clock.now() - start });
      countConnection(0, 0);
      return { kind: 'failure', failure: 'closed' };
    }
    const outcome = await ctx.callApp(w, pod, port, request, INBOUND_PASSTHROUGH_IP, signal, trace, depth);
    hop.endMs = ctx.clock.now();
    hop.note = `TCP port ${port} (${inboundPort.protocol})`;
    if (outcome.kind === 'response') hop.status = outcome.response.status;
    const bytesSent = outcome.kind === 'response' ? httpWireBytes(`HTTP/1.1 ${outcome.response.status}`, outcome.response.headers, outcome.response.body) : 0;
    countConnection(bytesReceived, bytesSent);
    ctx.log(w, pod, {
      ...connectionLine,
      flags: '-',
      bytesReceived,
      bytesSent,
      durationMs: ctx.clock.now() - start,
      upstreamHost: `${pod.ip}:${port}`,
      upstreamCluster: `inbound|${port}||`,
      upstreamLocalAddress: `${INBOUND_PASSTHROUGH_IP}:${ctx.ephemeralPort()}`,
    });
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
  // This proxy's own count, as the server side sees it. The client's workload is known only
  // when it has a proxy of its own to exchange metadata with; its principal only over mTLS.
  const client = w.network.podByIp(connection.sourceIp);
  const service = inboundService(w.network, pod, port, connection.sni);
  const count = (responseCode: number, responseFlags: string): void => {
    const record: IstioRequestRecord = {
      reporter: 'destination',
      destination: istioPeer(pod, connection.mtls),
      responseCode,
      responseFlags,
      connectionSecurityPolicy: connection.mtls ? 'mutual_tls' : 'none',
      durationMs: ctx.clock.now() - start,
    };
    if (client !== undefined && ctx.proxyOf(w, client) !== undefined) record.source = istioPeer(client, connection.mtls);
    if (service !== undefined) record.service = service;
    ctx.requestMetrics.record(config.proxy.id, record);
  };
  if (verdict.kind === 'reset') {
    hop.endMs = ctx.clock.now();
    hop.note = `PeerAuthentication ${verdict.mode} rejects the plaintext connection: reset`;
    // No filter chain accepts plaintext: Envoy logs the connection, not a request.
    ctx.log(w, pod, { startMs: start, method: '-', path: '-', protocol: '-', status: 0, flags: 'NR', details: 'filter_chain_not_found', bytesReceived: 0, bytesSent: 0, durationMs: 0, downstreamLocalAddress: `${pod.ip}:${port}`, downstreamRemoteAddress: `${connection.sourceIp}:${connection.sourcePort}` });
    return { kind: 'failure', failure: 'reset' };
  }
  if (verdict.kind === 'denied') {
    const reply = envoyResponses.rbacDenied(verdict.decision.policy === undefined ? undefined : `ns[${verdict.decision.policy.split('.').slice(1).join('.')}]-policy[${verdict.decision.policy.split('.')[0] ?? ''}]-rule[0]`);
    const response = ctx.localReply(reply);
    hop.endMs = ctx.clock.now();
    hop.status = 403;
    hop.authorization = `denied (${verdict.decision.reason}${verdict.decision.policy === undefined ? '' : `: ${verdict.decision.policy}`})`;
    ctx.log(w, pod, { ...baseEntry, status: 403, flags: '-', details: reply.details, bytesSent: Buffer.byteLength(response.body), durationMs: ctx.clock.now() - start, routeName: '-' });
    count(403, '-');
    return { kind: 'response', response };
  }
  hop.authorization = `allowed (${verdict.decision.reason}${verdict.decision.policy === undefined ? '' : `: ${verdict.decision.policy}`})`;
  const headers: Headers = withTraceHeaders(request.headers, ctx.rng);
  if (depth === 0) trace.trace.requestId ??= headers['x-request-id'];
  if (connection.mtls && connection.clientIdentity !== undefined) headers['x-forwarded-client-cert'] = forwardedClientCert(config.proxy.identity, connection.clientIdentity);
  else delete headers['x-forwarded-client-cert'];
  const upstreamStart = ctx.clock.now();
  const localPort = ctx.ephemeralPort();
  let outcome: TryOutcome;
  try {
    outcome = await untilAborted(ctx.callApp(w, pod, port, { ...request, headers }, INBOUND_PASSTHROUGH_IP, signal, trace, depth), signal);
  } catch (error) {
    if (isAbort(error)) {
      hop.endMs = ctx.clock.now();
      hop.flags = 'DC';
      hop.note = 'the downstream disconnected before the app answered';
      ctx.log(w, pod, { ...baseEntry, requestId: headers['x-request-id'] ?? '-', status: 0, flags: 'DC', details: 'downstream_remote_disconnect', bytesSent: 0, durationMs: ctx.clock.now() - start, upstreamHost: `${pod.ip}:${port}`, upstreamCluster: `inbound|${port}||`, upstreamLocalAddress: `${INBOUND_PASSTHROUGH_IP}:${localPort}`, routeName: 'default' });
    }
    throw error;
  }
  const serviceTime = ctx.clock.now() - upstreamStart;
  let response: HttpResponse;
  let flags = '-';
  let details = 'via_upstream';
  if (outcome.kind === 'failure') {
    const reply = envoyResponses.upstreamFailure(outcome.failure === 'refused' ? 'connect-failure' : 'connection-termination', false);
    response = ctx.localReply(reply);
    flags = reply.flags;
    details = reply.details;
  } else {
    response = ctx.withEnvoyServer(outcome.response, serviceTime);
  }
  hop.endMs = ctx.clock.now();
  hop.status = response.status;
  hop.flags = flags;
  ctx.log(w, pod, {
    ...baseEntry,
    requestId: headers['x-request-id'] ?? '-',
    status: response.status,
    flags,
    details,
    bytesSent: Buffer.byteLength(response.body),
    durationMs: ctx.clock.now() - start,
    ...(outcome.kind === 'response' ? { upstreamServiceTimeMs: serviceTime } : {}),
    upstreamHost: `${pod.ip}:${port}`,
    upstreamCluster: `inbound|${port}||`,
    upstreamLocalAddress: `${INBOUND_PASSTHROUGH_IP}:${localPort}`,
    routeName: 'default',
  });
  count(response.status, flags);
  return { kind: 'response', response };
}
