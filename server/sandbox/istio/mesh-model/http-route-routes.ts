// Gateway API HTTPRoute rules → Envoy routes, as Istio's gateway controller converts them:
// one route per match (no matches = PathPrefix `/`), weighted backendRefs (weight 1 by
// default), filters (header modifiers, redirect, URL rewrite, mirror), `timeouts.request`, and
// HTTP 500 for backends that do not resolve. Routes of all HTTPRoutes attached to one host are
// ordered by the Gateway API precedence rules.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { durationMs } from './duration.ts';
import { KINDS, metaOf, type MeshSnapshot } from './mesh-snapshot.ts';
import type { HeaderMatch, HeaderMutation, Mirror, PathMatch, Route, RouteAction, RouteMatch, StringMatch, WeightedCluster } from './proxy-config.ts';
import { serviceFqdn, type ServiceRegistry } from './service-registry.ts';
import { defaultRetryPolicy, emptyHeaderOperations, outboundClusterName } from './virtual-service-routes.ts';

export interface HttpRouteContext {
  snapshot: MeshSnapshot;
  registry: ServiceRegistry;
}

function stringMatch(type: unknown, value: unknown): StringMatch {
  const v = String(value ?? '');
  return type === 'RegularExpression' ? { kind: 'regex', value: v } : { kind: 'exact', value: v };
}

function pathMatch(path: JsonObject): PathMatch {
  const type = asString(path.type) ?? 'PathPrefix';
  const value = asString(path.value) ?? '/';
  if (type === 'Exact') return { kind: 'exact', value };
  if (type === 'RegularExpression') return { kind: 'regex', value };
  return value === '/' ? { kind: 'prefix', value: '/' } : { kind: 'pathPrefix', value: value.replace(/\/$/, '') };
}

function namedMatches(list: unknown): HeaderMatch[] {
  return asArray(list).map((raw) => {
    const h = asObject(raw);
    return { name: String(h.name ?? '').toLowerCase(), match: stringMatch(h.type, h.value), invert: false };
  });
}

function routeMatch(match: JsonObject): RouteMatch {
  const out: RouteMatch = {
    path: pathMatch(asObject(match.path)),
    ignoreCase: false,
    headers: namedMatches(match.headers),
    queryParams: namedMatches(match.queryParams),
  };
  if (typeof match.method === 'string') out.method = { kind: 'exact', value: match.method };
  return out;
}

function mutation(filter: unknown): HeaderMutation {
  const f = asObject(filter);
  const pairs = (list: unknown): Record<string, string> => Object.fromEntries(asArray(list).map((x) => [String(asObject(x).name ?? '').toLowerCase(), String(asObject(x).value ?? '')]));
  return { set: pairs(f.set), add: pairs(f.add), remove: asArray(f.remove).map((x) => String(x).toLowerCase()) };
}

/** Whether a ReferenceGrant in `toNamespace` lets HTTPRoutes in `fromNamespace` use Services there. */
function referenceGranted(snapshot: MeshSnapshot, fromNamespace: string, toNamespace: string, serviceName: string): boolean {
  return snapshot.list(KINDS.referenceGrant).some((grant) => {
    if (metaOf(grant).namespace !== toNamespace) return false;
    const spec = asObject(grant.spec);
    const from = asArray(spec.from).map(asObject).some((f) => f.kind === 'HTTPRoute' && f.namespace === fromNamespace);
    const to = asArray(spec.to).map(asObject).some((t) => (t.kind ?? 'Service') === 'Service' && (t.name === undefined || t.name === serviceName));
    return from && to;
  });
}

interface Backend {
  host: string;
  port: number;
  cluster: string;
  valid: boolean;
}

function backend(ref: JsonObject, routeNamespace: string, context: HttpRouteContext): Backend {
  const kind = asString(ref.kind) ?? 'Service';
  const port = Number(ref.port ?? 0);
  if (kind === 'Hostname' || (kind === 'ServiceEntry' && ref.group === 'networking.istio.io')) {
    const host = String(ref.name ?? '');
    return { host, port, cluster: outboundClusterName(port, '', host), valid: context.registry.byHostname(host) !== undefined };
  }
  const name = String(ref.name ?? '');
  const namespace = asString(ref.namespace) ?? routeNamespace;
  const host = serviceFqdn(name, namespace);
  const service = context.registry.byHostname(host);
  const granted = namespace === routeNamespace || referenceGranted(context.snapshot, routeNamespace, namespace, name);
  const valid = kind === 'Service' && service !== undefined && granted && service.ports.some((p) => p.port === port);
  return { host, port, cluster: outboundClusterName(port, '', host), valid };
}

function ruleAction(rule: JsonObject, routeNamespace: string, context: HttpRouteContext): { action: RouteAction; headers: ReturnType<typeof emptyHeaderOperations> } {
  const headers = emptyHeaderOperations();
  const mirrors: Mirror[] = [];
  let redirect: RouteAction | undefined;
  let rewrite: { uri?: string; authority?: string; replacePrefix?: string; replaceFullPath?: string } | undefined;
  for (const raw of asArray(rule.filters)) {
    const filter = asObject(raw);
    switch (filter.type) {
      case 'RequestHeaderModifier':
        headers.request = mutation(filter.requestHeaderModifier);
        break;
      case 'ResponseHeaderModifier':
        headers.response = mutation(filter.responseHeaderModifier);
        break;
      case 'RequestRedirect': {
        const r = asObject(filter.requestRedirect);
        const path = asObject(r.path);
        const red: RouteAction = { kind: 'redirect', redirect: { status: typeof r.statusCode === 'number' ? r.statusCode : 302 } };
        if (typeof r.scheme === 'string') red.redirect.scheme = r.scheme;
        if (typeof r.hostname === 'string') red.redirect.authority = r.hostname;
        if (typeof r.port === 'number') red.redirect.port = r.port;
        if (path.type === 'ReplaceFullPath' && typeof path.replaceFullPath === 'string') red.redirect.uri = path.replaceFullPath;
        if (path.type === 'ReplacePrefixMatch' && typeof path.replacePrefixMatch === 'string') red.redirect.replacePrefix = path.replacePrefixMatch;
        redirect = red;
        break;
      }
      case 'URLRewrite': {
        const r = asObject(filter.urlRewrite);
        const path = asObject(r.path);
        rewrite = {};
        if (typeof r.hostname === 'string') rewrite.authority = r.hostname;
        if (path.type === 'ReplaceFullPath' && typeof path.replaceFullPath === 'string') rewrite.replaceFullPath = path.replaceFullPath;
        if (path.type === 'ReplacePrefixMatch' && typeof path.replacePrefixMatch === 'string') rewrite.replacePrefix = path.replacePrefixMatch;
        break;
      }
      case 'RequestMirror': {
        const m = asObject(filter.requestMirror);
        const b = backend(asObject(m.backendRef), routeNamespace, context);
        mirrors.push({ cluster: b.cluster, host: b.host, port: b.port, percentage: typeof m.percent === 'number' ? m.percent : 100 });
        break;
      }
      default:
        break;
    }
  }
  if (redirect !== undefined) return { action: redirect, headers };
  const refs = asArray(rule.backendRefs).map(asObject);
  const backends = refs.map((ref) => ({ ref, b: backend(ref, routeNamespace, context) }));
  // Istio answers 500 for a rule whose backends cannot be resolved (and for a rule with none).
  if (backends.length === 0 || backends.every(({ b }) => !b.valid)) return { action: { kind: 'direct-response', status: 500, body: '' }, headers };
  const clusters: WeightedCluster[] = backends
    .filter(({ b }) => b.valid)
    .map(({ ref, b }) => ({ cluster: b.cluster, weight: typeof ref.weight === 'number' ? ref.weight : 1, host: b.host, port: b.port }))
    .filter((c) => c.weight > 0);
  if (clusters.length === 0) return { action: { kind: 'direct-response', status: 500, body: '' }, headers };
  const action: RouteAction = { kind: 'route', clusters, retries: defaultRetryPolicy(), mirrors };
  const timeout = durationMs(asObject(rule.timeouts).request);
  if (timeout !== undefined && timeout > 0) action.timeoutMs = timeout;
  if (rewrite !== undefined) action.rewrite = rewrite;
  return { action, headers };
}

/** Routes of one HTTPRoute, in rule order (sort the union with `sortHttpRoutes`). */
export function httpRouteRoutes(httpRoute: JsonObject, context: HttpRouteContext): Route[] {
  const meta = metaOf(httpRoute);
  const routes: Route[] = [];
  asArray(asObject(httpRoute.spec).rules).forEach((rawRule) => {
    const rule = asObject(rawRule);
    const matches = asArray(rule.matches).map(asObject);
    const { action, headers } = ruleAction(rule, meta.namespace, context);
    for (const match of matches.length === 0 ? [{}] : matches) {
      routes.push({ name: asString(rule.name) ?? '', match: routeMatch(match), action, headers, source: { kind: 'HTTPRoute', name: meta.name, namespace: meta.namespace } });
    }
  });
  return routes;
}

function precedence(route: Route): number[] {
  const p = route.match.path;
  const pathRank = p.kind === 'exact' ? 3 : p.kind === 'prefix' || p.kind === 'pathPrefix' ? 2 : 1;
  const length = p.kind === 'present' ? 0 : p.value.length;
  return [pathRank, length, route.match.method === undefined ? 0 : 1, route.match.headers.length, route.match.queryParams.length];
}

/** Gateway API precedence: exact path, longest prefix, method, most headers, most query params; ties keep input order (oldest route first). */
export function sortHttpRoutes(routes: readonly Route[]): Route[] {
  return routes
    .map((route, index) => ({ route, index, key: precedence(route) }))
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const d = (b.key[i] as number) - (a.key[i] as number);
        if (d !== 0) return d;
      }
      return a.index - b.index;
    })
    .map((x) => x.route);
}
