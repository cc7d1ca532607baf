// `kubectl set image TYPE NAME|TYPE/NAME CONTAINER=IMAGE…`: changes container images of a
// workload's pod template (or a pod) with a strategic merge patch keyed by container name;
// an object whose images already match is left alone and printed not at all.
import { statusError } from './api-client.ts';
import { resourcePath } from './discovery.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { objectName, parseOutputFormat, type KubeObject } from './object-output.ts';
import { dryRunStrategy, printResult } from './object-writing.ts';

interface Container {
  name: string;
  image?: string;
}

/** Where the pod spec sits in each kind `set image` accepts. */
const POD_SPEC_PATH: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function nest(path: readonly string[], leaf: Record<string, unknown>): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), leaf);
}

export async function runSet(context: KubectlContext, args: readonly string[]): Promise<number> {
  const sub = parseFlags(args, [], true).positionals[0];
  if (sub !== 'image') {
    if (sub === undefined) throw new KubectlError('SUBCOMMAND_REQUIRED', 'error: kubectl set needs a subcommand: image');
    throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl set ${sub} is not available in this sandbox`);
  }
  const rest = [...args];
  rest.splice(rest.indexOf(sub), 1);
  const flags = parseFlags(rest, [
    { name: 'all', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'local', type: 'bool' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'field-manager', type: 'string' },
  ]);
  const positionals = [...flags.positionals, ...flags.rest];
  const resources = positionals.filter((arg) => !arg.includes('='));
  const pairs = positionals.filter((arg) => arg.includes('='));
  if (pairs.length === 0) throw new KubectlError('NO_UPDATES', 'error: at least one image update is required');
  if (resources.length === 0) {
    throw new KubectlError('RESOURCES_REQUIRED', "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
  const images = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    images.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const format = parseOutputFormat(flagString(flags, 'output'));
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, resources);
  const namespace = context.namespace;
  const selector = flagString(flags, 'selector');
  for (const request of requests) {
    let objects: KubeObject[];
    if (request.names.length === 0) {
      if (selector === undefined && !flagBool(flags, 'all')) throw new KubectlError('NAME_REQUIRED', 'error: resource(s) were provided, but no name was specified');
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      objects = (await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + query })).items ?? [];
    } else {
      objects = [];
      for (const name of request.names) {
        const response = await context.client.raw({ path: resourcePath(request.resource, namespace, name) });
        if (response.status >= 300) throw statusError(response);
        objects.push(JSON.parse(response.text) as KubeObject);
      }
    }
    const specPath = POD_SPEC_PATH[request.resource.kind];
    for (const object of objects) {
      if (specPath === undefined) throw new KubectlError('NOT_SUPPORTED', `error: ${request.resource.kind.toLowerCase()}s/${object.metadata?.name ?? ''} does not have a pod template`);
      let spec: unknown = object;
      for (const key of specPath) spec = (spec as Record<string, unknown> | undefined)?.[key];
      const podSpec = (spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
      const changes: Record<string, Container[]> = {};
      for (const [name, image] of images) {
        let found = false;
        for (const field of ['initContainers', 'containers'] as const) {
          for (const container of podSpec[field] ?? []) {
            if (name !== '*' && container.name !== name) continue;
            found = true;
            if (container.image === image) continue;
            container.image = image;
            (changes[field] ??= []).push({ name: container.name, image });
          }
        }
        if (!found) throw new KubectlError('CONTAINER_NOT_FOUND', `error: unable to find container named "${name}"`);
      }
      if (Object.keys(changes).length === 0) continue;
      const name = object.metadata?.name ?? '';
      let result = object;
      if (dryRun !== 'client') {
        const query = `?fieldManager=${flagString(flags, 'field-manager') ?? 'kubectl-set'}${dryRun === 'server' ? '&dryRun=All' : ''}`;
        const response = await context.client.raw({
          method: 'PATCH',
          path: resourcePath(request.resource, object.metadata?.namespace ?? namespace, name) + query,
          contentType: 'application/strategic-merge-patch+json',
          body: nest(specPath, changes),
        });
        if (response.status >= 300) throw statusError(response);
        result = JSON.parse(response.text) as KubeObject;
      }
      printResult(context, format, objectName(request.resource, result), 'image updated', dryRun, result, false);
    }
  }
  return 0;
}
