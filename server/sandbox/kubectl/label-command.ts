// `kubectl label` and `kubectl annotate`: GET each object, check --overwrite client-side,
// send a JSON merge patch of the changed keys, print `kind/name labeled|unlabeled|not labeled`.
import { resourcePath, type ApiResource } from './discovery.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { objectName, parseOutputFormat, printStructured, type KubeObject } from './object-output.ts';
import { goJsonCompact } from './go-json.ts';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function runLabel(context: KubectlContext, args: readonly string[]): Promise<number> {
  return runMetadataEdit(context, args, 'label');
}

export function runAnnotate(context: KubectlContext, args: readonly string[]): Promise<number> {
  return runMetadataEdit(context, args, 'annotate');
}

async function runMetadataEdit(context: KubectlContext, args: readonly string[], verb: 'label' | 'annotate'): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'overwrite', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'list', type: 'bool' },
    { name: 'resource-version', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'field-manager', type: 'string' },
    { name: 'filename', short: 'f', type: 'strings' },
  ]);
  const field = verb === 'label' ? 'labels' : 'annotations';
  const overwrite = flagBool(flags, 'overwrite');
  const positionals = [...flags.positionals, ...flags.rest];
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const arg of positionals) {
    if (arg.includes('=') || arg.endsWith('-')) pairs.push(arg);
    else if (pairs.length > 0) throw new KubectlError('ARGS_ORDER', `error: all resources must be specified before ${verb} changes: ${arg}`);
    else resources.push(arg);
  }
  if (resources.length === 0 && flagString(flags, 'selector') === undefined) {
    throw new KubectlError('RESOURCES_REQUIRED', 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (pairs.length === 0 && !flagBool(flags, 'list')) throw new KubectlError('NO_UPDATES', `error: at least one ${verb === 'label' ? 'label' : 'annotation'} update is required`);
  const additions = new Map<string, string>();
  const removals: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq === -1) {
      removals.push(pair.slice(0, -1));
      continue;
    }
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (verb === 'label' && !LABEL_VALUE.test(value)) {
      throw new KubectlError(
        'LABEL_INVALID',
        `error: invalid label value: "${pair}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      );
    }
    additions.set(key, value);
  }
  const format = parseOutputFormat(flagString(flags, 'output'));
  const discovery = await context.discovery();
  const selector = flagString(flags, 'selector');
  const { requests } = resourceRequests(discovery, resources);
  const targets: { resource: ApiResource; object: KubeObject }[] = [];
  const namespace = context.namespace;
  for (const request of requests) {
    if (request.names.length === 0) {
      if (selector === undefined && !flagBool(flags, 'all')) throw new KubectlError('NAME_REQUIRED', 'error: resource(s) were provided, but no name was specified');
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + query });
      for (const item of list.items ?? []) targets.push({ resource: request.resource, object: item });
    } else {
      for (const name of request.names) targets.push({ resource: request.resource, object: await context.client.json<KubeObject>({ path: resourcePath(request.resource, namespace, name) }) });
    }
  }
  if (targets.length === 0 && selector !== undefined) {
    context.out('No resources found\n');
    return 0;
  }
  for (const { resource, object } of targets) {
    const current: Record<string, string> = { ...((object.metadata?.[field] as Record<string, string> | undefined) ?? {}) };
    if (flagBool(flags, 'list') && pairs.length === 0) {
      // kubectl walks a Go map here, in no fixed order; sorted keys are one of its orders.
      context.out(Object.keys(current).sort().map((key) => `${key}=${current[key] ?? ''}\n`).join(''));
      continue;
    }
    if (!overwrite) {
      const conflicts = [...additions].filter(([key, value]) => current[key] !== undefined && current[key] !== value);
      if (conflicts.length > 0) {
        if (verb === 'label') {
          const [key] = conflicts[0] ?? [''];
          throw new KubectlError('OVERWRITE_REQUIRED', `error: '${key}' already has a value (${current[key] ?? ''}), and --overwrite is false`);
        }
        const list = conflicts.map(([key]) => `'${key}' already has a value (${current[key] ?? ''})`).join(', ');
        throw new KubectlError('OVERWRITE_REQUIRED', `error: --overwrite is false but found the following declared annotation(s): ${list}`);
      }
    }
    const before = goJsonCompact(current);
    const patch: Record<string, string | null> = {};
    for (const key of removals) {
      if (!(key in current)) {
        if (verb === 'label') context.out(`label "${key}" not found.\n`);
        continue;
      }
      delete current[key];
      patch[key] = null;
    }
    for (const [key, value] of additions) {
      if (current[key] !== value) patch[key] = value;
      current[key] = value;
    }
    const after = goJsonCompact(current);
    let message: string;
    if (verb === 'annotate') message = 'annotated';
    else if (before === after) message = 'not labeled';
    else message = !overwrite && after.length < before.length ? 'unlabeled' : 'labeled';
    let result: KubeObject = object;
    const name = object.metadata?.name ?? '';
    const objectNamespace = object.metadata?.namespace;
    const body = Object.keys(patch).length === 0 ? {} : { metadata: { [field]: patch } };
    result = await context.client.json<KubeObject>({
      method: 'PATCH',
      path: `${resourcePath(resource, objectNamespace, name)}?fieldManager=kubectl-${verb}`,
      contentType: 'application/merge-patch+json',
      body,
    });
    if (format.kind === 'table' || format.kind === 'wide') context.out(`${objectName(resource, result)} ${message}\n`);
    else if (format.kind === 'name') context.out(`${objectName(resource, result)}\n`);
    else context.out(printStructured(format, result));
  }
  return 0;
}
