// `istioctl x describe pod <pod>` (istioctl/pkg/describe): the pod's ports, the services and
// DestinationRules that apply to it, its effective PeerAuthentication, the VirtualServices
// routing to it and whether an ingress gateway exposes it. A summary, not Envoy's raw state.
import { asArray, asObject } from '../../core/json-object.ts';
import { destinationRuleFor } from '../mesh-model/build-clusters.ts';
import type { MeshModel } from '../mesh-model/build-mesh-model.ts';
import { KINDS, metaOf } from '../mesh-model/mesh-snapshot.ts';
import { hostMatches, resolveShortName } from '../mesh-model/service-registry.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { effectiveMtlsMode } from '../mesh-model/effective-mtls.ts';

export class DescribePodError extends Error {
  readonly code = 'DESCRIBE_POD_NOT_FOUND';
}

export function describePod(model: MeshModel, podName: string, namespace: string): string {
  const pod = model.snapshot.list('Pod').find((p) => metaOf(p).name === podName && metaOf(p).namespace === namespace);
  if (pod === undefined) throw new DescribePodError(`pods "${podName}" not found`);
  const meta = metaOf(pod);
  const out: string[] = [`Pod: ${podName}`];
  const proxy = model.proxy(`${podName}.${namespace}`);
  if (proxy !== undefined) out.push(`   Pod Revision: ${proxy.proxy.revision}`);
  const ports = asArray(asObject(pod.spec).containers).flatMap((c) => asArray(asObject(c).ports).map((p) => `${String(asObject(p).containerPort)} (${String(asObject(c).name)})`));
  if (ports.length > 0) out.push(`   Pod Ports: ${ports.join(', ')}`);
  if (proxy === undefined) out.push('WARNING: istio-proxy container not found');
  for (const service of model.registry.servicesForPod(pod)) {
    out.push('--------------------', `Service: ${service.name}`);
    const instance = service.instances.find((i) => i.podName === podName);
    for (const port of service.ports) {
      const target = instance?.ports.get(port.port);
      const protocol = port.protocol === 'UNKNOWN' ? 'auto-detect' : port.protocol;
      out.push(`   Port: ${port.name} ${port.port}/${protocol} targets pod port ${target ?? port.targetPort}`);
    }
    const rule = destinationRuleFor(model.snapshot, namespace, service);
    if (rule !== undefined) {
      const spec = asObject(rule.spec);
      out.push(`DestinationRule: ${metaOf(rule).name} for "${String(spec.host)}"`);
      const subsets = asArray(spec.subsets).map(asObject);
      const matching = subsets.filter((s) => labelSelectorMatches({ matchLabels: asObject(s.labels) }, meta.labels)).map((s) => String(s.name));
      const other = subsets.map((s) => String(s.name)).filter((n) => !matching.includes(n));
      if (matching.length > 0) out.push(`   Matching subsets: ${matching.join(',')}`);
      if (other.length > 0) out.push(`      (Non-matching subsets ${other.join(',')})`);
      const tls = asObject(asObject(spec.trafficPolicy).tls).mode;
      out.push(typeof tls === 'string' ? `   Traffic Policy TLS Mode: ${tls}` : '   No Traffic Policy');
    }
    for (const vs of model.snapshot.list(KINDS.virtualService)) {
      const vsSpec = asObject(vs.spec);
      const gateways = asArray(vsSpec.gateways).map(String);
      if (gateways.length > 0 && !gateways.includes('mesh')) continue;
      if (!asArray(vsSpec.hosts).some((h) => hostMatches(resolveShortName(String(h), metaOf(vs).namespace), service.hostname))) continue;
      out.push(`VirtualService: ${metaOf(vs).name}`);
      const http = asArray(vsSpec.http).map(asObject);
      const toHere = http.filter((rule) => asArray(rule.route).some((r) => {
        const d = asObject(asObject(r).destination);
        return d.subset === undefined || matchingSubset(model, namespace, service.hostname, String(d.subset), meta.labels);
      }));
      if (toHere.length === 0) out.push(`   WARNING: No destinations match pod subsets (checked ${http.length} HTTP routes)`);
      else out.push(`   ${http.length} HTTP route(s)`);
    }
  }
  if (proxy !== undefined) {
    const mtls = effectiveMtlsMode(model.snapshot.list(KINDS.peerAuthentication), { namespace, labels: meta.labels });
    out.push('--------------------', 'Effective PeerAuthentication:', `   Workload mTLS mode: ${mtls.mode}`);
    if (mtls.policies.length > 0) out.push('Applied PeerAuthentication:', `   ${mtls.policies.join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

function matchingSubset(model: MeshModel, namespace: string, host: string, subset: string, labels: Readonly<Record<string, string>>): boolean {
  const service = model.registry.byHostname(host);
  if (service === undefined) return false;
  const rule = destinationRuleFor(model.snapshot, namespace, service);
  const found = asArray(asObject(rule?.spec).subsets).map(asObject).find((s) => s.name === subset);
  return found !== undefined && labelSelectorMatches({ matchLabels: asObject(found.labels) }, labels);
}
