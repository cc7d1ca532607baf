// The PeerAuthentication mode a workload port enforces, with Istio's precedence: a workload
// policy (selector) beats the namespace policy, which beats the mesh policy in the root
// namespace; UNSET inherits from the level above; `portLevelMtls` of the workload policy wins
// for its port. With no policy at all the mode is PERMISSIVE.
import { asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { labelSelectorMatches } from '../control-plane/injection/label-selector-match.ts';
import { byAge, metaOf, ROOT_NAMESPACE } from './mesh-snapshot.ts';
import type { EffectiveMtls, MtlsMode } from './proxy-config.ts';

export interface MtlsTarget {
  namespace: string;
  labels: Readonly<Record<string, string>>;
  /** The pod port the connection arrives on; omit for the workload-level mode. */
  port?: number;
}

function modeOf(value: unknown): MtlsMode | undefined {
  const mode = asString(asObject(value).mode);
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : undefined;
}

function hasSelector(policy: JsonObject): boolean {
  return Object.keys(asObject(asObject(asObject(policy.spec).selector).matchLabels)).length > 0;
}

/** `policies`: every PeerAuthentication in the snapshot (any namespace). */
export function effectiveMtlsMode(policies: readonly JsonObject[], target: MtlsTarget, rootNamespace = ROOT_NAMESPACE): EffectiveMtls {
  const sorted = [...policies].sort(byAge);
  const mesh = sorted.find((p) => metaOf(p).namespace === rootNamespace && !hasSelector(p));
  const namespacePolicy = target.namespace === rootNamespace ? undefined : sorted.find((p) => metaOf(p).namespace === target.namespace && !hasSelector(p));
  const workload = sorted.find(
    (p) => metaOf(p).namespace === target.namespace && hasSelector(p) && labelSelectorMatches(asObject(asObject(p.spec).selector), target.labels),
  );
  let mode: MtlsMode = 'PERMISSIVE';
  const decided: string[] = [];
  const apply = (policy: JsonObject | undefined, value: unknown): void => {
    if (policy === undefined) return;
    const m = modeOf(value);
    if (m === undefined) return;
    mode = m;
    decided.push(`${metaOf(policy).name}.${metaOf(policy).namespace}`);
  };
  apply(mesh, asObject(mesh?.spec).mtls);
  apply(namespacePolicy, asObject(namespacePolicy?.spec).mtls);
  if (workload !== undefined) {
    const spec = asObject(workload.spec);
    const portLevel = target.port === undefined ? undefined : asObject(spec.portLevelMtls)[String(target.port)];
    if (portLevel !== undefined && modeOf(portLevel) !== undefined) apply(workload, portLevel);
    else apply(workload, spec.mtls);
  }
  return { mode, policies: decided };
}
