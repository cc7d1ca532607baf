// A connection arriving at a pod: a gateway's listener, a sidecar's inbound chain, or (no
// proxy) the app itself.
import type { NetworkPod } from '../../network/cluster-network.ts';
import type { TraceRecorder } from './request-trace.ts';
import type { RouterRequest, TryOutcome } from './upstream-router.ts';
import { isAbort, type PlaneContext, type World, type Source, type Connection } from './plane-context.ts';

export async function deliverToPod(ctx: PlaneContext, w: World, pod: NetworkPod, port: number, request: RouterRequest, connection: Connection, source: Source, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
  const proxy = ctx.proxyOf(w, pod);
  try {
    if (proxy?.proxy.type === 'router') return await ctx.gatewayInbound(w, pod, proxy, port, request, connection, source, signal, trace, depth);
    if (proxy !== undefined) return await ctx.sidecarInbound(w, pod, proxy, port, request, connection, signal, trace, depth);
    // No sidecar: the connection reaches the app as it is (TLS bytes would be garbage to it).
    if (connection.mtls) return { kind: 'failure', failure: 'reset' };
    return await ctx.callApp(w, pod, port, request, connection.sourceIp, signal, trace, depth);
  } catch (error) {
    if (isAbort(error)) return { kind: 'failure', failure: 'reset' };
    throw error;
  }
}
