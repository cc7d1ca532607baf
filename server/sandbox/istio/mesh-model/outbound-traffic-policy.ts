// Which outbound traffic policy a sidecar follows for hosts outside the service registry:
// ALLOW_ANY (PassthroughCluster) or REGISTRY_ONLY (BlackHoleCluster). A Sidecar resource that
// applies to the workload and sets `outboundTrafficPolicy` wins over the mesh-wide
// `meshConfig.outboundTrafficPolicy.mode` in the `istio` ConfigMap; Istio picks the Sidecar with
// a matching workloadSelector first, then the namespace's selector-less one, then the root
// namespace's (istio-system).
import { parse } from 'yaml';
import { asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { KINDS, metaOf, type MeshSnapshot } from './mesh-snapshot.ts';

export type OutboundTrafficMode = 'ALLOW_ANY' | 'REGISTRY_ONLY';

const ROOT_NAMESPACE = 'istio-system';

function modeOf(policy: unknown): OutboundTrafficMode | undefined {
  const mode = asString(asObject(policy).mode);
  return mode === 'ALLOW_ANY' || mode === 'REGISTRY_ONLY' ? mode : undefined;
}

/** `meshConfig.outboundTrafficPolicy.mode` from the `istio` ConfigMap; ALLOW_ANY by default. */
export function meshOutboundTrafficMode(snapshot: MeshSnapshot): OutboundTrafficMode {
  const configMap = snapshot.list('ConfigMap').find((o) => metaOf(o).name === 'istio' && metaOf(o).namespace === ROOT_NAMESPACE);
  const text = asString(asObject(configMap?.data).mesh);
  if (text === undefined) return 'ALLOW_ANY';
  try {
    return modeOf(asObject(parse(text) as unknown).outboundTrafficPolicy) ?? 'ALLOW_ANY';
  } catch {
    return 'ALLOW_ANY';
  }
}

/** The Sidecar resource that applies to a workload, if any. */
export function sidecarResourceFor(snapshot: MeshSnapshot, workload: { namespace: string; labels: Readonly<Record<string, string>> }): JsonObject | undefined {
  const sidecars = snapshot.list(KINDS.sidecar);
  const selectorOf = (s: JsonObject): unknown => asObject(asObject(s.spec).workloadSelector).labels;
  const inNamespace = sidecars.filter((s) => metaOf(s).namespace === workload.namespace);
  return (
    inNamespace.find((s) => selectorOf(s) !== undefined && labelSelectorMatches({ matchLabels: selectorOf(s) }, workload.labels)) ??
    inNamespace.find((s) => selectorOf(s) === undefined) ??
    sidecars.find((s) => metaOf(s).namespace === ROOT_NAMESPACE && selectorOf(s) === undefined)
  );
}

export function outboundTrafficMode(snapshot: MeshSnapshot, workload: { namespace: string; labels: Readonly<Record<string, string>> }): OutboundTrafficMode {
  const sidecar = sidecarResourceFor(snapshot, workload);
  return modeOf(asObject(sidecar?.spec).outboundTrafficPolicy) ?? meshOutboundTrafficMode(snapshot);
}
