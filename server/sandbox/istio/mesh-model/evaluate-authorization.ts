// Istio's AuthorizationPolicy evaluation for one request at one workload: CUSTOM first, then
// DENY, then ALLOW (any ALLOW policy present means only matching requests pass); AUDIT never
// changes the decision. A policy without `rules` matches nothing, so `spec: {}` (ALLOW, no
// rules) denies everything. Principals only exist on mTLS connections.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { byAge, metaOf, ROOT_NAMESPACE } from './mesh-snapshot.ts';
import type { AuthorizationPolicyConfig, AuthorizationRule } from './proxy-config.ts';

export interface AuthorizationRequest {
  method: string;
  /** Path with or without the query string. */
  path: string;
  /** Host (authority) header. */
  host: string;
  /** Destination (pod) port. */
  port: number;
  headers: Readonly<Record<string, string>>;
  source: {
    /** Peer principal without `spiffe://`, e.g. `cluster.local/ns/default/sa/bookinfo-productpage`; absent without mTLS. */
    principal?: string;
    namespace?: string;
    ip?: string;
  };
  /** JWT `iss/sub` once a RequestAuthentication validated a token. */
  requestPrincipal?: string;
  claims?: Readonly<Record<string, string | string[]>>;
}

export interface AuthorizationDecision {
  allowed: boolean;
  /** The policy that decided (`name.namespace`), if any. */
  policy?: string;
  reason: 'no-policy' | 'allowed' | 'denied-by-policy' | 'no-allow-match' | 'custom';
  /** AUDIT policies whose rules matched. */
  audited: string[];
}

/** Istio string patterns: exact, `prefix*`, `*suffix`, `*`. */
function patternMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === '*') return v !== '' || pattern === '*';
  if (p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return v.endsWith(p.slice(1));
  return p === v;
}

function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const part of parts) {
    const v = Number(part);
    if (!/^\d+$/.test(part) || v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

function ipMatches(block: string, ip: string): boolean {
  const [base, bitsText] = block.split('/');
  const a = ipToNumber(base ?? '');
  const b = ipToNumber(ip);
  if (a === undefined || b === undefined) return block === ip;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const size = 2 ** (32 - bits);
  return Math.floor(a / size) === Math.floor(b / size);
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q >= 0 ? path.slice(0, q) : path;
}

function headerValue(request: AuthorizationRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** Values a `when` key refers to, or undefined when the attribute is absent. */
function attribute(request: AuthorizationRequest, key: string): string[] | undefined {
  const header = /^request\.headers\[(.+)\]$/.exec(key);
  if (header !== null) {
    const v = headerValue(request, header[1] as string);
    return v === undefined ? undefined : [v];
  }
  const claim = /^request\.auth\.claims\[(.+)\]$/.exec(key);
  if (claim !== null) {
    const path = (claim[1] as string).split('][');
    const v = request.claims?.[path.join('.')];
    return v === undefined ? undefined : Array.isArray(v) ? v : [v as string];
  }
  switch (key) {
    case 'source.ip':
    case 'remote.ip':
      return request.source.ip === undefined ? undefined : [request.source.ip];
    case 'source.namespace':
      return request.source.namespace === undefined ? undefined : [request.source.namespace];
    case 'source.principal':
      return request.source.principal === undefined ? undefined : [request.source.principal];
    case 'request.auth.principal':
      return request.requestPrincipal === undefined ? undefined : [request.requestPrincipal];
    case 'destination.port':
      return [String(request.port)];
    default:
      return undefined;
  }
}

type FieldCheck = (pattern: string) => boolean;

function fieldChecks(request: AuthorizationRequest): Record<string, FieldCheck> {
  const principal = request.source.principal;
  const ip = request.source.ip;
  return {
    principals: (p) => principal !== undefined && patternMatches(p, principal),
    requestPrincipals: (p) => request.requestPrincipal !== undefined && patternMatches(p, request.requestPrincipal),
    namespaces: (p) => request.source.namespace !== undefined && principal !== undefined && patternMatches(p, request.source.namespace),
    ipBlocks: (p) => ip !== undefined && ipMatches(p, ip),
    remoteIpBlocks: (p) => ip !== undefined && ipMatches(p, ip),
    hosts: (p) => patternMatches(p, request.host, true) || patternMatches(p, request.host.replace(/:\d+$/, ''), true),
    ports: (p) => p === String(request.port),
    methods: (p) => patternMatches(p, request.method),
    paths: (p) => patternMatches(p, stripQuery(request.path)),
  };
}

/** One `source`/`operation` block: all listed fields must match (each any-of; not* none-of). */
function blockMatches(block: Record<string, string[]>, checks: Record<string, FieldCheck>): boolean {
  for (const [field, values] of Object.entries(block)) {
    const negated = field.startsWith('not');
    const base = negated ? field.charAt(3).toLowerCase() + field.slice(4) : field;
    const check = checks[base];
    if (check === undefined) continue;
    const any = values.some(check);
    if (negated ? any : !any) return false;
  }
  return true;
}

function ruleMatches(rule: AuthorizationRule, request: AuthorizationRequest): boolean {
  const checks = fieldChecks(request);
  if (rule.from.length > 0 && !rule.from.some((b) => blockMatches(b, checks))) return false;
  if (rule.to.length > 0 && !rule.to.some((b) => blockMatches(b, checks))) return false;
  for (const condition of rule.when) {
    const values = attribute(request, condition.key);
    if (condition.values.length > 0 && (values === undefined || !values.some((v) => condition.values.some((p) => patternMatches(p, v))))) return false;
    if (condition.notValues.length > 0 && values !== undefined && values.some((v) => condition.notValues.some((p) => patternMatches(p, v)))) return false;
  }
  return true;
}

function policyMatches(policy: AuthorizationPolicyConfig, request: AuthorizationRequest): boolean {
  return policy.rules !== undefined && policy.rules.some((rule) => ruleMatches(rule, request));
}

const id = (policy: AuthorizationPolicyConfig): string => `${policy.name}.${policy.namespace}`;

export function evaluateAuthorization(policies: readonly AuthorizationPolicyConfig[], request: AuthorizationRequest): AuthorizationDecision {
  const audited = policies.filter((p) => p.action === 'AUDIT' && policyMatches(p, request)).map(id);
  const custom = policies.find((p) => p.action === 'CUSTOM' && policyMatches(p, request));
  // The sandbox has no external authorizer: a CUSTOM policy that applies rejects the request.
  if (custom !== undefined) return { allowed: false, policy: id(custom), reason: 'custom', audited };
  const deny = policies.find((p) => p.action === 'DENY' && policyMatches(p, request));
  if (deny !== undefined) return { allowed: false, policy: id(deny), reason: 'denied-by-policy', audited };
  const allows = policies.filter((p) => p.action === 'ALLOW');
  if (allows.length === 0) return { allowed: true, reason: 'no-policy', audited };
  const allow = allows.find((p) => policyMatches(p, request));
  if (allow !== undefined) return { allowed: true, policy: id(allow), reason: 'allowed', audited };
  return { allowed: false, reason: 'no-allow-match', audited };
}

function stringLists(value: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, v] of Object.entries(asObject(value))) out[key] = asArray(v).map(String);
  return out;
}

/** Normalises one AuthorizationPolicy object. */
export function authorizationPolicyConfig(policy: JsonObject): AuthorizationPolicyConfig {
  const meta = metaOf(policy);
  const spec = asObject(policy.spec);
  const action = asString(spec.action) ?? 'ALLOW';
  const config: AuthorizationPolicyConfig = {
    name: meta.name,
    namespace: meta.namespace,
    action: action === 'DENY' || action === 'AUDIT' || action === 'CUSTOM' ? action : 'ALLOW',
    rules: Array.isArray(spec.rules)
      ? spec.rules.map((raw) => {
          const rule = asObject(raw);
          return {
            from: asArray(rule.from).map((f) => stringLists(asObject(f).source)),
            to: asArray(rule.to).map((t) => stringLists(asObject(t).operation)),
            when: asArray(rule.when).map((w) => {
              const c = asObject(w);
              return { key: asString(c.key) ?? '', values: asArray(c.values).map(String), notValues: asArray(c.notValues).map(String) };
            }),
          };
        })
      : undefined,
  };
  const provider = asString(asObject(spec.provider).name);
  if (provider !== undefined) config.provider = provider;
  return config;
}

export interface AuthorizationTarget {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** For Gateway API deployments: the Gateway name, matched by `targetRef(s)` of kind Gateway. */
  gatewayName?: string;
}

/** The policies that apply to a workload: root-namespace ones mesh-wide, then its namespace's. */
export function policiesForWorkload(policies: readonly JsonObject[], target: AuthorizationTarget, rootNamespace = ROOT_NAMESPACE): AuthorizationPolicyConfig[] {
  return [...policies]
    .sort(byAge)
    .filter((policy) => {
      const meta = metaOf(policy);
      if (meta.namespace !== rootNamespace && meta.namespace !== target.namespace) return false;
      const spec = asObject(policy.spec);
      const refs = [...asArray(spec.targetRefs), ...(spec.targetRef === undefined ? [] : [spec.targetRef])].map(asObject);
      if (refs.length > 0) {
        if (meta.namespace !== target.namespace) return false;
        return refs.some((ref) => ref.kind === 'Gateway' && target.gatewayName !== undefined && ref.name === target.gatewayName);
      }
      const selector = asObject(spec.selector);
      if (Object.keys(asObject(selector.matchLabels)).length === 0) return true;
      return labelSelectorMatches(selector, target.labels);
    })
    .map(authorizationPolicyConfig);
}
