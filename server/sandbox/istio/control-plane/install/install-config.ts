// `istioctl install` configuration: the chosen profile overlaid with `-f` IstioOperator files and
// `--set` values, in istioctl's order (default profile < selected profile < files < --set).
import { asArray, asObject, asString, deepClone, isJsonObject, type JsonObject } from '../../../core/json-object.ts';
import { CHART_PROFILE_VALUES, INSTALL_PROFILES } from './install-profiles.ts';
import { ISTIO_RELEASE } from './istio-release.ts';

export class InstallConfigError extends Error {
  readonly code: 'UNKNOWN_PROFILE' | 'BAD_SET_FLAG' | 'NOT_ISTIO_OPERATOR';
  constructor(code: InstallConfigError['code'], message: string) {
    super(message);
    this.name = 'InstallConfigError';
    this.code = code;
  }
}

export interface GatewaySetting {
  name: string;
  enabled: boolean;
  namespace: string;
  /** Extra labels from the IstioOperator (`label:`), merged over the chart defaults. */
  label: Record<string, string>;
}

export interface InstallConfig {
  profile: string;
  /** `''` for the default revision, else e.g. `canary`. */
  revision: string;
  namespace: string;
  hub: string;
  tag: string;
  components: {
    base: boolean;
    pilot: boolean;
    cni: boolean;
    ztunnel: boolean;
    ingressGateways: GatewaySetting[];
    egressGateways: GatewaySetting[];
  };
  meshConfig: JsonObject;
  values: JsonObject;
  /** The fully merged IstioOperator, as `istioctl manifest generate` would see it. */
  operator: JsonObject;
}

export interface InstallRequest {
  /** `--set` arguments, each `path=value` (e.g. `profile=demo`, `meshConfig.accessLogFile=/dev/stdout`). */
  set?: readonly string[];
  /** Parsed `-f` files, each an IstioOperator object. */
  files?: readonly JsonObject[];
}

const GATEWAY_LISTS = new Set(['ingressGateways', 'egressGateways']);

function mergeGatewayLists(base: unknown[], overlay: unknown[]): unknown[] {
  const out = base.map((item) => deepClone(item));
  for (const item of overlay) {
    const name = asString(asObject(item).name);
    const index = out.findIndex((existing) => name !== undefined && asString(asObject(existing).name) === name);
    if (index >= 0) out[index] = deepMerge(out[index], item, '');
    else out.push(deepClone(item));
  }
  return out;
}

/** Objects merge key by key; lists replace, except gateway lists, which istioctl merges by name. */
function deepMerge(base: unknown, overlay: unknown, key: string): unknown {
  if (GATEWAY_LISTS.has(key) && Array.isArray(base) && Array.isArray(overlay)) return mergeGatewayLists(base, overlay);
  if (!isJsonObject(base) || !isJsonObject(overlay)) return deepClone(overlay);
  const out: JsonObject = deepClone(base);
  for (const [childKey, value] of Object.entries(overlay)) {
    out[childKey] = childKey in out ? deepMerge(out[childKey], value, childKey) : deepClone(value);
  }
  return out;
}

function parseScalar(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

type PathSegment = { key: string } | { index: number } | { match: [string, string] };

function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const found = /^([^[\]]*)((?:\[[^\]]*\])*)$/.exec(part);
    if (found === null || (found[1] === '' && found[2] === '')) throw new InstallConfigError('BAD_SET_FLAG', `invalid path ${path}`);
    if (found[1] !== '') segments.push({ key: found[1] as string });
    for (const bracket of (found[2] ?? '').matchAll(/\[([^\]]*)\]/g)) {
      const inner = bracket[1] ?? '';
      const colon = inner.indexOf(':');
      if (colon > 0) segments.push({ match: [inner.slice(0, colon), inner.slice(colon + 1)] });
      else if (/^\d+$/.test(inner)) segments.push({ index: Number(inner) });
      else throw new InstallConfigError('BAD_SET_FLAG', `invalid path ${path}`);
    }
  }
  return segments;
}

function setAtPath(root: JsonObject, path: string, value: unknown): void {
  const segments = parsePath(path);
  let current: unknown = root;
  segments.forEach((segment, position) => {
    const last = position === segments.length - 1;
    const nextIsList = !last && !('key' in (segments[position + 1] as PathSegment));
    if ('key' in segment) {
      const holder = current as JsonObject;
      if (last) holder[segment.key] = value;
      else if (holder[segment.key] === undefined || typeof holder[segment.key] !== 'object') holder[segment.key] = nextIsList ? [] : {};
      current = holder[segment.key];
      return;
    }
    if (!Array.isArray(current)) throw new InstallConfigError('BAD_SET_FLAG', `path ${path}: not a list`);
    let index: number;
    if ('index' in segment) index = segment.index;
    else {
      const [field, wanted] = segment.match;
      index = current.findIndex((item) => String(asObject(item)[field]) === wanted);
      if (index < 0) {
        current.push({ [field]: wanted });
        index = current.length - 1;
      }
    }
    while (current.length <= index) current.push({});
    if (last) current[index] = value;
    else if (typeof current[index] !== 'object' || current[index] === null) current[index] = {};
    current = current[index];
  });
}

function gatewaySettings(list: unknown, namespace: string): GatewaySetting[] {
  return asArray(list).map((item) => {
    const entry = asObject(item);
    const label: Record<string, string> = {};
    for (const [key, value] of Object.entries(asObject(entry.label))) label[key] = String(value);
    return {
      name: asString(entry.name) ?? '',
      enabled: entry.enabled === true,
      namespace: asString(entry.namespace) ?? namespace,
      label,
    };
  });
}

function enabled(component: unknown): boolean {
  return asObject(component).enabled === true;
}

/** Resolves what `istioctl install [-f …] [--set …]` would install. */
export function resolveInstallConfig(request: InstallRequest = {}): InstallConfig {
  const files = request.files ?? [];
  for (const file of files) {
    if (file.kind !== 'IstioOperator') throw new InstallConfigError('NOT_ISTIO_OPERATOR', `could not parse file: kind "${String(file.kind)}" is not IstioOperator`);
  }
  // --set paths are relative to spec and apply to the merged result, so list indexes address
  // the gateways the profile already declares.
  const flags: Array<[string, unknown]> = [];
  for (const flag of request.set ?? []) {
    const equals = flag.indexOf('=');
    if (equals <= 0) throw new InstallConfigError('BAD_SET_FLAG', `--set ${flag}: expected path=value`);
    const path = flag.slice(0, equals);
    parsePath(path);
    flags.push([path, parseScalar(flag.slice(equals + 1))]);
  }
  let profile = 'default';
  for (const file of files) profile = asString(asObject(file.spec).profile) ?? profile;
  for (const [path, value] of flags) if (path === 'profile') profile = String(value);
  const selected = INSTALL_PROFILES[profile];
  if (selected === undefined) {
    throw new InstallConfigError('UNKNOWN_PROFILE', `could not read profile "${profile}": profile does not exist`);
  }

  let spec = asObject(deepClone(asObject((INSTALL_PROFILES.default as JsonObject).spec)));
  // A release's profiles carry the release hub and tag, not the development ones.
  spec.hub = ISTIO_RELEASE.hub;
  spec.tag = ISTIO_RELEASE.tag;
  if (profile !== 'default') spec = asObject(deepMerge(spec, asObject(selected.spec), 'spec'));
  const chartProfile = CHART_PROFILE_VALUES[asString(asObject(spec.values).profile) ?? ''];
  if (chartProfile !== undefined) spec = asObject(deepMerge(spec, chartProfile, 'spec'));
  for (const file of files) spec = asObject(deepMerge(spec, asObject(file.spec), 'spec'));
  for (const [path, value] of flags) setAtPath(spec, path, value);
  spec.profile = profile;

  const values = asObject(spec.values);
  const namespace = asString(asObject(values.global).istioNamespace) ?? 'istio-system';
  const components = asObject(spec.components);
  return {
    profile,
    revision: asString(spec.revision) ?? '',
    namespace,
    hub: asString(spec.hub) ?? ISTIO_RELEASE.hub,
    tag: String(spec.tag ?? ISTIO_RELEASE.tag),
    components: {
      base: enabled(components.base),
      pilot: enabled(components.pilot),
      cni: enabled(components.cni),
      ztunnel: enabled(components.ztunnel),
      ingressGateways: gatewaySettings(components.ingressGateways, namespace),
      egressGateways: gatewaySettings(components.egressGateways, namespace),
    },
    meshConfig: asObject(spec.meshConfig),
    values,
    operator: { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'installed-state', namespace }, spec },
  };
}
