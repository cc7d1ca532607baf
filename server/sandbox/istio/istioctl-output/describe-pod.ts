// `istioctl x describe pod <pod>` (istioctl/pkg/describe): the pod's ports, the services and
// DestinationRules that apply to it, the VirtualServices routing to it, the AuthorizationPolicy
// rules its inbound RBAC filter holds, its effective PeerAuthentication, and whether an
// ingress gateway exposes it. A summary, not Envoy's raw state.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { destinationRuleFor } from '../mesh-model/build-clusters.ts';
import type { MeshModel } from '../mesh-model/build-mesh-model.ts';
import { KINDS, metaOf } from '../mesh-model/mesh-snapshot.ts';
import { hostMatches, resolveShortName, type MeshService } from '../mesh-model/service-registry.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { effectiveMtlsMode } from '../mesh-model/effective-mtls.ts';
import { isHttpProtocol } from '../mesh-model/port-protocol.ts';

export class DescribePodError extends Error {
  readonly code = 'DESCRIBE_POD_NOT_FOUND';
}

const SVC_SUFFIX = '.svc.cluster.local';

/**
 * A pod without a sidecar: istioctl warns, then fails reading the Envoy config dump it fetches
 * through a port-forward to 15000, where nothing listens. `output` is what it printed first.
 */
export class DescribeUnmeshedPodError extends Error {
  readonly code = 'DESCRIBE_POD_NO_SIDECAR';
  readonly output: string;
  constructor(podName: string, output: string) {
    // The local end of the port-forward is a free port; any number in the ephemeral range reads the same.
    const localPort = 32768 + ([...podName].reduce((sum, c) => (sum * 31 + c.charCodeAt(0)) % 28232, 7));
    super(`failed to execute command on sidecar: failure running port forward process: Get "http://localhost:${localPort}/config_dump": EOF`);
    this.output = output;
  }
}

export function describePod(model: MeshModel, podName: string, namespace: string, options: { ignoreUnmeshed?: boolean } = {}): string {
  const pod = model.snapshot.list('Pod').find((p) => metaOf(p).name === podName && metaOf(p).namespace === namespace);
  if (pod === undefined) throw new DescribePodError(`pods "${podName}" not found`);
  const meta = metaOf(pod);
  const out: string[] = [`Pod: ${podName}`];
  const proxy = model.proxy(`${podName}.${namespace}`);
  // The revision comes from the injector's status annotation, so a pod without a sidecar has none.
  out.push(`   Pod Revision: ${proxy?.proxy.revision ?? ''}`);
  const ports = asArray(asObject(pod.spec).containers).flatMap((c) => asArray(asObject(c).ports).map((p) => `${String(asObject(p).containerPort)} (${String(asObject(c).name)})`));
  out.push(ports.length > 0 ? `   Pod Ports: ${ports.join(', ')}` : '   Pod does not expose ports');
  const services = model.registry.servicesForPod(pod);
  if (proxy === undefined) {
    if (options.ignoreUnmeshed !== true) {
      out.push(`WARNING: ${podName} is not part of mesh; no Istio sidecar`, '--------------------');
      throw new DescribeUnmeshedPodError(podName, `${out.join('\n')}\n`);
    }
    // --ignoreUnmeshed: no warning and no services (there is no config dump to read them from).
    const mtls = effectiveMtlsMode(model.snapshot.list(KINDS.peerAuthentication), { namespace, labels: meta.labels });
    out.push('--------------------', '--------------------', 'Effective PeerAuthentication:', `   Workload mTLS mode: ${mtls.mode}`);
    if (mtls.policies.length > 0) out.push('Applied PeerAuthentication:', `   ${mtls.policies.join(', ')}`);
    out.push(...ingressLines(model, services, meta.labels, namespace));
    return `${out.join('\n')}\n`;
  }
  for (const service of services) {
    out.push('--------------------', `Service: ${service.name}`);
    const instance = service.instances.find((i) => i.podName === podName);
    for (const port of service.ports) {
      const target = instance?.ports.get(port.port);
      const protocol = port.protocol === 'UNKNOWN' ? 'auto-detect' : port.protocol;
      out.push(`   Port: ${port.name} ${port.port}/${protocol} targets pod port ${target ?? port.targetPort}`);
    }
    const rule = destinationRuleFor(model.snapshot, namespace, service);
    const subsets = subsetsFor(rule, meta.labels);
    if (rule !== undefined) {
      const spec = asObject(rule.spec);
      out.push(`DestinationRule: ${metaOf(rule).name} for "${String(spec.host)}"`);
      if (subsets.matching.length > 0) out.push(`   Matching subsets: ${subsets.matching.join(',')}`);
      if (subsets.other.length > 0) out.push(`      (Non-matching subsets ${subsets.other.join(',')})`);
      const tls = asObject(asObject(spec.trafficPolicy).tls).mode;
      out.push(typeof tls === 'string' ? `   Traffic Policy TLS Mode: ${tls}` : '   No Traffic Policy');
    }
    // istioctl finds the VirtualService through the sidecar's HTTP routes for the service port;
    // a port Istio treats as TCP has none, so no VirtualService is shown (its HTTP rules do not apply).
    const routedAsHttp = service.ports.some((port) => isHttpProtocol(port.protocol));
    for (const vs of routedAsHttp ? model.snapshot.list(KINDS.virtualService) : []) {
      const vsSpec = asObject(vs.spec);
      const gateways = asArray(vsSpec.gateways).map(String);
      if (gateways.length > 0 && !gateways.includes('mesh')) continue;
      if (!asArray(vsSpec.hosts).some((h) => hostMatches(resolveShortName(String(h), metaOf(vs).namespace), service.hostname))) continue;
      out.push(...virtualServiceLines(vs, service, namespace, subsets, rule));
    }
    if (proxy !== undefined) {
      // istioctl asks once per service port; with several ports each line names its port.
      const policies = rbacPolicyNames(proxy);
      if (policies.length > 0) {
        for (const port of service.ports) out.push(`${service.ports.length > 1 ? `${port.port} ` : ''}RBAC policies: ${policies.join(', ')}`);
      }
    }
  }
  const mtls = effectiveMtlsMode(model.snapshot.list(KINDS.peerAuthentication), { namespace, labels: meta.labels });
  out.push('--------------------', 'Effective PeerAuthentication:', `   Workload mTLS mode: ${mtls.mode}`);
  if (mtls.policies.length > 0) out.push('Applied PeerAuthentication:', `   ${mtls.policies.join(', ')}`);
  out.push(...ingressLines(model, services, meta.labels, namespace));
  return `${out.join('\n')}\n`;
}

interface Subsets {
  matching: string[];
  other: string[];
}

function subsetsFor(rule: JsonObject | undefined, labels: Readonly<Record<string, string>>): Subsets {
  const subsets = asArray(asObject(rule?.spec).subsets).map(asObject);
  const matching = subsets.filter((s) => labelSelectorMatches({ matchLabels: asObject(s.labels) }, labels)).map((s) => String(s.name));
  return { matching, other: subsets.map((s) => String(s.name)).filter((n) => !matching.includes(n)) };
}

/**
 * The names of the rules in the pod's inbound RBAC filter, as istioctl lists them. istiod
 * names one Envoy policy per rule, `ns[<namespace>]-policy[<name>]-rule[<index>]`; a policy
 * without rules (allow-nothing) contributes none. istioctl reads the first RBAC filter, which
 * is the DENY one when any DENY policy applies.
 */
function rbacPolicyNames(proxy: ProxyConfig): string[] {
  const enforced = proxy.authorization.filter((policy) => policy.action === 'ALLOW' || policy.action === 'DENY');
  const action = enforced.some((policy) => policy.action === 'DENY') ? 'DENY' : 'ALLOW';
  return enforced
    .filter((policy) => policy.action === action)
    .flatMap((policy) => (policy.rules ?? []).map((_, index) => `ns[${policy.namespace}]-policy[${policy.name}]-rule[${index}]`));
}

function extendFqdn(host: string): string {
  return host.startsWith('*') || host.endsWith(SVC_SUFFIX) ? host : `${host}${SVC_SUFFIX}`;
}

/** VirtualService names print bare in the pod's namespace and as `name.namespace` elsewhere. */
function kname(object: JsonObject, namespace: string): string {
  const meta = metaOf(object);
  return meta.namespace === namespace ? meta.name : `${meta.name}.${meta.namespace}`;
}

function renderStringMatch(value: unknown): string {
  const match = asObject(value);
  if (typeof match.exact === 'string') return match.exact;
  if (typeof match.prefix === 'string') return `${match.prefix}*`;
  if (typeof match.regex === 'string') return `regex:${JSON.stringify(match.regex)}`;
  return '';
}

/** istioctl's `Match: ` line for one HTTPMatchRequest: the URI, then any header conditions. */
function renderMatch(value: unknown): string {
  const match = asObject(value);
  let text = 'Match: ';
  if (match.uri !== undefined) {
    text += renderStringMatch(match.uri);
    if (match.ignoreUriCase === true) text += ' uncased';
  }
  const headers = Object.entries(asObject(match.headers));
  if (headers.length > 0) text += ` when headers are ${headers.map(([key, v]) => `${key}=${renderStringMatch(v)}`).join('; ')}`;
  return text.trim();
}

function renderMatches(matches: unknown[]): string {
  return matches.length === 0 ? 'everything' : matches.map(renderMatch).join(', ');
}

/** A compact protobuf text form of the fault, the way istioctl prints the message. */
function renderFault(value: unknown): string {
  const fault = asObject(value);
  const percentage = (p: unknown): string => (p === undefined ? '' : ` percentage:{value:${String(asObject(p).value ?? 0)}}`);
  const seconds = (d: unknown): string => {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(asString(d) ?? '');
    if (match === null) return '';
    const factor = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
    const total = Number(match[1]) * factor;
    const whole = Math.floor(total);
    const nanos = Math.round((total - whole) * 1e9);
    return `{${whole > 0 ? `seconds:${whole}` : ''}${whole > 0 && nanos > 0 ? ' ' : ''}${nanos > 0 ? `nanos:${nanos}` : ''}}`;
  };
  const parts: string[] = [];
  if (fault.delay !== undefined) {
    const delay = asObject(fault.delay);
    parts.push(`delay:{fixed_delay:${seconds(delay.fixedDelay)}${percentage(delay.percentage)}}`);
  }
  if (fault.abort !== undefined) {
    const abort = asObject(fault.abort);
    parts.push(`abort:{http_status:${String(abort.httpStatus ?? 0)}${percentage(abort.percentage)}}`);
  }
  return parts.join(' ');
}

/** One HTTP rule against the described service: does it reach this pod, and what to say about it. */
function httpRouteFacts(vs: JsonObject, route: JsonObject, service: MeshService, subsets: Subsets, rule: JsonObject | undefined): { match: boolean; facts: string[] } {
  const facts: string[] = [];
  const mismatch: string[] = [];
  let match = false;
  for (const raw of asArray(route.route)) {
    const destination = asObject(asObject(raw).destination);
    const host = asString(destination.host) ?? '';
    const subset = asString(destination.subset) ?? '';
    const weight = Number(asObject(raw).weight ?? 0);
    if (extendFqdn(resolveShortName(host, metaOf(vs).namespace)) === service.hostname) {
      if (subset !== '') {
        if (subsets.other.includes(subset)) {
          mismatch.push(`Route to non-matching subset ${subset} for (${renderMatches(asArray(route.match))})`);
          continue;
        }
        if (!subsets.matching.includes(subset)) {
          mismatch.push(
            rule === undefined
              ? `Warning: Route to subset ${subset} but NO DESTINATION RULE defining subsets!`
              : `Warning: Route to UNKNOWN subset ${subset}; check DestinationRule ${metaOf(rule).name}`,
          );
          continue;
        }
      }
      match = true;
      if (weight > 0) facts.push(`Route to host "${host}"${subset === '' ? '' : ` subset "${subset}"`} with weight ${weight}%`);
    } else if (subset === '') {
      facts.push(`Route to host "${host}" with weight ${weight}%`);
    } else {
      facts.push(`Route to ${host} with invalid config`);
    }
  }
  if (match) {
    const conditions: string[] = [];
    if (route.fault !== undefined) conditions.push(`Fault injection ${renderFault(route.fault)}`);
    for (const m of asArray(route.match)) conditions.push(renderMatch(m));
    if (conditions.length > 0) facts.push(conditions.join(', '));
  }
  if (!match && mismatch.length > 0) facts.push(...mismatch);
  return { match, facts };
}

/** istioctl's printVirtualService: the rules that reach this pod, or why none do. */
function virtualServiceLines(vs: JsonObject, service: MeshService, namespace: string, subsets: Subsets, rule: JsonObject | undefined): string[] {
  const spec = asObject(vs.spec);
  const http = asArray(spec.http).map(asObject);
  const tcp = asArray(spec.tcp).map(asObject);
  const out = [`VirtualService: ${kname(vs, namespace)}`];
  let matches = 0;
  let facts = 0;
  const mismatch: string[] = [];
  for (const route of http) {
    const result = httpRouteFacts(vs, route, service, subsets, rule);
    if (result.match) {
      matches += 1;
      for (const fact of result.facts) out.push(`   ${fact}`);
      facts += result.facts.length;
    } else {
      mismatch.push(...result.facts);
    }
  }
  for (const route of tcp) {
    const reaches = asArray(route.route).some((raw) => extendFqdn(resolveShortName(asString(asObject(asObject(raw).destination).host) ?? '', metaOf(vs).namespace)) === service.hostname);
    if (reaches) matches += 1;
  }
  if (matches === 0) {
    if (http.length > 0) out.push(`   WARNING: No destinations match pod subsets (checked ${http.length} HTTP routes)`);
    if (tcp.length > 0) out.push(`   WARNING: No destinations match pod subsets (checked ${tcp.length} TCP routes)`);
    for (const note of mismatch) out.push(`      ${note}`);
    return out;
  }
  const possible = http.length + asArray(spec.tls).length + tcp.length;
  if (matches < possible) {
    out.push(`   ${possible - matches} additional destination(s) that will not reach this pod`);
    if (facts === 0) for (const note of mismatch) out.push(`      ${note}`);
    return out;
  }
  if (facts === 0) {
    if (http.length > 0) out.push(`   ${http.length} HTTP route(s)`);
    if (tcp.length > 0) out.push(`   ${tcp.length} TCP route(s)`);
  }
  return out;
}

/** True when `route` of a gateway's route table sends to `service` on `port`, as istioctl decides it. */
function routeReaches(domains: readonly string[], clusters: readonly string[], service: MeshService, port: number): boolean {
  const fqdn = `${service.name}.${service.namespace}${SVC_SUFFIX}`;
  if (domains.some((domain) => domain === fqdn || domain.endsWith(`.${fqdn}`))) return true;
  const first = clusters[0] ?? '';
  const parts = first.split('|');
  return parts[0] === 'outbound' && parts[1] === String(port) && parts[3] === fqdn;
}

/**
 * istioctl's printIngressInfo: for every ingress gateway pod (label istio=ingressgateway)
 * whose route table sends traffic to one of the pod's services, the gateway's address and
 * the VirtualService that routes there, once per Istio Gateway.
 */
function ingressLines(model: MeshModel, services: readonly MeshService[], podLabels: Readonly<Record<string, string>>, namespace: string): string[] {
  const ingressPods = model.snapshot
    .list('Pod')
    .filter((p) => metaOf(p).labels.istio === 'ingressgateway' && asObject(p.status).phase === 'Running');
  if (ingressPods.length === 0) return ['Skipping Gateway information (no ingress gateway pods)'];
  const ingresses: { service: JsonObject; pods: JsonObject[] }[] = [];
  for (const ns of [...new Set(ingressPods.map((p) => metaOf(p).namespace))]) {
    for (const svc of model.snapshot.list('Service').filter((s) => metaOf(s).namespace === ns)) {
      const selector = asObject(asObject(svc.spec).selector);
      const pods = ingressPods.filter((p) => metaOf(p).namespace === ns && Object.entries(selector).every(([k, v]) => metaOf(p).labels[k] === String(v)));
      if (pods.length > 0) ingresses.push({ service: svc, pods });
    }
  }
  const out: string[] = [];
  if (ingresses.length === 0) out.push('Skipping Gateway information (no ingress gateway service)');
  const seenGateways = new Set<string>();
  for (const ingressPod of ingressPods) {
    const gatewayProxy = model.proxy(`${metaOf(ingressPod).name}.${metaOf(ingressPod).namespace}`);
    if (gatewayProxy === undefined) continue;
    for (const service of services) {
      for (const port of service.ports) {
        const vs = gatewayVirtualService(model, gatewayProxy, service, port.port);
        if (vs === undefined) continue;
        const vsNamespace = metaOf(vs).namespace;
        for (let gatewayName of asArray(asObject(vs.spec).gateways).map(String)) {
          if (gatewayName === '' || gatewayName === 'mesh') continue;
          let gatewayNamespace = vsNamespace;
          const slash = gatewayName.indexOf('/');
          if (slash >= 0) {
            gatewayNamespace = gatewayName.slice(0, slash);
            gatewayName = gatewayName.slice(slash + 1);
          }
          const id = `${gatewayNamespace}/${gatewayName}`;
          if (seenGateways.has(id)) continue;
          const gateway = model.snapshot.list(KINDS.gateway).find((g) => metaOf(g).name === gatewayName && metaOf(g).namespace === gatewayNamespace);
          if (gateway === undefined) {
            out.push(`WARNING: Proxy is stale; it references to non-existent gateway ${id}`);
            continue;
          }
          seenGateways.add(id);
          const selector = asObject(asObject(gateway.spec).selector);
          const matching = ingresses
            .filter((ingress) => ingress.pods.some((p) => Object.entries(selector).every(([k, v]) => metaOf(p).labels[k] === String(v))))
            .sort((a, b) => (ingressIp(a) < ingressIp(b) ? -1 : ingressIp(a) > ingressIp(b) ? 1 : 0));
          if (matching.length === 0) continue;
          out.push('--------------------');
          for (const ingress of matching) out.push(...exposedLines(ingress));
          const rule = destinationRuleFor(model.snapshot, metaOf(ingressPod).namespace, service);
          out.push(...virtualServiceLines(vs, service, namespace, subsetsFor(rule, podLabels), rule));
        }
      }
    }
  }
  return out;
}

function gatewayVirtualService(model: MeshModel, gatewayProxy: ProxyConfig, service: MeshService, port: number): JsonObject | undefined {
  for (const table of gatewayProxy.routes) {
    if (table.name !== String(port) && !table.name.startsWith('http.') && !table.name.startsWith('https.')) continue;
    for (const host of table.virtualHosts) {
      for (const route of host.routes) {
        const clusters = route.action.kind === 'route' ? route.action.clusters.map((c) => c.cluster) : [];
        if (!routeReaches(host.domains, clusters, service, port)) continue;
        if (route.source.kind !== 'VirtualService') return undefined;
        return model.snapshot.list(KINDS.virtualService).find((vs) => metaOf(vs).name === route.source.name && metaOf(vs).namespace === route.source.namespace);
      }
    }
  }
  return undefined;
}

function ingressIp(ingress: { service: JsonObject; pods: JsonObject[] }): string {
  const lb = asObject(asArray(asObject(asObject(ingress.service.status).loadBalancer).ingress)[0]);
  return asString(lb.ip) ?? asString(asObject(ingress.pods[0]?.status).hostIP) ?? 'unknown';
}

/** `Exposed on Ingress Gateway http://<address>[:port]` for the service's http/http2 ports. */
function exposedLines(ingress: { service: JsonObject; pods: JsonObject[] }): string[] {
  const lines: string[] = [];
  for (const raw of asArray(asObject(ingress.service.spec).ports)) {
    const port = asObject(raw);
    const name = asString(port.name) ?? '';
    if ((asString(port.protocol) ?? 'TCP') !== 'TCP' || (name !== 'http2' && name !== 'http')) continue;
    const number = Number(port.port);
    lines.push(`Exposed on Ingress Gateway http://${ingressIp(ingress)}${number === 80 ? '' : `:${number}`}`);
  }
  return lines;
}
