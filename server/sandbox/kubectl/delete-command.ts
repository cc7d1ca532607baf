// `kubectl delete`: by type and name, type/name, -l, --all, or -f; prints
// `deployment.apps "x" deleted` and waits until each object is gone (--wait, default true).
import { statusError } from './api-client.ts';
import { kindPrefix, qualifiedResource, resourcePath, type ApiResource } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { readManifests } from './manifest-reader.ts';
import { mapManifest } from './object-mapping.ts';
import type { KubeObject } from './object-output.ts';
import { dryRunStrategy } from './object-writing.ts';

interface Target {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
  source?: string;
}

const WAIT_POLL_MS = 100;

export async function runDelete(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'ignore-not-found', type: 'bool' },
    { name: 'wait', type: 'bool' },
    { name: 'now', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'grace-period', type: 'int' },
    { name: 'cascade', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'timeout', type: 'string' },
    { name: 'recursive', short: 'R', type: 'bool' },
  ]);
  const files = flagList(flags, 'filename');
  const positionals = [...flags.positionals, ...flags.rest];
  const selector = flagString(flags, 'selector');
  const all = flagBool(flags, 'all');
  const ignoreNotFound = flagBool(flags, 'ignore-not-found') || ((all || selector !== undefined) && flags.values.get('ignore-not-found') !== false);
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const wait = flags.values.get('wait') !== false && dryRun === 'none';
  const output = flagString(flags, 'output');
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  const discovery = await context.discovery();
  const targets: Target[] = [];
  if (files.length > 0) {
    if (positionals.length > 0) throw new KubectlError('ARGS', 'error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    for (const manifest of await readManifests(context.io, files, flagBool(flags, 'recursive'))) {
      const mapped = mapManifest(context, discovery, manifest);
      targets.push({ resource: mapped.resource, namespace: mapped.namespace, name: mapped.name, source: mapped.source });
    }
  } else {
    if (positionals.length === 0) {
      throw new KubectlError(
        'RESOURCE_REQUIRED',
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
      );
    }
    const { requests } = resourceRequests(discovery, positionals);
    const allNamespaces = flagBool(flags, 'all-namespaces');
    for (const request of requests) {
      const namespace = request.resource.namespaced && !allNamespaces ? context.namespace : undefined;
      if (request.names.length > 0) {
        for (const name of request.names) targets.push({ resource: request.resource, namespace: request.resource.namespaced ? context.namespace : undefined, name });
        continue;
      }
      if (selector === undefined && !all) throw new KubectlError('NAME_REQUIRED', 'error: resource(s) were provided, but no name was specified');
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + query });
      for (const item of list.items ?? []) targets.push({ resource: request.resource, namespace: item.metadata?.namespace, name: item.metadata?.name ?? '' });
    }
    if (targets.length === 0) {
      context.out('No resources found\n');
      return 0;
    }
  }
  let failed = false;
  const deleted: Target[] = [];
  const force = flagBool(flags, 'force');
  if (force) context.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  const gracePeriod = flagString(flags, 'grace-period');
  // --now is a grace period of one second; --force with 0 deletes at once.
  const grace = flagBool(flags, 'now') ? 1 : gracePeriod === undefined || gracePeriod === '-1' ? undefined : Number(gracePeriod) === 0 && !force ? 1 : Number(gracePeriod);
  for (const target of targets) {
    const path = resourcePath(target.resource, target.namespace, target.name);
    // A client dry run only checks that the object exists.
    const response =
      dryRun === 'client'
        ? await context.client.raw({ path })
        : await context.client.raw({
            method: 'DELETE',
            path: path + (dryRun === 'server' ? '?dryRun=All' : ''),
            body: grace === undefined ? { propagationPolicy: 'Background' } : { gracePeriodSeconds: grace, propagationPolicy: 'Background' },
          });
    if (response.status >= 200 && response.status < 300) {
      context.out(output === 'name' ? `${kindPrefix(target.resource)}/${target.name}\n` : `${kindPrefix(target.resource)} "${target.name}" ${force ? 'force deleted' : 'deleted'}${suffix}\n`);
      deleted.push(target);
      continue;
    }
    const error = statusError(response);
    if (error.httpStatus === 404 && ignoreNotFound) continue;
    failed = true;
    context.err(`${error.render(target.source === undefined ? '' : `error when deleting "${target.source}": `)}\n`);
  }
  if (wait) {
    for (const target of deleted) await waitUntilGone(context, target);
  }
  return failed ? 1 : 0;
}

async function waitUntilGone(context: KubectlContext, target: Target): Promise<void> {
  for (;;) {
    const response = await context.client.raw({ path: resourcePath(target.resource, target.namespace, target.name) });
    if (response.status === 404) return;
    if (response.status >= 300) throw statusError(response);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, WAIT_POLL_MS);
      context.io.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new KubectlError('INTERRUPTED', `error: interrupted waiting for ${qualifiedResource(target.resource)} "${target.name}" to be deleted`, 130));
      }, { once: true });
    });
  }
}
