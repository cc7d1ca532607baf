// `kubectl apply -f` (client-side apply): per object GET; absent → POST with the
// last-applied-configuration annotation (`created`); present → three-way patch, sent only
// when non-empty (`configured`, else `unchanged`).
import { statusError } from './api-client.ts';
import { qualifiedResource, resourcePath } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags, type ParsedFlags } from './flag-parser.ts';
import { goJsonCompact } from './go-json.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { readManifests } from './manifest-reader.ts';
import { mapManifest, type MappedObject } from './object-mapping.ts';
import { objectName, parseOutputFormat, type KubeObject, type OutputFormat } from './object-output.ts';
import { dryRunStrategy, printResult } from './object-writing.ts';
import { threeWayPatch } from './three-way-patch.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manifest as kubectl records it: namespace filled in, annotations present, sorted JSON. */
function withLastApplied(mapped: MappedObject): KubeObject {
  const metadata: Record<string, unknown> = { ...(mapped.object.metadata ?? {}) };
  const annotations: Record<string, string> = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  metadata.annotations = annotations;
  if (mapped.namespace !== undefined) metadata.namespace = mapped.namespace;
  const recorded = { ...mapped.object, metadata };
  const text = `${goJsonCompact(recorded)}\n`;
  return { ...mapped.object, metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: text } } };
}

const CONFLICT_ADVICE = `Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`;

/** `apply --server-side`: an apply patch with kubectl's field manager; conflicts come with kubectl's advice. */
async function serverSideApply(context: KubectlContext, mapped: MappedObject, path: string, flags: ParsedFlags, dryRun: 'none' | 'client' | 'server', format: OutputFormat): Promise<boolean> {
  if (dryRun === 'client') throw new KubectlError('ARGS', 'error: --dry-run=client doesn\'t work with --server-side (did you mean --dry-run=server instead?)');
  const body: KubeObject = { ...mapped.object };
  if (mapped.namespace !== undefined) body.metadata = { ...(body.metadata ?? {}), namespace: mapped.namespace };
  const query = new URLSearchParams({ fieldManager: flagString(flags, 'field-manager') ?? 'kubectl', fieldValidation: 'Strict' });
  if (flagBool(flags, 'force-conflicts')) query.set('force', 'true');
  if (dryRun === 'server') query.set('dryRun', 'All');
  const response = await context.client.raw({ method: 'PATCH', path: `${path}?${query.toString()}`, contentType: 'application/apply-patch+yaml', body });
  if (response.status === 409) {
    context.err(`error: ${statusError(response).status.message ?? ''}\n${CONFLICT_ADVICE}\n`);
    return false;
  }
  if (response.status < 200 || response.status >= 300) {
    context.err(`${statusError(response).render()}\n`);
    return false;
  }
  const result = JSON.parse(response.text) as KubeObject;
  printResult(context, format, objectName(mapped.resource, result), 'serverside-applied', dryRun, result, false);
  return true;
}

export async function runApply(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'dry-run', type: 'string' },
    { name: 'server-side', type: 'bool' },
    { name: 'force-conflicts', type: 'bool' },
    { name: 'field-manager', type: 'string' },
    { name: 'validate', type: 'string' },
    { name: 'prune', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'overwrite', type: 'bool' },
    { name: 'wait', type: 'bool' },
  ]);
  const files = flagList(flags, 'filename');
  if (flags.positionals.length > 0) {
    throw new KubectlError('ARGS', `error: Unexpected args: [${flags.positionals.join(' ')}]\nSee 'kubectl apply -h' for help and examples`);
  }
  if (files.length === 0) throw new KubectlError('FILENAME_REQUIRED', "error: must specify one of -f and -k");
  if (flags.values.get('prune') === true) {
    throw new KubectlError('NOT_IMPLEMENTED', 'error: apply --prune is not available in this sandbox yet');
  }
  const serverSide = flagBool(flags, 'server-side');
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  // A client dry run sends nothing that changes the cluster; the server computes patches without keeping them.
  const dryRunQuery = dryRun === 'none' ? '' : '&dryRun=All';
  const format = parseOutputFormat(flagString(flags, 'output'));
  const manifests = await readManifests(context.io, files, flagBool(flags, 'recursive'));
  let discovery = await context.discovery();
  const known = (object: KubeObject): boolean =>
    discovery.resources.some((resource) => `${resource.group === '' ? '' : `${resource.group}/`}${resource.version}` === object.apiVersion && resource.kind === object.kind);
  if (context.discoveryFromCache && !manifests.every((manifest) => known(manifest.object))) discovery = await context.refreshDiscovery();
  if (manifests.length === 0) throw new KubectlError('NO_OBJECTS', `error: no objects passed to apply`);
  let failed = false;
  for (const manifest of manifests) {
    let mapped: MappedObject;
    try {
      mapped = mapManifest(context, discovery, manifest);
    } catch (error) {
      if (!(error instanceof KubectlError)) throw error;
      context.err(`${error.message}\n`);
      failed = true;
      continue;
    }
    const path = resourcePath(mapped.resource, mapped.namespace, mapped.name);
    if (serverSide) {
      if (!(await serverSideApply(context, mapped, path, flags, dryRun, format))) failed = true;
      continue;
    }
    const modified = withLastApplied(mapped);
    const live = await context.client.raw({ path });
    let result: KubeObject;
    let verb: string;
    if (live.status === 404 && dryRun === 'client') {
      result = modified;
      verb = 'created';
    } else if (live.status === 404) {
      const created = await context.client.raw({
        method: 'POST',
        path: `${resourcePath(mapped.resource, mapped.namespace)}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict${dryRunQuery}`,
        body: modified,
      });
      if (created.status < 200 || created.status >= 300) {
        context.err(`${statusError(created).render(`error when creating "${mapped.source}": `)}\n`);
        failed = true;
        continue;
      }
      result = JSON.parse(created.text) as KubeObject;
      verb = 'created';
    } else if (live.status >= 200 && live.status < 300) {
      const current = JSON.parse(live.text) as KubeObject;
      const recorded = current.metadata?.annotations?.[LAST_APPLIED];
      if (recorded === undefined) {
        context.err(
          `Warning: resource ${qualifiedResource(mapped.resource)}/${mapped.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
        );
      }
      let original: Record<string, unknown> | undefined;
      try {
        original = recorded === undefined ? undefined : (JSON.parse(recorded) as Record<string, unknown>);
      } catch {
        original = undefined;
      }
      let patch = threeWayPatch(original, modified, current, true);
      if (Object.keys(patch).length === 0) {
        result = current;
        verb = 'unchanged';
      } else {
        const send = (contentType: string) =>
          context.client.raw({
            method: 'PATCH',
            path: `${path}?fieldManager=kubectl-client-side-apply&fieldValidation=Strict${dryRunQuery}`,
            contentType,
            body: patch,
          });
        let patched = await send('application/strategic-merge-patch+json');
        if (patched.status === 415) {
          // Custom resources take no strategic merge patch: kubectl sends a JSON merge patch.
          patch = threeWayPatch(original, modified, current, false);
          patched = await send('application/merge-patch+json');
        }
        if (patched.status < 200 || patched.status >= 300) {
          context.err(`${statusError(patched).render(`error when applying patch:\n${goJsonCompact(patch)}\nto:\nResource: "${mapped.resource.group}/${mapped.resource.version}, Resource=${mapped.resource.resource}", GroupVersionKind: "${mapped.resource.group}/${mapped.resource.version}, Kind=${mapped.resource.kind}"\nName: "${mapped.name}", Namespace: "${mapped.namespace ?? ''}"\nfor: "${mapped.source}": `)}\n`);
          failed = true;
          continue;
        }
        result = JSON.parse(patched.text) as KubeObject;
        verb = 'configured';
      }
    } else {
      context.err(`${statusError(live).render(`error when retrieving current configuration of:\nResource: "${mapped.resource.group}/${mapped.resource.version}, Resource=${mapped.resource.resource}", GroupVersionKind: "${mapped.resource.group}/${mapped.resource.version}, Kind=${mapped.resource.kind}"\nName: "${mapped.name}", Namespace: "${mapped.namespace ?? ''}"\nfrom server for: "${mapped.source}": `)}\n`);
      failed = true;
      continue;
    }
    printResult(context, format, objectName(mapped.resource, result), verb, dryRun, result, false);
  }
  return failed ? 1 : 0;
}
