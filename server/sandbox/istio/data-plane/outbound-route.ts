// Envoy's HTTP connection manager choosing a route: the virtual host whose domains hold the
// Host header (exact, then `*.suffix` / `prefix.*` wildcards, then `*`; with or without the
// port), then the first route of that virtual host whose match holds. Pure: the data plane
// calls it per request with the proxy's route configuration.
import type { HeaderMatch, PathMatch, Route, RouteConfig, RouteMatch, StringMatch, VirtualHost } from '../mesh-model/proxy-config.ts';

export interface RouteRequest {
  method: string;
  /** Path with the query string. */
  path: string;
  /** Host header (`:authority`). */
  host: string;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
}

export type RouteSelection =
  | { kind: 'matched'; virtualHost: VirtualHost; route: Route }
  /** No virtual host, or none of its routes matched: Envoy answers 404 with flag NR. */
  | { kind: 'no-route'; virtualHost?: VirtualHost };

function domainScore(domain: string, host: string): number {
  const d = domain.toLowerCase();
  if (d === host) return 4;
  if (d === '*') return 1;
  if (d.startsWith('*') && host.endsWith(d.slice(1)) && host.length > d.length - 1) return 3;
  if (d.endsWith('*') && host.startsWith(d.slice(0, -1))) return 2;
  return 0;
}

/** The virtual host for a Host header; a domain with `:*` matches any port. */
export function selectVirtualHost(config: RouteConfig, hostHeader: string): VirtualHost | undefined {
  const host = hostHeader.toLowerCase();
  const bare = host.replace(/:\d+$/, '');
  let best: VirtualHost | undefined;
  let bestScore = 0;
  for (const virtualHost of config.virtualHosts) {
    for (const domain of virtualHost.domains) {
      const d = domain.toLowerCase();
      const score = d.endsWith(':*') ? (host.includes(':') ? domainScore(d.slice(0, -2), bare) : 0) : Math.max(domainScore(d, host), domainScore(d, bare));
      if (score > bestScore) {
        best = virtualHost;
        bestScore = score;
      }
    }
  }
  return best;
}

function regexMatches(pattern: string, value: string, flags = ''): boolean {
  try {
    // Envoy's RE2 matchers are anchored: the whole value must match.
    return new RegExp(`^(?:${pattern})$`, flags).test(value);
  } catch {
    return false;
  }
}

export function stringMatches(match: StringMatch, value: string | undefined, ignoreCase = false): boolean {
  if (value === undefined) return false;
  const v = ignoreCase ? value.toLowerCase() : value;
  switch (match.kind) {
    case 'present':
      return true;
    case 'exact':
      return v === (ignoreCase ? match.value.toLowerCase() : match.value);
    case 'prefix':
      return v.startsWith(ignoreCase ? match.value.toLowerCase() : match.value);
    case 'regex':
      return regexMatches(match.value, value, ignoreCase ? 'i' : '');
  }
}

function pathMatches(match: PathMatch, path: string, ignoreCase: boolean): boolean {
  if (match.kind === 'pathPrefix') {
    const p = ignoreCase ? path.toLowerCase() : path;
    const prefix = ignoreCase ? match.value.toLowerCase() : match.value;
    return p === prefix || p.startsWith(`${prefix}/`);
  }
  return stringMatches(match, path, ignoreCase);
}

function queryParams(path: string): Map<string, string> {
  const q = path.indexOf('?');
  const out = new Map<string, string>();
  if (q < 0) return out;
  for (const [key, value] of new URLSearchParams(path.slice(q + 1))) if (!out.has(key)) out.set(key, value);
  return out;
}

function headerMatches(match: HeaderMatch, value: string | undefined): boolean {
  const hit = stringMatches(match.match, value);
  return match.invert ? !hit : hit;
}

export function routeMatches(match: RouteMatch, request: RouteRequest): boolean {
  const q = request.path.indexOf('?');
  const path = q < 0 ? request.path : request.path.slice(0, q);
  if (!pathMatches(match.path, path, match.ignoreCase)) return false;
  for (const header of match.headers) if (!headerMatches(header, request.headers[header.name])) return false;
  if (match.queryParams.length > 0) {
    const params = queryParams(request.path);
    for (const param of match.queryParams) if (!headerMatches(param, params.get(param.name))) return false;
  }
  if (match.method !== undefined && !stringMatches(match.method, request.method)) return false;
  if (match.authority !== undefined && !stringMatches(match.authority, request.host)) return false;
  return true;
}

export function selectRoute(config: RouteConfig, request: RouteRequest): RouteSelection {
  const virtualHost = selectVirtualHost(config, request.host);
  if (virtualHost === undefined) return { kind: 'no-route' };
  const route = virtualHost.routes.find((r) => routeMatches(r.match, request));
  return route === undefined ? { kind: 'no-route', virtualHost } : { kind: 'matched', virtualHost, route };
}
