// `kubectl replace -f FILE [--force]`: PUTs each object over the live one (taking its
// resourceVersion); --force deletes the object, waits until it is gone and creates it anew.
import { statusError } from './api-client.ts';
import { kindPrefix, resourcePath } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { readManifests } from './manifest-reader.ts';
import { mapManifest } from './object-mapping.ts';
import { objectName, parseOutputFormat, type KubeObject } from './object-output.ts';
import { dryRunStrategy, printResult } from './object-writing.ts';

const POLL_MS = 100;

export async function runReplace(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'force', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'save-config', type: 'bool' },
    { name: 'validate', type: 'string' },
    { name: 'field-manager', type: 'string' },
    { name: 'grace-period', type: 'int' },
    { name: 'wait', type: 'bool' },
    { name: 'cascade', type: 'string' },
    { name: 'timeout', type: 'string' },
  ]);
  const files = flagList(flags, 'filename');
  if (files.length === 0) throw new KubectlError('FILENAME_REQUIRED', 'error: must specify one of -f and -k');
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const format = parseOutputFormat(flagString(flags, 'output'));
  const discovery = await context.discovery();
  const force = flagBool(flags, 'force');
  const fieldManager = flagString(flags, 'field-manager') ?? 'kubectl-replace';
  let failed = false;
  for (const manifest of await readManifests(context.io, files, flagBool(flags, 'recursive'))) {
    const mapped = mapManifest(context, discovery, manifest);
    const path = resourcePath(mapped.resource, mapped.namespace, mapped.name);
    const body: KubeObject = { ...mapped.object, metadata: { ...(mapped.object.metadata ?? {}) } };
    if (mapped.namespace !== undefined && body.metadata !== undefined) body.metadata.namespace = mapped.namespace;
    const query = `?fieldManager=${fieldManager}${dryRun === 'server' ? '&dryRun=All' : ''}`;
    if (force) {
      const deleted = await context.client.raw({ method: 'DELETE', path, body: { propagationPolicy: 'Background' } });
      if (deleted.status >= 300 && deleted.status !== 404) throw statusError(deleted);
      if (deleted.status < 300) {
        context.out(`${kindPrefix(mapped.resource)} "${mapped.name}" deleted\n`);
        for (;;) {
          const live = await context.client.raw({ path });
          if (live.status === 404) break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        }
      }
      if (body.metadata !== undefined) delete body.metadata.resourceVersion;
      const created = await context.client.raw({ method: 'POST', path: resourcePath(mapped.resource, mapped.namespace) + query, body });
      if (created.status >= 300) {
        context.err(`${statusError(created).render(`error when replacing "${mapped.source}": `)}\n`);
        failed = true;
        continue;
      }
      const object = JSON.parse(created.text) as KubeObject;
      printResult(context, format, objectName(mapped.resource, object), 'replaced', 'none', object, false);
      continue;
    }
    if (body.metadata?.resourceVersion === undefined) {
      const live = await context.client.raw({ path });
      if (live.status >= 300) {
        context.err(`${statusError(live).render(`error when replacing "${mapped.source}": `)}\n`);
        failed = true;
        continue;
      }
      const current = JSON.parse(live.text) as KubeObject;
      if (body.metadata !== undefined && current.metadata?.resourceVersion !== undefined) body.metadata.resourceVersion = current.metadata.resourceVersion;
    }
    if (dryRun === 'client') {
      printResult(context, format, objectName(mapped.resource, body), 'replaced', dryRun, body, false);
      continue;
    }
    const response = await context.client.raw({ method: 'PUT', path: path + query, body });
    if (response.status >= 300) {
      context.err(`${statusError(response).render(`error when replacing "${mapped.source}": `)}\n`);
      failed = true;
      continue;
    }
    const object = JSON.parse(response.text) as KubeObject;
    printResult(context, format, objectName(mapped.resource, object), 'replaced', dryRun, object, false);
  }
  return failed ? 1 : 0;
}
