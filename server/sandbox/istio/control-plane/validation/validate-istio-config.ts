// istiod's config validation (pkg/config/validation, 1.30 semantics) for the resources learners
// write, returning the exact reasons; `configurationInvalidMessage` joins them as the webhook does.
import { asArray, asObject, asString, isJsonObject, type JsonObject } from '../../../core/json-object.ts';
import { goRegexpError } from './go-regexp-check.ts';

export interface IstioValidationResult {
  errors: string[];
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WILDCARD_LABEL = /^(\*|\*?[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
const SUPPORTED_PROTOCOLS = ['HTTP', 'HTTPS', 'GRPC', 'GRPC-WEB', 'HTTP2', 'MONGO', 'REDIS', 'MYSQL', 'TCP', 'TLS', 'UDP', 'HBONE'];
const RETRY_ON = new Set(['5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx', 'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure', 'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable']);

function isIp(value: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value));
}

function validateDnsLabels(domain: string): string | undefined {
  const parts = domain.split('.');
  const top = parts[parts.length - 1] as string;
  if (/^\d+$/.test(top)) return `domain name "${domain}" invalid (top level domain "${top}" cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    const label = parts[i] as string;
    if (i === parts.length - 1 && label === '') return undefined;
    if (label.length > 63 || !DNS1123_LABEL.test(label)) return `domain name "${domain}" invalid (label "${label}" invalid)`;
  }
  return undefined;
}

function wildcardDomainError(domain: string): string | undefined {
  if (domain.length > 255) return `domain name "${domain}" too long (max 255)`;
  if (domain.length === 0) return 'empty domain name not allowed';
  const [first, ...rest] = domain.split('.');
  if (!WILDCARD_LABEL.test(first as string)) return `domain name "${domain}" invalid (label "${first}" invalid)`;
  return rest.length > 0 ? validateDnsLabels(rest.join('.')) : undefined;
}

function portError(port: unknown): string | undefined {
  const number = Number(port);
  return Number.isInteger(number) && number >= 1 && number <= 65535 ? undefined : `port number ${String(port)} must be in the range 1..65535`;
}

function percentageError(percentage: unknown): string | undefined {
  if (!isJsonObject(percentage)) return undefined;
  const value = Number(percentage.value ?? 0);
  if (value < 0 || value > 100 || (value > 0 && value < 0.0001)) return `percentage ${value} is neither 0.0, nor in range [0.0001, 100.0]`;
  return undefined;
}

function durationError(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const found = /^(\d+(?:\.\d+)?)(h|m|s|ms|us|µs|ns)$/.exec(text);
  if (found === null) return `invalid duration "${text}"`;
  const scale: Record<string, number> = { h: 3.6e12, m: 6e10, s: 1e9, ms: 1e6, us: 1e3, µs: 1e3, ns: 1 };
  const nanos = Number(found[1]) * (scale[found[2] as string] as number);
  if (nanos < 1e6) return 'duration must be greater than 1ms';
  if (nanos % 1e6 !== 0) return 'only durations to ms precision are supported';
  return undefined;
}

function stringMatchErrors(match: unknown, where: string): string[] {
  const spec = asObject(match);
  if (spec.prefix !== undefined && spec.prefix === '') return [`"${where}": prefix string match should not be empty`];
  if (spec.regex === undefined) return [];
  const regex = String(spec.regex);
  if (regex === '') return [`"${where}": regex string match should not be empty`];
  if (regex.length > 1024) return [`"${where}": regex is too large, max length allowed is 1024`];
  const error = goRegexpError(regex);
  return error === undefined ? [] : [`"${where}": ${error}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`];
}

function destinationErrors(destination: unknown): string[] {
  if (!isJsonObject(destination)) return [];
  const out: string[] = [];
  const host = String(destination.host ?? '');
  if (host === '*') out.push(`invalid destination host ${host}`);
  else {
    const error = wildcardDomainError(host);
    if (error !== undefined) out.push(error);
  }
  if (destination.subset !== undefined) {
    const subset = String(destination.subset);
    if (subset === '') out.push('subset name cannot be empty');
    else if (!DNS1123_LABEL.test(subset)) out.push(`subset name is invalid: ${subset}`);
  }
  if (destination.port !== undefined) {
    const error = portError(asObject(destination.port).number);
    if (error !== undefined) out.push(error);
  }
  return out;
}

function routeDestinationErrors(routes: unknown[]): string[] {
  const out: string[] = [];
  let total = 0;
  for (const raw of routes) {
    const route = asObject(raw);
    if (route.destination === undefined) out.push('destination is required');
    out.push(...destinationErrors(route.destination));
    const weight = Number(route.weight ?? 0);
    if (weight < 0) out.push(`weight ${weight} < 0`);
    total += weight;
  }
  // Since 1.20 weights need not sum to 100 (they are normalised); only an all-zero split is refused.
  if (routes.length > 1 && total === 0) out.push('total destination weight = 0');
  return out;
}

function httpRouteErrors(http: JsonObject): string[] {
  const out: string[] = [];
  const routes = asArray(http.route);
  if (http.redirect !== undefined) {
    if (routes.length > 0) out.push('HTTP route cannot contain both route and redirect');
    if (http.fault !== undefined) out.push('HTTP route cannot contain both fault and redirect');
    if (http.rewrite !== undefined) out.push('HTTP route rule cannot contain both rewrite and redirect');
  } else if (routes.length === 0 && http.directResponse === undefined && http.delegate === undefined) {
    out.push('HTTP route or redirect is required');
  }
  for (const raw of asArray(http.match)) {
    const match = asObject(raw);
    for (const [name, header] of Object.entries(asObject(match.headers))) {
      if (name === '') out.push('header name cannot be empty');
      out.push(...stringMatchErrors(header, 'headers'));
    }
    out.push(...stringMatchErrors(match.uri, 'uri'), ...stringMatchErrors(match.scheme, 'scheme'), ...stringMatchErrors(match.method, 'method'), ...stringMatchErrors(match.authority, 'authority'));
    for (const param of Object.values(asObject(match.queryParams))) out.push(...stringMatchErrors(param, 'queryParams'));
    if (match.port !== undefined && match.port !== 0) {
      const error = portError(match.port);
      if (error !== undefined) out.push(error);
    }
  }
  if (http.fault !== undefined) {
    const fault = asObject(http.fault);
    if (fault.abort === undefined && fault.delay === undefined) out.push('HTTP fault injection must have an abort and/or a delay');
    if (fault.abort !== undefined) {
      const abort = asObject(fault.abort);
      const percent = percentageError(abort.percentage);
      if (percent !== undefined) out.push(percent);
      if (abort.httpStatus !== undefined) {
        const status = Number(abort.httpStatus);
        if (status < 200 || status > 600) out.push(`HTTP status ${status} is not in range 200-599`);
      }
    }
    if (fault.delay !== undefined) {
      const delay = asObject(fault.delay);
      const percent = percentageError(delay.percentage);
      if (percent !== undefined) out.push(percent);
      const duration = durationError(delay.fixedDelay);
      if (duration !== undefined) out.push(duration);
    }
  }
  if (http.retries !== undefined) {
    const retries = asObject(http.retries);
    const attempts = Number(retries.attempts ?? 0);
    if (attempts < 0) out.push('attempts cannot be negative');
    if (attempts === 0 && (retries.perTryTimeout !== undefined || retries.retryOn !== undefined || retries.retryRemoteLocalities !== undefined)) {
      out.push('http retry policy configured when attempts are set to 0 (disabled)');
    }
    const perTry = durationError(retries.perTryTimeout);
    if (perTry !== undefined) out.push(perTry);
    if (retries.retryOn !== undefined) {
      for (const policy of String(retries.retryOn).split(',')) {
        const code = Number(policy);
        const isStatus = Number.isInteger(code) && code >= 100 && code <= 599;
        if (!isStatus && !RETRY_ON.has(policy)) out.push(`"${policy}" is not a valid retryOn policy`);
      }
    }
  }
  if (http.rewrite !== undefined) {
    const rewrite = asObject(http.rewrite);
    if (rewrite.uri === undefined && rewrite.uriRegexRewrite === undefined && rewrite.authority === undefined) {
      out.push('rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite may be specified');
    }
  }
  out.push(...routeDestinationErrors(routes));
  const timeout = durationError(http.timeout);
  if (timeout !== undefined) out.push(timeout);
  return out;
}

function virtualServiceErrors(spec: JsonObject): string[] {
  const out: string[] = [];
  const hosts = asArray(spec.hosts).map(String);
  const gateways = asArray(spec.gateways).map(String);
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');
  if (hosts.length === 0) {
    // No hosts makes it a delegate VirtualService.
    if (gateways.length > 0) out.push('delegate virtual service must have no gateways specified');
  }
  let allValid = true;
  for (const host of hosts) {
    const error = wildcardDomainError(host);
    if (error !== undefined) {
      if (!isIp(host)) {
        out.push(error);
        allValid = false;
      }
    } else if (appliesToMesh && host === '*') {
      out.push('wildcard host * is not allowed for virtual services bound to the mesh gateway');
      allValid = false;
    }
  }
  if (allValid) {
    for (let i = 0; i < hosts.length; i++) {
      for (let j = i + 1; j < hosts.length; j++) if (hosts[i] === hosts[j]) out.push(`duplicate hosts in virtual service: ${hosts[i]} & ${hosts[j]}`);
    }
  }
  if (asArray(spec.http).length === 0 && asArray(spec.tcp).length === 0 && asArray(spec.tls).length === 0) out.push('http, tcp or tls must be provided in virtual service');
  for (const http of asArray(spec.http)) {
    if (http === null) out.push('http route may not be null');
    else out.push(...httpRouteErrors(asObject(http)));
  }
  for (const tcp of asArray(spec.tcp)) {
    const routes = asArray(asObject(tcp).route);
    if (routes.length === 0) out.push('TCP route is required');
    out.push(...routeDestinationErrors(routes));
  }
  return out;
}

function destinationRuleErrors(spec: JsonObject): string[] {
  const out: string[] = [];
  const hostError = wildcardDomainError(String(spec.host ?? ''));
  if (hostError !== undefined) out.push(hostError);
  const policies = [spec.trafficPolicy, ...asArray(spec.subsets).map((s) => asObject(s).trafficPolicy)];
  for (const raw of asArray(spec.subsets)) {
    const name = String(asObject(raw).name ?? '');
    if (name === '') out.push('subset name cannot be empty');
    else if (!DNS1123_LABEL.test(name)) out.push(`subset name is invalid: ${name}`);
  }
  for (const policy of policies) {
    if (policy === undefined) continue;
    const tls = asObject(asObject(policy).tls);
    if (tls.mode === 'MUTUAL' && tls.credentialName === undefined) {
      if (tls.clientCertificate === undefined) out.push('client certificate required for mutual tls');
      if (tls.privateKey === undefined) out.push('private key required for mutual tls');
    }
  }
  return out;
}

function gatewayErrors(name: string, spec: JsonObject): string[] {
  const out: string[] = [];
  if (!DNS1123_LABEL.test(name)) out.push(`invalid gateway name: "${name}"`);
  const servers = asArray(spec.servers).map(asObject);
  if (servers.length === 0) out.push('gateway must have at least one server');
  const portNames = new Set<string>();
  for (const server of servers) {
    const hosts = asArray(server.hosts).map(String);
    if (hosts.length === 0) out.push('server config must contain at least one host');
    for (const raw of hosts) {
      const host = raw.includes('/') ? raw.slice(raw.indexOf('/') + 1) : raw;
      if (host !== '*' && !host.includes('.')) out.push('short names (non FQDN) are not allowed');
      const error = wildcardDomainError(host);
      if (error !== undefined && !isIp(host)) out.push(error);
    }
    if (server.port === undefined) {
      out.push('port is required');
      continue;
    }
    const port = asObject(server.port);
    const protocol = String(port.protocol ?? '').toUpperCase();
    if (!SUPPORTED_PROTOCOLS.includes(protocol)) out.push(`invalid protocol "${String(port.protocol ?? '')}", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`);
    else if ((protocol === 'HTTPS' || protocol === 'TLS') && server.tls === undefined) out.push('server must have TLS settings for HTTPS/TLS protocols');
    if (Number(port.number ?? 0) > 0) {
      const error = portError(port.number);
      if (error !== undefined) out.push(error);
    }
    const portName = String(port.name ?? '');
    if (portNames.has(portName)) out.push(`port names in servers must be unique: duplicate name ${portName}`);
    portNames.add(portName);
  }
  return out;
}

function serviceEntryErrors(spec: JsonObject): string[] {
  const out: string[] = [];
  const hosts = asArray(spec.hosts).map(String);
  if (hosts.length === 0) out.push('service entry must have at least one host');
  for (const host of hosts) {
    if (host === '*') out.push(`invalid host ${host}`);
    else {
      const error = wildcardDomainError(host);
      if (error !== undefined) out.push(error);
    }
  }
  const resolution = String(spec.resolution ?? 'NONE');
  if (asArray(spec.addresses).some((a) => String(a).includes('/')) && resolution !== 'NONE' && resolution !== 'STATIC') {
    out.push('CIDR addresses are allowed only for NONE/STATIC resolution types');
  }
  const numbers = new Set<number>();
  const names = new Set<string>();
  for (const raw of asArray(spec.ports)) {
    const port = asObject(raw);
    const name = String(port.name ?? '');
    if (names.has(name)) out.push(`service entry port name "${name}" already defined`);
    names.add(name);
    const number = Number(port.number);
    if (numbers.has(number)) out.push(`service entry port ${number} already defined`);
    numbers.add(number);
    if (!DNS1123_LABEL.test(name)) out.push(`invalid port name: ${name}`);
    if (port.protocol !== undefined && !SUPPORTED_PROTOCOLS.includes(String(port.protocol).toUpperCase())) out.push(`unsupported protocol: ${String(port.protocol)}`);
    const error = portError(port.number);
    if (error !== undefined) out.push(error);
  }
  if (resolution === 'DNS' && asArray(spec.endpoints).length === 0 && spec.workloadSelector === undefined) {
    if (hosts.some((host) => host.startsWith('*'))) out.push('hosts must be FQDN if no endpoints are provided for resolution mode DNS');
  }
  return out;
}

function peerAuthenticationErrors(spec: JsonObject): string[] {
  const out: string[] = [];
  const selector = asObject(asObject(spec.selector).matchLabels);
  const portLevel = spec.portLevelMtls;
  if (Object.keys(selector).length === 0 && isJsonObject(portLevel) && Object.keys(portLevel).length > 0) {
    out.push('mesh/namespace peer authentication cannot have port level mTLS');
  }
  if (isJsonObject(portLevel) && Object.keys(portLevel).length === 0) out.push('port level mTLS, if defined, must have at least one element');
  for (const port of Object.keys(asObject(portLevel))) {
    const number = Number(port);
    if (!(number >= 1 && number <= 65535)) out.push('port must be in range 1..65535');
  }
  return out;
}

function authorizationPolicyErrors(name: string, namespace: string, spec: JsonObject): string[] {
  const out: string[] = [];
  if (spec.action === 'DENY' && spec.rules === undefined) {
    return [`a deny policy without \`rules\` is meaningless and has no effect, found in ${name}.${namespace}`];
  }
  asArray(spec.rules).forEach((raw, index) => {
    const rule = asObject(raw);
    if (Array.isArray(rule.from) && rule.from.length === 0) out.push(`\`from\` must not be empty, found at rule ${index}`);
    for (const from of asArray(rule.from)) {
      const source = asObject(from).source;
      if (source === undefined) out.push(`\`from.source\` must not be nil, found at rule ${index}`);
      else if (Object.values(asObject(source)).every((v) => asArray(v).length === 0)) out.push(`\`from.source\` must not be empty, found at rule ${index}`);
    }
    if (Array.isArray(rule.to) && rule.to.length === 0) out.push(`\`to\` must not be empty, found at rule ${index}`);
    for (const to of asArray(rule.to)) {
      const operation = asObject(to).operation;
      if (operation === undefined) out.push(`\`to.operation\` must not be nil, found at rule ${index}`);
      else if (Object.values(asObject(operation)).every((v) => asArray(v).length === 0)) out.push(`\`to.operation\` must not be empty, found at rule ${index}`);
    }
    for (const raw2 of asArray(rule.when)) {
      const condition = asObject(raw2);
      const key = asString(condition.key) ?? '';
      if (key === '') out.push('`key` must not be empty');
      else if (asArray(condition.values).length === 0 && asArray(condition.notValues).length === 0) out.push(`at least one of \`values\` or \`notValues\` must be set for key ${key}`);
    }
  });
  // The whole list is prefixed with the policy's name, as multierror.Prefix does upstream.
  return out.map((message) => `invalid policy ${name}.${namespace}: ${message}`);
}

/** Validates one Istio object the way the `validation.istio.io` webhook does. */
export function validateIstioConfig(object: JsonObject): IstioValidationResult {
  const metadata = asObject(object.metadata);
  const name = asString(metadata.name) ?? '';
  const namespace = asString(metadata.namespace) ?? '';
  const spec = asObject(object.spec);
  switch (object.kind) {
    case 'VirtualService':
      return { errors: virtualServiceErrors(spec) };
    case 'DestinationRule':
      return { errors: destinationRuleErrors(spec) };
    case 'Gateway':
      return { errors: gatewayErrors(name, spec) };
    case 'ServiceEntry':
      return { errors: serviceEntryErrors(spec) };
    case 'PeerAuthentication':
      return { errors: peerAuthenticationErrors(spec) };
    case 'AuthorizationPolicy':
      return { errors: authorizationPolicyErrors(name, namespace, spec) };
    default:
      return { errors: [] };
  }
}

/** `configuration is invalid: …`, with hashicorp/go-multierror's list format for several reasons. */
export function configurationInvalidMessage(errors: readonly string[]): string {
  if (errors.length === 1) return `configuration is invalid: ${errors[0]}`;
  return `configuration is invalid: ${errors.length} errors occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}
