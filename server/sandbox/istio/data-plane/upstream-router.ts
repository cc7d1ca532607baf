// Envoy's router filter for one matched route: fault injection (delay, then abort, each with
// its percentage), direct responses and redirects, the weighted cluster pick, rewrites and
// header operations, then tries against healthy endpoints with Istio's retry policy (retry_on
// conditions, previous-hosts predicate, jittered 25 ms backoff), per-try and route timeouts.
// The connection itself is the caller's: `connect` delivers one try to one endpoint.
import type { Rng } from '../../core/rng.ts';
import type { EndpointPicker } from '../../network/endpoint-picker.ts';
import { clientUsesMtls } from '../mesh-model/build-clusters.ts';
import type { Cluster, Endpoint, ProxyConfig, Route, RouteAction, WeightedCluster } from '../mesh-model/proxy-config.ts';
import { applyHeaderMutation, type Headers } from './envoy-headers.ts';
import { untilAborted } from './until-aborted.ts';
import { envoyResponses, type HttpResponse, type LocalReply } from './envoy-responses.ts';

export interface RouterRequest {
  method: string;
  path: string;
  host: string;
  headers: Headers;
  body: string;
}

export type TryOutcome =
  | { kind: 'response'; response: HttpResponse }
  /**
   * `refused`: nothing accepted the connection; `reset`: it was reset before a response;
   * `unreachable`: nobody answered the SYN; `closed`: accepted, then closed without a byte;
   * `overflow`: the client proxy's circuit breaker refused the request (no connection tried).
   * `handshake`: the connection ended while a TLS client was still in its handshake.
   */
  | { kind: 'failure'; failure: 'refused' | 'reset' | 'unreachable' | 'closed' | 'overflow'; handshake?: boolean };

export interface TryTarget {
  cluster: Cluster;
  endpoint: Endpoint;
  mtls: boolean;
  attempt: number;
}

export interface RouterDeps {
  rng: Rng;
  picker: EndpointPicker;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now(): number;
  connect(target: TryTarget, request: RouterRequest, signal: AbortSignal): Promise<TryOutcome>;
  /** Told as soon as a fault acts, before its delay has passed (the caller may give up meanwhile). */
  onFault?(fault: string): void;
  /** Told after each try: where it went and how it ended (`200`, `503`, `timeout`, `refused`, …). */
  onTry?(target: TryTarget, result: string): void;
  /** Whether outlier detection has ejected the endpoint from the cluster for now. */
  ejected?(cluster: Cluster, endpoint: Endpoint): boolean;
  /** The address the client dialled: the one endpoint of an ORIGINAL_DST cluster (ServiceEntry resolution NONE). */
  originalDestination?: { ip: string; port: number };
}

export interface RouterResult {
  response: HttpResponse;
  flags: string;
  details: string;
  /** The cluster chosen (also when it failed), for the access log and the trace. */
  cluster?: string;
  subset?: string;
  endpoint?: Endpoint;
  mtls?: boolean;
  attempts: number;
  fault?: 'delay' | 'abort';
  faultDelayMs?: number;
  timedOut?: boolean;
  upstreamServiceTimeMs?: number;
  /** The request as sent upstream (after rewrites), for access logs' authority and path. */
  sent?: RouterRequest;
}

/** Upstream connect timeout Istio gives clusters (DestinationRule connectionPool.tcp.connectTimeout default). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Connection failure after an unanswered SYN: Envoy gives up at its connect timeout. */
export const UNREACHABLE_DELAY_MS = CONNECT_TIMEOUT_MS;

function percentHit(rng: Rng, percentage: number): boolean {
  if (percentage >= 100) return true;
  if (percentage <= 0) return false;
  return rng.next() * 100 < percentage;
}

function pickWeighted(rng: Rng, clusters: readonly WeightedCluster[]): WeightedCluster | undefined {
  const total = clusters.reduce((sum, c) => sum + Math.max(0, c.weight), 0);
  if (total <= 0) return clusters[0];
  let r = rng.next() * total;
  for (const c of clusters) {
    r -= Math.max(0, c.weight);
    if (r < 0) return c;
  }
  return clusters[clusters.length - 1];
}

function rewritePath(route: Route, action: Extract<RouteAction, { kind: 'route' }>, path: string): string {
  const rewrite = action.rewrite;
  if (rewrite === undefined) return path;
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  const query = q < 0 ? '' : path.slice(q);
  if (rewrite.replaceFullPath !== undefined) return rewrite.replaceFullPath + query;
  if (rewrite.uriRegex !== undefined) {
    try {
      return bare.replace(new RegExp(rewrite.uriRegex.match, 'g'), rewrite.uriRegex.rewrite) + query;
    } catch {
      return path;
    }
  }
  const replacement = rewrite.replacePrefix ?? rewrite.uri;
  if (replacement === undefined) return path;
  const match = route.match.path;
  if (match.kind === 'prefix' || match.kind === 'pathPrefix') {
    const rest = bare.slice(match.value.length);
    // Gateway API prefix replacement keeps exactly one slash between the parts.
    if (rewrite.replacePrefix !== undefined) return (replacement.replace(/\/$/, '') + (rest.startsWith('/') || rest === '' ? rest : `/${rest}`) || '/') + query;
    return replacement + rest + query;
  }
  return replacement + query;
}

function retryable(retryOn: readonly string[], codes: readonly number[], outcome: TryOutcome): boolean {
  if (outcome.kind === 'failure') {
    // Envoy never retries a circuit-breaker overflow: retrying would only add load.
    if (outcome.failure === 'overflow') return false;
    if (retryOn.includes('5xx') || retryOn.includes('gateway-error')) return true;
    if (outcome.failure === 'reset' || outcome.failure === 'closed') return retryOn.includes('reset');
    return retryOn.includes('connect-failure');
  }
  const status = outcome.response.status;
  if (retryOn.includes('5xx') && status >= 500) return true;
  if (retryOn.includes('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
  if (retryOn.includes('retriable-status-codes') && codes.includes(status)) return true;
  return false;
}

function lbPolicy(cluster: Cluster): 'ROUND_ROBIN' | 'RANDOM' {
  const simple = cluster.trafficPolicy.loadBalancer?.simple;
  return simple === 'ROUND_ROBIN' ? 'ROUND_ROBIN' : 'RANDOM';
}

/** Races `work` against a timer; resolves `timeout` when the timer wins. */
async function withTimeout<T>(deps: RouterDeps, work: Promise<T>, ms: number | undefined, signal: AbortSignal): Promise<T | 'timeout'> {
  if (ms === undefined || ms <= 0) return work;
  const timer = new AbortController();
  const onAbort = (): void => timer.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const expiry = deps.sleep(ms, timer.signal).then(
    () => 'timeout' as const,
    () => new Promise<never>(() => undefined),
  );
  try {
    return await Promise.race([work, expiry]);
  } finally {
    timer.abort();
    signal.removeEventListener('abort', onAbort);
  }
}

export async function routeUpstream(config: ProxyConfig, route: Route, request: RouterRequest, deps: RouterDeps, signal: AbortSignal): Promise<RouterResult> {
  let faultDelayMs: number | undefined;
  const delay = route.fault?.delay;
  if (delay !== undefined && percentHit(deps.rng, delay.percentage)) {
    faultDelayMs = delay.fixedDelayMs;
    deps.onFault?.(`delay ${delay.fixedDelayMs} ms`);
    await deps.sleep(delay.fixedDelayMs, signal);
  }
  const abort = route.fault?.abort;
  if (abort !== undefined && percentHit(deps.rng, abort.percentage)) {
    const reply = envoyResponses.faultAbort(abort.httpStatus);
    deps.onFault?.(`abort ${abort.httpStatus}`);
    return { response: reply.response, flags: faultDelayMs === undefined ? reply.flags : 'DI,FI', details: reply.details, attempts: 0, fault: 'abort', ...(faultDelayMs === undefined ? {} : { faultDelayMs }) };
  }
  const delayFlag = faultDelayMs === undefined ? undefined : 'DI';
  const action = route.action;
  if (action.kind === 'direct-response') return { ...fromReply(envoyResponses.directResponse(action.status, action.body), delayFlag), attempts: 0 };
  if (action.kind === 'redirect') {
    const r = action.redirect;
    const authority = r.authority ?? request.host;
    const port = r.port === undefined ? '' : `:${r.port}`;
    const location = `${r.scheme ?? 'http'}://${authority.replace(/:\d+$/, '')}${port || (authority.match(/:\d+$/)?.[0] ?? '')}${r.uri ?? request.path}`;
    return { response: { status: r.status, headers: { location }, body: '' }, flags: delayFlag ?? '-', details: 'direct_response', attempts: 0 };
  }
  const weighted = pickWeighted(deps.rng, action.clusters);
  if (weighted === undefined) return { ...fromReply(envoyResponses.noCluster(), delayFlag), attempts: 0 };
  const cluster = config.clusters.find((c) => c.name === weighted.cluster);
  const base = { cluster: weighted.cluster, ...(weighted.subset === undefined ? {} : { subset: weighted.subset }), ...(faultDelayMs === undefined ? {} : { faultDelayMs, fault: 'delay' as const }) };
  if (cluster === undefined) return { ...fromReply(envoyResponses.noCluster(), delayFlag), attempts: 0, ...base };
  // Istio disables Envoy's panic threshold: with every endpoint ejected there is no healthy upstream.
  const configured = config.endpoints.find((g) => g.cluster === cluster.name)?.endpoints ?? [];
  const original = deps.originalDestination;
  // An ORIGINAL_DST cluster without endpoints forwards to wherever the client connected.
  const candidates = cluster.type === 'ORIGINAL_DST' && configured.length === 0 && original !== undefined ? [{ address: original.ip, port: original.port, labels: {}, healthy: true, hasSidecar: false, autoMtls: false }] : configured;
  const healthy = candidates.filter((e) => e.healthy && deps.ejected?.(cluster, e) !== true);
  if (healthy.length === 0) return { ...fromReply(envoyResponses.noHealthyUpstream(), delayFlag), attempts: 0, ...base };

  let headers = applyHeaderMutation(request.headers, route.headers.request);
  if (weighted.headers !== undefined) headers = applyHeaderMutation(headers, weighted.headers.request);
  const path = rewritePath(route, action, request.path);
  if (path !== request.path) headers['x-envoy-original-path'] = request.path;
  const host = action.rewrite?.authority ?? request.host;
  const sent: RouterRequest = { method: request.method, path, host, headers, body: request.body };

  for (const mirror of action.mirrors) {
    const mirrorCluster = config.clusters.find((c) => c.name === mirror.cluster);
    const mirrorEndpoints = (config.endpoints.find((g) => g.cluster === mirror.cluster)?.endpoints ?? []).filter((e) => e.healthy);
    const endpoint = deps.picker.pick(mirror.cluster, mirrorEndpoints, 'RANDOM');
    if (mirrorCluster !== undefined && endpoint !== undefined && percentHit(deps.rng, mirror.percentage)) {
      // Shadowed requests are fire-and-forget: Envoy appends -shadow to the authority and drops the answer.
      const shadow = { ...sent, host: `${host.replace(/:\d+$/, '')}-shadow${host.match(/:\d+$/)?.[0] ?? ''}` };
      void deps.connect({ cluster: mirrorCluster, endpoint, mtls: clientUsesMtls(mirrorCluster, endpoint), attempt: 1 }, shadow, new AbortController().signal).catch(() => undefined);
    }
  }

  const retries = action.retries;
  const maxTries = 1 + Math.max(0, retries.attempts);
  const tried = new Set<string>();
  const routeTimer = new AbortController();
  const onAbort = (): void => routeTimer.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let attempts = 0;
  let last: { outcome: TryOutcome; target: TryTarget } | undefined;
  let upstreamStart = deps.now();
  const loop = async (): Promise<void> => {
    for (let attempt = 1; attempt <= maxTries; attempt++) {
      if (routeTimer.signal.aborted) return;
      const fresh = healthy.filter((e) => !tried.has(`${e.address}:${e.port}`));
      const endpoint = deps.picker.pick(cluster.name, fresh.length > 0 ? fresh : healthy, lbPolicy(cluster));
      if (endpoint === undefined) return;
      tried.add(`${endpoint.address}:${endpoint.port}`);
      attempts = attempt;
      const target: TryTarget = { cluster, endpoint, mtls: clientUsesMtls(cluster, endpoint), attempt };
      const tryAbort = new AbortController();
      const relay = (): void => tryAbort.abort();
      routeTimer.signal.addEventListener('abort', relay, { once: true });
      upstreamStart = deps.now();
      const tryHeaders = { ...sent.headers, 'x-envoy-attempt-count': String(attempt) };
      const result = await withTimeout(deps, deps.connect(target, { ...sent, headers: tryHeaders }, tryAbort.signal), retries.perTryTimeoutMs, routeTimer.signal);
      routeTimer.signal.removeEventListener('abort', relay);
      // The route timeout (or the downstream) already ended this request: nothing more to do.
      if (routeTimer.signal.aborted) return;
      deps.onTry?.(target, result === 'timeout' ? 'per-try timeout' : result.kind === 'response' ? String(result.response.status) : result.failure);
      if (result === 'timeout') {
        tryAbort.abort();
        last = { outcome: { kind: 'response', response: envoyResponses.upstreamTimeout().response }, target };
        if (attempt < maxTries && (retries.retryOn.includes('5xx') || retries.retryOn.includes('gateway-error'))) continue;
        return;
      }
      last = { outcome: result, target };
      if (attempt < maxTries && retryable(retries.retryOn, retries.retriableStatusCodes, result)) {
        // Envoy's default backoff: full jitter over 25 ms doubling per retry.
        await deps.sleep(Math.floor(deps.rng.next() * 25 * 2 ** (attempt - 1)), routeTimer.signal).catch(() => undefined);
        continue;
      }
      return;
    }
  };
  let outcome: Awaited<ReturnType<typeof loop>> | 'timeout';
  try {
    outcome = await untilAborted(withTimeout(deps, loop(), action.timeoutMs, signal), signal);
  } catch (error) {
    routeTimer.abort();
    signal.removeEventListener('abort', onAbort);
    throw error;
  }
  routeTimer.abort();
  signal.removeEventListener('abort', onAbort);
  const common = { ...base, attempts, sent, ...(last === undefined ? {} : { endpoint: last.target.endpoint, mtls: last.target.mtls }) };
  if (outcome === 'timeout') return { ...fromReply(envoyResponses.upstreamTimeout(), delayFlag), ...common, timedOut: true };
  if (last === undefined) return { ...fromReply(envoyResponses.noHealthyUpstream(), delayFlag), ...common };
  if (last.outcome.kind === 'failure') {
    const failure = last.outcome.failure;
    const reply = envoyResponses.upstreamFailure(failure === 'overflow' ? 'overflow' : failure === 'reset' || failure === 'closed' ? 'connection-termination' : 'connect-failure', attempts > 1);
    // An overflow never got a connection: Envoy logs no upstream host for it.
    if (failure === 'overflow') return { ...fromReply(reply, delayFlag), ...base, attempts, sent };
    return { ...fromReply(reply, delayFlag), ...common };
  }
  const upstream = last.outcome.response;
  const serviceTime = deps.now() - upstreamStart;
  let responseHeaders: Headers = { ...upstream.headers };
  responseHeaders = applyHeaderMutation(responseHeaders, route.headers.response);
  if (weighted.headers !== undefined) responseHeaders = applyHeaderMutation(responseHeaders, weighted.headers.response);
  const isPerTryTimeout = upstream.body === 'upstream request timeout' && upstream.status === 504 && upstream.headers['x-envoy-upstream-service-time'] === undefined;
  // The last try still asked for a retry but none was left: Envoy flags URX.
  const exhausted = attempts === maxTries && maxTries > 1 && retryable(retries.retryOn, retries.retriableStatusCodes, last.outcome);
  const flags = [delayFlag, isPerTryTimeout ? 'UT' : undefined, exhausted ? 'URX' : undefined].filter((f) => f !== undefined).join(',') || '-';
  return {
    response: { status: upstream.status, headers: responseHeaders, body: upstream.body },
    flags,
    details: isPerTryTimeout ? 'upstream_per_try_timeout' : 'via_upstream',
    ...common,
    upstreamServiceTimeMs: serviceTime,
  };
}

function fromReply(reply: LocalReply, extraFlag?: string): { response: HttpResponse; flags: string; details: string } {
  const flags = extraFlag === undefined ? reply.flags : reply.flags === '-' ? extraFlag : extraFlag.includes(reply.flags) ? extraFlag : `${reply.flags},${extraFlag}`;
  return { response: reply.response, flags, details: reply.details };
}
