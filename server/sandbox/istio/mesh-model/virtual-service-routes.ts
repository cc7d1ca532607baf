// VirtualService `http` rules → Envoy routes, as istiod translates them (pilot/pkg/networking/
// core/route): one route per match (a rule without matches matches everything), weighted
// destinations named by cluster, fault, timeout, retries (Istio's default policy when unset),
// rewrite, redirect, direct response, mirrors and header operations. Matches scoped to other
// gateways or source labels are dropped for this proxy.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { durationMs } from './duration.ts';
import { metaOf } from './mesh-snapshot.ts';
import type { FaultInjection, HeaderMatch, HeaderMutation, HeaderOperations, Mirror, Route, RouteAction, RouteMatch, RetryPolicy, StringMatch, WeightedCluster } from './proxy-config.ts';
import { resolveShortName, type ServiceRegistry } from './service-registry.ts';

/** Istio's retry policy for routes that do not set `retries` (pilot/pkg/networking/core/route/retry). */
export function defaultRetryPolicy(): RetryPolicy {
  return { attempts: 2, retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'], retriableStatusCodes: [503] };
}

export function emptyHeaderOperations(): HeaderOperations {
  return { request: { set: {}, add: {}, remove: [] }, response: { set: {}, add: {}, remove: [] } };
}

export function outboundClusterName(port: number, subset: string, host: string): string {
  return `outbound|${port}|${subset}|${host}`;
}

export interface RouteContext {
  registry: ServiceRegistry;
  /** Labels of the proxy's workload, for `sourceLabels`. */
  proxyLabels: Readonly<Record<string, string>>;
  proxyNamespace: string;
  /** Gateways this proxy implements as `namespace/name`, or `mesh` for sidecars. */
  gateways: readonly string[];
  /** The port the listener serves, used when a destination has no port and the service has several. */
  listenerPort: number;
}

function stringMatch(value: unknown): StringMatch | undefined {
  const m = asObject(value);
  if (typeof m.exact === 'string') return { kind: 'exact', value: m.exact };
  if (typeof m.prefix === 'string') return { kind: 'prefix', value: m.prefix };
  if (typeof m.regex === 'string') return { kind: 'regex', value: m.regex };
  if (Object.keys(m).length === 0 && value !== undefined) return { kind: 'present' };
  return undefined;
}

function headerMatches(value: unknown, invert: boolean): HeaderMatch[] {
  return Object.entries(asObject(value)).flatMap(([name, raw]) => {
    const match = stringMatch(raw);
    return match === undefined ? [] : [{ name: name.toLowerCase(), match, invert }];
  });
}

function headerMutation(value: unknown): HeaderMutation {
  const v = asObject(value);
  const strings = (o: unknown): Record<string, string> => Object.fromEntries(Object.entries(asObject(o)).map(([k, x]) => [k.toLowerCase(), String(x)]));
  return { set: strings(v.set), add: strings(v.add), remove: asArray(v.remove).map((x) => String(x).toLowerCase()) };
}

export function headerOperations(value: unknown): HeaderOperations {
  const v = asObject(value);
  return { request: headerMutation(v.request), response: headerMutation(v.response) };
}

function percentage(value: unknown, fallback = 100): number {
  const v = asObject(value).value;
  return typeof v === 'number' ? v : fallback;
}

function fault(value: unknown): FaultInjection | undefined {
  const f = asObject(value);
  const out: FaultInjection = {};
  const delay = asObject(f.delay);
  const fixed = durationMs(delay.fixedDelay);
  if (fixed !== undefined) out.delay = { fixedDelayMs: fixed, percentage: percentage(delay.percentage, typeof delay.percent === 'number' ? delay.percent : 100) };
  const abort = asObject(f.abort);
  if (typeof abort.httpStatus === 'number') out.abort = { httpStatus: abort.httpStatus, percentage: percentage(abort.percentage) };
  return out.delay === undefined && out.abort === undefined ? undefined : out;
}

function retries(value: unknown): RetryPolicy {
  if (value === undefined) return defaultRetryPolicy();
  const r = asObject(value);
  const attempts = typeof r.attempts === 'number' ? r.attempts : 2;
  if (attempts === 0) return { attempts: 0, retryOn: [], retriableStatusCodes: [] };
  const retryOn: string[] = [];
  const codes: number[] = [];
  for (const part of (asString(r.retryOn) ?? 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes').split(',')) {
    const item = part.trim();
    if (/^\d+$/.test(item)) codes.push(Number(item));
    else if (item !== '') retryOn.push(item);
  }
  if (codes.length > 0 && !retryOn.includes('retriable-status-codes')) retryOn.push('retriable-status-codes');
  const policy: RetryPolicy = { attempts, retryOn, retriableStatusCodes: codes.length > 0 ? codes : [503] };
  const perTry = durationMs(r.perTryTimeout);
  if (perTry !== undefined) policy.perTryTimeoutMs = perTry;
  return policy;
}

/** The port a destination means: explicit, the service's only port, or the listener's. */
export function destinationPort(registry: ServiceRegistry, host: string, explicit: unknown, listenerPort: number): number {
  if (typeof explicit === 'number') return explicit;
  const service = registry.byHostname(host);
  if (service !== undefined && service.ports.length === 1) return (service.ports[0] as { port: number }).port;
  return listenerPort;
}

function destination(value: unknown, vsNamespace: string, context: RouteContext): { host: string; port: number; subset: string; cluster: string } {
  const d = asObject(value);
  const host = resolveShortName(asString(d.host) ?? '', vsNamespace);
  const port = destinationPort(context.registry, host, asObject(d.port).number, context.listenerPort);
  const subset = asString(d.subset) ?? '';
  return { host, port, subset, cluster: outboundClusterName(port, subset, host) };
}

function matchApplies(match: JsonObject, vsNamespace: string, context: RouteContext): boolean {
  const gateways = asArray(match.gateways).map(String);
  if (gateways.length > 0 && !gateways.some((g) => context.gateways.includes(g === 'mesh' ? 'mesh' : g.includes('/') ? g : `${vsNamespace}/${g}`))) return false;
  const sourceLabels = asObject(match.sourceLabels);
  if (Object.keys(sourceLabels).length > 0 && !labelSelectorMatches({ matchLabels: sourceLabels }, context.proxyLabels)) return false;
  const sourceNamespace = asString(match.sourceNamespace);
  if (sourceNamespace !== undefined && sourceNamespace !== context.proxyNamespace) return false;
  if (typeof match.port === 'number' && match.port !== context.listenerPort) return false;
  return true;
}

function routeMatch(match: JsonObject): RouteMatch {
  const out: RouteMatch = {
    path: stringMatch(match.uri) ?? { kind: 'prefix', value: '/' },
    ignoreCase: match.ignoreUriCase === true,
    headers: [...headerMatches(match.headers, false), ...headerMatches(match.withoutHeaders, true)],
    queryParams: headerMatches(match.queryParams, false),
  };
  const method = stringMatch(match.method);
  if (method !== undefined) out.method = method;
  const authority = stringMatch(match.authority);
  if (authority !== undefined) out.authority = authority;
  return out;
}

function action(rule: JsonObject, vsNamespace: string, context: RouteContext): RouteAction {
  const redirect = asObject(rule.redirect);
  if (Object.keys(redirect).length > 0) {
    const r: RouteAction = { kind: 'redirect', redirect: { status: typeof redirect.redirectCode === 'number' ? redirect.redirectCode : 301 } };
    if (typeof redirect.uri === 'string') r.redirect.uri = redirect.uri;
    if (typeof redirect.authority === 'string') r.redirect.authority = redirect.authority;
    if (typeof redirect.scheme === 'string') r.redirect.scheme = redirect.scheme;
    if (typeof redirect.port === 'number') r.redirect.port = redirect.port;
    return r;
  }
  const direct = asObject(rule.directResponse);
  if (typeof direct.status === 'number') return { kind: 'direct-response', status: direct.status, body: asString(asObject(direct.body).string) ?? '' };
  const routes = asArray(rule.route).map(asObject);
  const clusters: WeightedCluster[] = routes.map((r) => {
    const d = destination(r.destination, vsNamespace, context);
    const wc: WeightedCluster = { cluster: d.cluster, weight: typeof r.weight === 'number' ? r.weight : routes.length === 1 ? 100 : 0, host: d.host, port: d.port };
    if (d.subset !== '') wc.subset = d.subset;
    if (r.headers !== undefined) wc.headers = headerOperations(r.headers);
    return wc;
  });
  const mirrors: Mirror[] = [];
  const addMirror = (dest: unknown, pct: unknown): void => {
    const d = destination(dest, vsNamespace, context);
    const m: Mirror = { cluster: d.cluster, host: d.host, port: d.port, percentage: percentage(pct) };
    if (d.subset !== '') m.subset = d.subset;
    mirrors.push(m);
  };
  if (rule.mirror !== undefined) addMirror(rule.mirror, rule.mirrorPercentage);
  for (const m of asArray(rule.mirrors)) addMirror(asObject(m).destination, asObject(m).percentage);
  const result: RouteAction = { kind: 'route', clusters, retries: retries(rule.retries), mirrors };
  const timeout = durationMs(rule.timeout);
  if (timeout !== undefined && timeout > 0) result.timeoutMs = timeout;
  const rewrite = asObject(rule.rewrite);
  if (Object.keys(rewrite).length > 0 && result.kind === 'route') {
    result.rewrite = {};
    if (typeof rewrite.uri === 'string') result.rewrite.uri = rewrite.uri;
    if (typeof rewrite.authority === 'string') result.rewrite.authority = rewrite.authority;
    const regex = asObject(rewrite.uriRegexRewrite);
    if (typeof regex.match === 'string') result.rewrite.uriRegex = { match: regex.match, rewrite: asString(regex.rewrite) ?? '' };
  }
  return result;
}

/** Routes for one VirtualService on one proxy/listener; empty when none of its rules apply. */
export function virtualServiceRoutes(virtualService: JsonObject, context: RouteContext): Route[] {
  const meta = metaOf(virtualService);
  const routes: Route[] = [];
  for (const rawRule of asArray(asObject(virtualService.spec).http)) {
    const rule = asObject(rawRule);
    const rawMatches = asArray(rule.match).map(asObject);
    const matches = rawMatches.length === 0 ? [{}] : rawMatches.filter((m) => matchApplies(m, meta.namespace, context));
    const ruleAction = action(rule, meta.namespace, context);
    const ruleFault = fault(rule.fault);
    const headers = headerOperations(rule.headers);
    for (const match of matches) {
      const route: Route = {
        name: asString(rule.name) ?? asString(match.name) ?? '',
        match: routeMatch(match),
        action: ruleAction,
        headers,
        source: { kind: 'VirtualService', name: meta.name, namespace: meta.namespace },
      };
      if (ruleFault !== undefined) route.fault = ruleFault;
      routes.push(route);
    }
  }
  return routes;
}

/** The route istiod generates for a service port without any VirtualService. */
export function defaultRoute(cluster: string, host: string, port: number): Route {
  return {
    name: 'default',
    match: { path: { kind: 'prefix', value: '/' }, ignoreCase: false, headers: [], queryParams: [] },
    action: { kind: 'route', clusters: [{ cluster, weight: 100, host, port }], retries: defaultRetryPolicy(), mirrors: [] },
    headers: emptyHeaderOperations(),
    source: { kind: 'default', name: '', namespace: '' },
  };
}
