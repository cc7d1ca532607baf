// A client (pod or workstation) sending one request: DNS from its namespace, then its sidecar,
// its own containers (localhost) or a direct connection; failures become NetworkErrors.
import { resolveHost } from '../../network/dns-resolver.ts';
import { NetworkError } from '../../network/network-error.ts';
import type { Headers } from './envoy-headers.ts';
import type { HttpResponse } from './envoy-responses.ts';
import type { TraceRecorder } from './request-trace.ts';
import type { RouterRequest, TryOutcome } from './upstream-router.ts';
import { isAbort, type PlaneContext, type World, type Source } from './plane-context.ts';

export async function clientRequest(ctx: PlaneContext, 
  w: World,
  source: Source,
  request: { method: string; url: string; headers: Headers; body: string; signal?: AbortSignal; connectTimeoutMs?: number; progress?: { connected: boolean } },
  trace: TraceRecorder,
  depth: number,
): Promise<{ response?: HttpResponse; error?: NetworkError }> {
  const start = ctx.clock.now();
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(request.url) ? request.url : `http://${request.url}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const path = `${url.pathname}${url.search}`;
  const fail = (code: NetworkError['code'], phase: 'resolve' | 'connect' | 'transfer'): { error: NetworkError } => ({ error: new NetworkError(code, { host, port, phase, elapsedMs: ctx.clock.now() - start }) });
  const dns = trace.begin({ depth, kind: 'dns', at: source.pod === undefined ? 'client' : `${source.pod.name}.${source.pod.namespace}`, note: host });
  const answer = resolveHost(w.network, host, source.namespace);
  dns.endMs = ctx.clock.now();
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
    outcome = await ctx.connectFrom(w, source, ip, port, routed, signal, trace, depth, request.connectTimeoutMs, progress, url.protocol === 'https:');
  } catch (error) {
    // The caller gave up (its timeout or signal) while a proxy was still waiting.
    if (!isAbort(error)) throw error;
    outcome = { kind: 'failure', failure: 'reset' };
  }
  if (outcome.kind === 'response') return { response: outcome.response };
  if (outcome.failure === 'refused') return fail('ECONNREFUSED', 'connect');
  if (outcome.failure === 'unreachable') return { error: new NetworkError('ETIMEDOUT', { host, port, phase: 'connect', elapsedMs: ctx.clock.now() - start, timeout: request.connectTimeoutMs === undefined ? 'system' : 'connect' }) };
  if (outcome.failure === 'closed') return fail('EMPTY_REPLY', 'transfer');
  if (outcome.handshake === true && url.protocol === 'https:') return { error: new NetworkError('ECONNRESET', { host, port, phase: 'connect', elapsedMs: ctx.clock.now() - start, tlsHandshake: true }) };
  return fail('ECONNRESET', 'transfer');
}

export async function connectFrom(ctx: PlaneContext, w: World, source: Source, ip: string, port: number, routed: RouterRequest, signal: AbortSignal, trace: TraceRecorder, depth: number, connectTimeoutMs: number | undefined, progress: { connected: boolean }, clientTls: boolean): Promise<TryOutcome> {
  const loopback = ip === '127.0.0.1' || (source.pod !== undefined && ip === source.pod.ip);
  const proxy = source.pod === undefined ? undefined : ctx.proxyOf(w, source.pod);
  // With a sidecar the client's connection is to its own Envoy, which always accepts it.
  if (proxy !== undefined && !loopback) progress.connected = true;
  if (loopback && source.pod !== undefined) return ctx.callApp(w, source.pod, port, routed, '127.0.0.1', signal, trace, depth);
  if (loopback) return { kind: 'failure', failure: 'refused' };
  if (proxy !== undefined && proxy.proxy.type === 'sidecar' && source.pod !== undefined) return ctx.sidecarOutbound(w, source.pod, proxy, ip, port, routed, source, signal, trace, depth);
  return ctx.directConnect(w, source, ip, port, routed, signal, trace, depth, connectTimeoutMs, progress, clientTls);
}
