// A connection without a client proxy: kube-proxy picks the endpoint, plaintext all the way;
// unreachable addresses wait for the connect timeout.
import { EXTERNAL_PORTS, externalHostByIp, externalHostPod } from '../../network/external-hosts.ts';
import { routeConnection } from '../../network/route-connection.ts';
import { isHttpProtocol } from '../mesh-model/port-protocol.ts';
import type { TraceRecorder } from './request-trace.ts';
import type { RouterRequest, TryOutcome } from './upstream-router.ts';
import { KERNEL_CONNECT_TIMEOUT_MS, type PlaneContext, type World, type Source, type Connection } from './plane-context.ts';

/** A connection without a client proxy: kube-proxy picks the endpoint, plaintext all the way. */
export async function directConnect(ctx: PlaneContext, 
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
  const external = externalHostByIp(ip);
  if (external !== undefined) {
    const hop = trace.begin({ depth, kind: 'connect', at: source.pod === undefined ? 'client' : `${source.pod.name}.${source.pod.namespace}`, endpoint: `${ip}:${port}` });
    if (!EXTERNAL_PORTS.includes(port)) {
      // A public host drops SYNs to ports it does not serve: the client waits out its timeout.
      hop.note = `${external.name} does not answer on port ${port}`;
      await ctx.sleep(connectTimeoutMs ?? KERNEL_CONNECT_TIMEOUT_MS, signal).catch(() => undefined);
      hop.endMs = ctx.clock.now();
      return { kind: 'failure', failure: 'unreachable' };
    }
    hop.note = `internet host ${external.name}`;
    if (progress !== undefined) progress.connected = true;
    const outcome = await ctx.callApp(w, externalHostPod(external), external.appPort, request, source.ip, signal, trace, depth);
    hop.endMs = ctx.clock.now();
    return outcome;
  }
  const target = routeConnection(w.network, ctx.picker, ip, port);
  const hop = trace.begin({ depth, kind: 'connect', at: source.pod === undefined ? 'client' : `${source.pod.name}.${source.pod.namespace}`, endpoint: `${ip}:${port}` });
  if (target.kind === 'refused') {
    hop.endMs = ctx.clock.now();
    hop.note = `service ${target.service?.namespace ?? ''}/${target.service?.name ?? ''} has no ready endpoints: connection refused`;
    return { kind: 'failure', failure: 'refused' };
  }
  if (target.kind === 'unreachable') {
    hop.note = `nothing answers at ${ip}:${port}`;
    await ctx.sleep(connectTimeoutMs ?? KERNEL_CONNECT_TIMEOUT_MS, signal).catch(() => undefined);
    hop.endMs = ctx.clock.now();
    return { kind: 'failure', failure: 'unreachable' };
  }
  hop.note = target.service === undefined ? `direct to pod ${target.pod.name}` : `kube-proxy: ${target.service.name}.${target.service.namespace}:${port} → ${target.pod.name} ${target.pod.ip}:${target.port}`;
  hop.endpoint = `${target.pod.ip}:${target.port}`;
  if (progress !== undefined) progress.connected = true;
  const start = ctx.clock.now();
  const connection: Connection = { mtls: false, sourceIp: source.ip, sourcePort: ctx.ephemeralPort(), dialled: `${ip}:${port}`, clientTls };
  const outcome = await ctx.deliverToPod(w, target.pod, target.port, request, connection, source, signal, trace, depth);
  hop.endMs = ctx.clock.now();
  if (source.pod === undefined || ctx.proxyOf(w, source.pod) === undefined) {
    const service = target.service === undefined ? 'unknown' : `${target.service.name}.${target.service.namespace}.svc.cluster.local`;
    const destinationProxy = ctx.proxyOf(w, target.pod);
    // Only a destination sidecar reports requests from clients outside the mesh; on a TCP port it
    // counts connections (sidecar-inbound records those).
    const inboundPort = destinationProxy?.listeners.flatMap((l) => l.inbound ?? []).find((p) => p.port === target.port);
    const tcpPort = inboundPort !== undefined && !isHttpProtocol(inboundPort.protocol);
    if (destinationProxy !== undefined && destinationProxy.proxy.type === 'sidecar' && !tcpPort) ctx.recordEdge(source, target.pod, service, outcome.kind === 'response' ? outcome.response.status : 0, false, outcome.kind === 'response' ? '-' : 'UC', ctx.clock.now() - start);
  }
  return outcome;
}
