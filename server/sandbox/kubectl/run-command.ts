// `kubectl run NAME --image=…`: builds the Pod kubectl's generator builds (labels run=NAME
// unless --labels, one container named NAME, --port, --env, --restart, --command/-- args),
// creates it (or prints it with --dry-run), and with --expose also a ClusterIP Service.
import { resourcePath } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { parseLabelList } from './label-list.ts';
import { objectName, parseOutputFormat, type KubeObject } from './object-output.ts';
import { createObject, dryRunStrategy, printResult } from './object-writing.ts';

const RESTART_POLICIES = new Set(['Always', 'OnFailure', 'Never']);

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
