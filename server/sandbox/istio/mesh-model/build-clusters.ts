// Outbound clusters and their endpoints for every service port a proxy can reach: the default
// cluster `outbound|<port>||<host>` plus one per DestinationRule subset, each with the rule's
// traffic policy (subset and port-level settings merged over the top level) and client TLS.
// Without a TLS setting the cluster uses auto mTLS, decided per endpoint.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { spiffeIdentity } from './discover-proxies.ts';
import { effectiveMtlsMode } from './effective-mtls.ts';
import { KINDS, metaOf, ROOT_NAMESPACE, type MeshSnapshot } from './mesh-snapshot.ts';
import type { Cluster, ClusterTlsMode, Endpoint, EndpointGroup, TrafficPolicy } from './proxy-config.ts';
import { hostMatches, resolveShortName, visibleIn, type MeshService, type ServicePort, type WorkloadInstance } from './service-registry.ts';
import { outboundClusterName } from './virtual-service-routes.ts';

/**
 * The DestinationRule a proxy in `proxyNamespace` applies to `host`: its own namespace's first,
 * then the service's namespace, then the root namespace; an exact host beats a wildcard.
 */
export function destinationRuleFor(snapshot: MeshSnapshot, proxyNamespace: string, service: MeshService): JsonObject | undefined {
  const rules = snapshot.list(KINDS.destinationRule);
  for (const namespace of [proxyNamespace, service.namespace, ROOT_NAMESPACE]) {
    const candidates = rules.filter((rule) => {
      const meta = metaOf(rule);
      if (meta.namespace !== namespace) return false;
      const exportTo = asArray(asObject(rule.spec).exportTo).map(String);
      return visibleIn(exportTo.length === 0 ? ['*'] : exportTo, meta.namespace, proxyNamespace);
    });
    const hostOf = (rule: JsonObject): string => resolveShortName(asString(asObject(rule.spec).host) ?? '', metaOf(rule).namespace);
    const exact = candidates.find((rule) => hostOf(rule) === service.hostname);
    if (exact !== undefined) return exact;
    const wildcard = candidates.find((rule) => hostMatches(hostOf(rule), service.hostname));
    if (wildcard !== undefined) return wildcard;
  }
  return undefined;
}

function policyFields(policy: JsonObject, port: number): JsonObject {
  const base: JsonObject = { ...policy };
  delete base.portLevelSettings;
  const portLevel = asArray(policy.portLevelSettings).map(asObject).find((s) => Number(asObject(s.port).number) === port);
  if (portLevel !== undefined) {
    for (const [key, value] of Object.entries(portLevel)) if (key !== 'port') base[key] = value;
  }
  return base;
}

function mergedPolicy(top: JsonObject, subset: JsonObject | undefined, port: number): JsonObject {
  const merged = policyFields(top, port);
  // A subset's policy replaces the top-level fields it sets (istiod's MergeTrafficPolicy).
  if (subset !== undefined) for (const [key, value] of Object.entries(policyFields(subset, port))) merged[key] = value;
  return merged;
}

function trafficPolicy(policy: JsonObject): TrafficPolicy {
  const out: TrafficPolicy = {};
  if (policy.loadBalancer !== undefined) out.loadBalancer = asObject(policy.loadBalancer);
  if (policy.connectionPool !== undefined) out.connectionPool = asObject(policy.connectionPool);
  if (policy.outlierDetection !== undefined) out.outlierDetection = asObject(policy.outlierDetection);
  return out;
}

function tlsMode(policy: JsonObject): { mode: ClusterTlsMode; sni?: string } {
  const tls = asObject(policy.tls);
  const mode = asString(tls.mode);
  const out: { mode: ClusterTlsMode; sni?: string } = { mode: mode === 'ISTIO_MUTUAL' || mode === 'DISABLE' || mode === 'SIMPLE' || mode === 'MUTUAL' ? mode : 'AUTO' };
  const sni = asString(tls.sni);
  if (sni !== undefined) out.sni = sni;
  return out;
}

function endpointsFor(snapshot: MeshSnapshot, service: MeshService, port: ServicePort, labels: Readonly<Record<string, string>> | undefined): Endpoint[] {
  const peerAuthentications = snapshot.list(KINDS.peerAuthentication);
  return service.instances
    .filter((instance) => labels === undefined || labelSelectorMatches({ matchLabels: labels }, instance.labels))
    .flatMap((instance: WorkloadInstance): Endpoint[] => {
      const target = instance.ports.get(port.port);
      if (target === undefined) return [];
      const serverMode = instance.hasSidecar ? effectiveMtlsMode(peerAuthentications, { namespace: instance.namespace, labels: instance.labels, port: target }).mode : 'DISABLE';
      const endpoint: Endpoint = {
        address: instance.ip,
        port: target,
        labels: instance.labels,
        healthy: instance.ready,
        hasSidecar: instance.hasSidecar,
        autoMtls: instance.hasSidecar && serverMode !== 'DISABLE',
      };
      if (instance.podName !== '') endpoint.podName = instance.podName;
      endpoint.namespace = instance.namespace;
      if (instance.serviceAccount !== '') endpoint.identity = spiffeIdentity(instance.namespace, instance.serviceAccount);
      return [endpoint];
    });
}

function clusterType(service: MeshService): Cluster['type'] {
  if (service.source === 'kubernetes') return 'EDS';
  if (service.resolution === 'DNS') return 'STRICT_DNS';
  if (service.resolution === 'DNS_ROUND_ROBIN') return 'LOGICAL_DNS';
  if (service.resolution === 'STATIC') return 'EDS';
  return 'ORIGINAL_DST';
}

/** Clusters and endpoints for one service, as seen from a proxy in `proxyNamespace`. */
export function buildServiceClusters(snapshot: MeshSnapshot, proxyNamespace: string, service: MeshService): { clusters: Cluster[]; endpoints: EndpointGroup[] } {
  const rule = destinationRuleFor(snapshot, proxyNamespace, service);
  const ruleSpec = asObject(rule?.spec);
  const top = asObject(ruleSpec.trafficPolicy);
  const ruleName = rule === undefined ? undefined : `${metaOf(rule).name}.${metaOf(rule).namespace}`;
  const clusters: Cluster[] = [];
  const endpoints: EndpointGroup[] = [];
  for (const port of service.ports) {
    const variants: Array<{ subset: string; labels?: Record<string, string>; policy: JsonObject }> = [{ subset: '', policy: mergedPolicy(top, undefined, port.port) }];
    for (const raw of asArray(ruleSpec.subsets)) {
      const subset = asObject(raw);
      const labels = Object.fromEntries(Object.entries(asObject(subset.labels)).map(([k, v]) => [k, String(v)]));
      variants.push({ subset: asString(subset.name) ?? '', labels, policy: mergedPolicy(top, asObject(subset.trafficPolicy), port.port) });
    }
    for (const variant of variants) {
      const name = outboundClusterName(port.port, variant.subset, service.hostname);
      const cluster: Cluster = {
        name,
        direction: 'outbound',
        host: service.hostname,
        port: port.port,
        subset: variant.subset,
        type: clusterType(service),
        trafficPolicy: trafficPolicy(variant.policy),
        tls: tlsMode(variant.policy),
      };
      if (ruleName !== undefined) cluster.destinationRule = ruleName;
      if (variant.labels !== undefined) cluster.subsetLabels = variant.labels;
      clusters.push(cluster);
      endpoints.push({ cluster: name, endpoints: endpointsFor(snapshot, service, port, variant.labels) });
    }
  }
  return { clusters, endpoints };
}

/** Whether a client speaks mTLS to one endpoint of a cluster. */
export function clientUsesMtls(cluster: Cluster, endpoint: Endpoint): boolean {
  if (cluster.tls.mode === 'ISTIO_MUTUAL') return true;
  if (cluster.tls.mode === 'AUTO') return endpoint.autoMtls;
  return false;
}
