// A gateway pod receiving a connection: the Gateway listener on that port (none: refused; TLS
// mismatch: closed), the gateway's AuthorizationPolicies, then Host-based routing.
import type { NetworkPod } from '../../network/cluster-network.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { envoyResponses } from './envoy-responses.ts';
import { checkInbound } from './inbound-policy.ts';
import type { TraceRecorder } from './request-trace.ts';
import type { RouterRequest, TryOutcome } from './upstream-router.ts';
import type { PlaneContext, World, Source, Connection } from './plane-context.ts';

export async function gatewayInbound(ctx: PlaneContext, w: World, pod: NetworkPod, config: ProxyConfig, port: number, request: RouterRequest, connection: Connection, source: Source, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
  const listener = config.listeners.find((l) => l.direction === 'gateway' && l.port === port);
  if (listener === undefined || listener.routeConfigName === undefined) {
    trace.begin({ depth, kind: 'gateway', at: config.proxy.id, endMs: ctx.clock.now(), note: `no gateway listener on port ${port}` });
    return { kind: 'failure', failure: 'refused' };
  }
  if ((listener.protocol === 'HTTPS') !== (connection.clientTls === true)) {
    // Plaintext to a TLS server (or TLS to a plaintext one): the handshake fails and Envoy closes.
    trace.begin({ depth, kind: 'gateway', at: config.proxy.id, listener: listener.name, endMs: ctx.clock.now(), note: listener.protocol === 'HTTPS' ? 'plaintext request to an HTTPS server: connection closed' : 'TLS to a plaintext server: connection closed' });
    return { kind: 'failure', failure: 'closed' };
  }
  const verdict = checkInbound(config, connection, { method: request.method, path: request.path, host: request.host, port, headers: request.headers }, { enforceMtls: false });
  if (verdict.kind === 'denied') {
    const reply = envoyResponses.rbacDenied(undefined);
    trace.begin({ depth, kind: 'gateway', at: config.proxy.id, listener: listener.name, endMs: ctx.clock.now(), status: 403, authorization: `denied (${verdict.decision.reason})` });
    ctx.log(w, pod, { startMs: ctx.clock.now(), method: request.method, path: request.path, protocol: 'HTTP/1.1', status: 403, flags: '-', details: reply.details, bytesReceived: 0, bytesSent: Buffer.byteLength(reply.response.body), durationMs: 0, authority: request.host, downstreamLocalAddress: `${pod.ip}:${port}`, downstreamRemoteAddress: `${connection.sourceIp}:${connection.sourcePort}` });
    return { kind: 'response', response: ctx.localReply(reply) };
  }
  return ctx.proxyRoute(w, pod, config, listener.routeConfigName, request, source, { ip: pod.ip, port }, signal, trace, depth, 'gateway', { ip: connection.sourceIp, port: connection.sourcePort });
}
