// `istioctl kube-inject -f FILE`: the injector's mutation applied to the workloads of a file,
// with the settings of the installed control plane (the `istio-sidecar-injector` ConfigMap of
// the revision), printed as YAML documents for `| kubectl apply -f -`.
import { parse, parseAllDocuments } from 'yaml';
import { asArray, asObject, asString, isJsonObject, type JsonObject } from '../core/json-object.ts';
import { kubeInject, type KubeInjectOptions } from '../istio/control-plane/injection/kube-inject.ts';
import { nativeSidecarDefault } from '../istio/control-plane/injection/inject-sidecar.ts';
import { istiodName } from '../istio/control-plane/install/install-manifest.ts';
import { goYaml } from '../kubectl/go-yaml.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { flagString, parseFlags, type FlagSpec, type ParsedFlags } from './istioctl-flags.ts';

const KUBE_INJECT_FLAGS: readonly FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'string' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'revision', short: 'r', type: 'string' },
  { name: 'injectConfigMapName', type: 'string' },
  { name: 'meshConfigMapName', type: 'string' },
  { name: 'injectConfigFile', type: 'string' },
  { name: 'meshConfigFile', type: 'string' },
  { name: 'valuesFile', type: 'string' },
];

function parseDocuments(text: string, path: string): JsonObject[] {
  const objects: JsonObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new IstioctlError('FILE_INVALID', `error converting YAML to JSON in ${path}: yaml: ${document.errors[0]?.message.split('\n')[0] ?? 'invalid document'}`);
    const value = document.toJS() as unknown;
    if (!isJsonObject(value)) continue;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) objects.push(...asArray(value.items).map(asObject));
    else objects.push(value);
  }
  return objects;
}

function optionsFromValues(values: JsonObject, revision: string, namespace: string, nativeSidecar: boolean): KubeInjectOptions {
  const global = asObject(values.global);
  const options: KubeInjectOptions = {
    revision: revision === '' ? 'default' : revision,
    istioNamespace: namespace,
    discoveryService: istiodName(revision),
    nativeSidecar,
    cni: asObject(asObject(values.pilot).cni).enabled === true,
  };
  const hub = asString(global.hub);
  const tag = asString(global.tag);
  if (hub !== undefined) options.hub = hub;
  if (tag !== undefined) options.tag = tag;
  return options;
}

function parseValues(text: string): JsonObject {
  try {
    return asObject(parse(text));
  } catch {
    // Broken values: the chart defaults apply, as for a hand-edited ConfigMap.
    return {};
  }
}

/**
 * The injector's settings: from `--injectConfigFile`/`--valuesFile` without asking the cluster
 * (as istioctl does offline), else from the revision's injector ConfigMap and the nodes'
 * kubelet versions (native sidecars).
 */
async function injectorOptions(context: IstioctlContext, flags: ParsedFlags): Promise<KubeInjectOptions> {
  const revision = flagString(flags, 'revision') ?? '';
  const namespace = context.istioNamespace;
  const valuesFile = flagString(flags, 'valuesFile');
  let valuesText: string | undefined;
  if (valuesFile !== undefined) {
    valuesText = await context.readFile(valuesFile);
    if (valuesText === undefined) throw new IstioctlError('FILE_NOT_FOUND', `open ${valuesFile}: no such file or directory`);
  }
  const injectConfigFile = flagString(flags, 'injectConfigFile');
  if (injectConfigFile !== undefined) {
    if ((await context.readFile(injectConfigFile)) === undefined) throw new IstioctlError('FILE_NOT_FOUND', `open ${injectConfigFile}: no such file or directory`);
    return optionsFromValues(parseValues(valuesText ?? '{}'), revision, namespace, false);
  }
  const api = await context.api();
  const name = flagString(flags, 'injectConfigMapName') ?? (revision === '' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${revision}`);
  const configMap = await api.get('v1', 'ConfigMap', namespace, name);
  if (configMap === undefined) {
    throw new IstioctlError('INJECTOR_CONFIG_MISSING', `failed to get injection config: could not read valid configmap "${name}" from namespace "${namespace}": configmaps "${name}" not found - Use --injectConfigFile or re-run kube-inject with \`-i <istioSystemNamespace> and ensure istio-sidecar-injector configmap exists`);
  }
  const nodes = await api.client.json<JsonObject>({ path: '/api/v1/nodes' });
  const kubelets = asArray(nodes.items).map((node) => asString(asObject(asObject(asObject(node).status).nodeInfo).kubeletVersion) ?? '');
  return optionsFromValues(parseValues(valuesText ?? asString(asObject(configMap.data).values) ?? '{}'), revision, namespace, nativeSidecarDefault(kubelets));
}

const WORKLOAD_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController', 'Pod']);

function withCreationTimestamp(metadata: unknown): JsonObject {
  const out = asObject(metadata);
  return 'creationTimestamp' in out ? out : { ...out, creationTimestamp: null };
}

function withEmptyResources(podSpec: JsonObject): void {
  for (const key of ['containers', 'initContainers']) {
    if (!Array.isArray(podSpec[key])) continue;
    podSpec[key] = asArray(podSpec[key]).map((container) => ({ resources: {}, ...asObject(container) }));
  }
}

/**
 * How the object reads after istioctl decodes it into its Go type and marshals it again:
 * the zero values the types always write (`creationTimestamp: null`, `status: {}`,
 * `resources: {}`, a Deployment's `strategy: {}`) appear.
 */
function asMarshalled(object: JsonObject): JsonObject {
  const out = structuredClone(object);
  out.metadata = withCreationTimestamp(out.metadata);
  const kind = asString(out.kind) ?? '';
  if (kind === 'Service') out.status ??= { loadBalancer: {} };
  if (!WORKLOAD_KINDS.has(kind)) return out;
  out.status ??= {};
  const spec = asObject(out.spec);
  if (kind === 'Pod') withEmptyResources(spec);
  else {
    if (kind === 'Deployment') spec.strategy ??= {};
    const template = asObject(spec.template);
    template.metadata = withCreationTimestamp(template.metadata);
    const podSpec = asObject(template.spec);
    withEmptyResources(podSpec);
    template.spec = podSpec;
    spec.template = template;
  }
  out.spec = spec;
  return out;
}

export async function runKubeInject(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, KUBE_INJECT_FLAGS);
  const path = flagString(flags, 'filename');
  if (path === undefined || path === '') throw new IstioctlError('FILENAME_MISSING', 'filename not specified (see --filename or -f)');
  const text = await context.readFile(path);
  if (text === undefined) throw new IstioctlError('FILE_NOT_FOUND', `open ${path}: no such file or directory`);
  const objects = parseDocuments(text, path);
  const options = await injectorOptions(context, flags);
  const injected = kubeInject(objects, options);
  const rendered = injected.map((object) => `${goYaml(asMarshalled(object))}---\n`).join('');
  const target = flagString(flags, 'output');
  if (target !== undefined && target !== '') {
    if (context.io.writeFile === undefined) throw new IstioctlError('OUTPUT_UNSUPPORTED', `cannot write ${target} in this sandbox`);
    await context.io.writeFile(target.startsWith('/') ? target : `${context.io.cwd.replace(/\/+$/, '')}/${target}`, rendered);
    return 0;
  }
  context.out(rendered);
  return 0;
}
