// The app container answering one request: the container listening on the port runs the
// handler its image names, on the sandbox clock; its own upstream calls start a new client
// request from the same pod (so they leave through the pod's sidecar).
import type { AppContext, AppRequest } from '../../apps/app-handler.ts';
import { AppNetworkError } from '../../apps/app-network-error.ts';
import type { NetworkPod } from '../../network/cluster-network.ts';
import type { TraceRecorder } from './request-trace.ts';
import type { RouterRequest, TryOutcome } from './upstream-router.ts';
import { toHeaders, isAbort, type PlaneContext, type World } from './plane-context.ts';

export async function callApp(ctx: PlaneContext, w: World, pod: NetworkPod, port: number, request: RouterRequest, remoteAddress: string, signal: AbortSignal, trace: TraceRecorder, depth: number): Promise<TryOutcome> {
  const listener = ctx.podApps.listener(pod, port);
  const hop = trace.begin({ depth, kind: 'app', at: `${pod.name}.${pod.namespace}` });
  if (listener === undefined) {
    hop.endMs = ctx.clock.now();
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
    clock: ctx.appClock,
    remoteAddress,
    signal,
    upstream: async (upstream) => {
      const result = await ctx.clientRequest(w, { pod, namespace: pod.namespace, ip: pod.ip }, {
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
      const list = ctx.appLogs.get(key) ?? [];
      list.push(entry);
      if (list.length > 1000) list.shift();
      ctx.appLogs.set(key, list);
    },
  };
  const appRequest: AppRequest = { method: request.method, path: request.path, headers: { ...request.headers, host: request.host }, body: request.body };
  try {
    const response = await listener.handler(appRequest, context);
    hop.endMs = ctx.clock.now();
    hop.status = response.status;
    return { kind: 'response', response: { status: response.status, headers: toHeaders(response.headers), body: response.body } };
  } catch (error) {
    hop.endMs = ctx.clock.now();
    if (error instanceof AppNetworkError && error.code === 'ECONNREFUSED') {
      hop.note = `connection refused by ${listener.container.name}`;
      return { kind: 'failure', failure: 'refused' };
    }
    hop.note = isAbort(error) ? 'the caller went away' : `the app failed: ${error instanceof Error ? error.message : String(error)}`;
    return { kind: 'failure', failure: 'reset' };
  }
}
