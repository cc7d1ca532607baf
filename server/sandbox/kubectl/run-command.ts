// `kubectl run NAME --image=…`: builds the Pod kubectl's generator builds (labels run=NAME
// unless --labels, one container named NAME, --port, --env, --restart, --command/-- args),
// creates it (or prints it with --dry-run), and with --expose also a ClusterIP Service.
import { statusError } from './api-client.ts';
import { resourcePath } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { objectName, parseOutputFormat, printStructured, type KubeObject, type OutputFormat } from './object-output.ts';

const RESTART_POLICIES = new Set(['Always', 'OnFailure', 'Never']);

/** `a=b,c=d` → labels, as kubectl's ParseLabels reads --labels. */
export function parseLabelList(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.indexOf('=', eq + 1) !== -1) throw new KubectlError('LABELS_INVALID', `error: invalid label spec: ${part}`);
    labels[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return labels;
}

/** Parses `--dry-run` as kubectl does (none, client, server; the bare flag is unset). */
export function dryRunStrategy(value: string | undefined): 'none' | 'client' | 'server' {
  if (value === undefined || value === '' || value === 'none') return 'none';
  if (value === 'client' || value === 'server') return value;
  throw new KubectlError('DRY_RUN_INVALID', `error: Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/**
 * The body kubectl's typed clients send: the `creationTimestamp: null` that a printed
 * client-side object shows is absent on the wire (protobuf has no null).
 */
export function wireObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireObject);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'creationTimestamp' && child === null) continue;
    out[key] = wireObject(child);
  }
  return out;
}

/** Creates `object` (or not, for a client dry run) and returns what to print. */
export async function createObject(
  context: KubectlContext,
  path: string,
  object: KubeObject,
  dryRun: 'none' | 'client' | 'server',
  fieldManager: string,
): Promise<{ object: KubeObject; typed: boolean }> {
  if (dryRun === 'client') return { object, typed: true };
  const query = `?fieldManager=${fieldManager}${dryRun === 'server' ? '&dryRun=All' : ''}`;
  const response = await context.client.raw({ method: 'POST', path: path + query, body: wireObject(object) });
  if (response.status < 200 || response.status >= 300) throw statusError(response);
  return { object: JSON.parse(response.text) as KubeObject, typed: false };
}

/** `kind/name created`, `(dry run)` / `(server dry run)`, or the object in the -o format. */
export function printResult(context: KubectlContext, format: OutputFormat, name: string, verb: string, dryRun: 'none' | 'client' | 'server', object: KubeObject, typed: boolean): void {
  if (format.kind === 'table' || format.kind === 'wide') {
    const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
    context.out(`${name} ${verb}${suffix}\n`);
  } else if (format.kind === 'name') context.out(`${name}\n`);
  else context.out(printStructured(format, object, { typed }));
}

export async function runRun(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'image', type: 'string' },
    { name: 'port', type: 'string' },
    { name: 'labels', short: 'l', type: 'string' },
    { name: 'env', type: 'strings' },
    { name: 'restart', type: 'string' },
    { name: 'command', type: 'bool' },
    { name: 'dry-run', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'expose', type: 'bool' },
    { name: 'annotations', type: 'strings' },
    { name: 'image-pull-policy', type: 'string' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
    { name: 'attach', type: 'bool' },
    { name: 'rm', type: 'bool' },
    { name: 'quiet', short: 'q', type: 'bool' },
    { name: 'field-manager', type: 'string' },
    { name: 'save-config', type: 'bool' },
    { name: 'privileged', type: 'bool' },
    { name: 'pod-running-timeout', type: 'string' },
    { name: 'overrides', type: 'string' },
  ]);
  const name = flags.positionals[0];
  if (name === undefined || name === '') throw new KubectlError('NAME_REQUIRED', "error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
  const image = flagString(flags, 'image');
  if (image === undefined) throw new KubectlError('IMAGE_REQUIRED', 'error: required flag(s) "image" not set');
  if (image === '') throw new KubectlError('IMAGE_REQUIRED', "error: --image is required\nSee 'kubectl run -h' for help and examples");
  const restart = flagString(flags, 'restart') ?? 'Always';
  if (!RESTART_POLICIES.has(restart)) throw new KubectlError('RESTART_INVALID', `error: invalid restart policy: ${restart}\nSee 'kubectl run -h' for help and examples`);
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const port = flagString(flags, 'port') ?? '';
  const expose = flagBool(flags, 'expose');
  if (expose && port === '') throw new KubectlError('PORT_REQUIRED', "error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples");
  if (flagBool(flags, 'stdin') || flagBool(flags, 'tty') || flagBool(flags, 'attach') || flagBool(flags, 'rm')) {
    throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl run -i, -t, --attach and --rm are not available in this sandbox; run the pod, then kubectl exec into it');
  }
  if (flagString(flags, 'overrides') !== undefined) throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl run --overrides is not available in this sandbox');
  const format = parseOutputFormat(flagString(flags, 'output'));
  const labelText = flagString(flags, 'labels');
  const labels = labelText === undefined || labelText === '' ? { run: name } : parseLabelList(labelText);
  const annotations: Record<string, string> = {};
  for (const entry of flagList(flags, 'annotations')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new KubectlError('ANNOTATION_INVALID', `error: invalid annotation spec: ${entry}`);
    annotations[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  // Field order is the Go struct's, which -o json keeps for objects built client-side.
  const container: Record<string, unknown> = { name, image };
  const trailing = [...flags.positionals.slice(1), ...flags.rest];
  if (trailing.length > 0) container[flagBool(flags, 'command') ? 'command' : 'args'] = trailing;
  if (port !== '') {
    if (!/^\d+$/.test(port)) throw new KubectlError('PORT_INVALID', `error: strconv.Atoi: parsing "${port}": invalid syntax`);
    container.ports = [{ containerPort: Number(port) }];
  }
  const env = flagList(flags, 'env').map((entry) => {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new KubectlError('ENV_INVALID', `error: invalid env: ${entry}`);
    return { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
  });
  if (env.length > 0) container.env = env;
  container.resources = {};
  const pullPolicy = flagString(flags, 'image-pull-policy');
  if (pullPolicy !== undefined && pullPolicy !== '') container.imagePullPolicy = pullPolicy;
  if (flagBool(flags, 'privileged')) container.securityContext = { privileged: true };
  const metadata: Record<string, unknown> = { name, creationTimestamp: null, labels };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const pod: KubeObject = {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata,
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' },
    status: {},
  };
  const discovery = await context.discovery();
  const pods = discovery.resolve('pods');
  const namespace = context.namespace;
  const fieldManager = flagString(flags, 'field-manager') ?? 'kubectl-run';
  const created = await createObject(context, resourcePath(pods, namespace), pod, dryRun, fieldManager);
  if (expose) {
    const service: KubeObject = {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name, creationTimestamp: null },
      spec: { ports: [{ protocol: 'TCP', port: Number(port), targetPort: Number(port) }], selector: labels },
      status: { loadBalancer: {} },
    };
    const services = discovery.resolve('services');
    const exposed = await createObject(context, resourcePath(services, namespace), service, dryRun, fieldManager);
    printResult(context, format, objectName(services, exposed.object), 'created', dryRun, exposed.object, exposed.typed);
  }
  printResult(context, format, objectName(pods, created.object), 'created', dryRun, created.object, created.typed);
  return 0;
}
