// `kubectl patch TYPE NAME|TYPE/NAME -p PATCH [--type strategic|merge|json]`: sends the
// patch (YAML accepted, as kubectl converts it to JSON) and reports `patched`, or
// `patched (no change)` when the object came back as it was.
import { parse } from 'yaml';
import { statusError } from './api-client.ts';
import { resourcePath } from './discovery.ts';
import { flagList, flagString, parseFlags } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import { goJsonCompact } from './go-json.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { readManifests } from './manifest-reader.ts';
import { mapManifest } from './object-mapping.ts';
import { objectName, parseOutputFormat, printStructured, type KubeObject } from './object-output.ts';
import { dryRunStrategy } from './object-writing.ts';

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** yaml.ToJSON: JSON passes as it is, YAML becomes JSON; text neither can read is sent unchanged. */
function patchBody(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    try {
      return JSON.stringify(parse(text) as unknown);
    } catch {
      return text;
    }
  }
}

export async function runPatch(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'patch', short: 'p', type: 'string' },
    { name: 'patch-file', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'dry-run', type: 'string' },
    { name: 'local', type: 'bool' },
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'field-manager', type: 'string' },
    { name: 'subresource', type: 'string' },
  ]);
  let patchText = flagString(flags, 'patch') ?? '';
  const patchFile = flagString(flags, 'patch-file') ?? '';
  if (patchText !== '' && patchFile !== '') throw new KubectlError('ARGS', 'error: cannot specify --patch and --patch-file together');
  if (patchFile !== '') {
    const text = await context.io.readFile(patchFile.startsWith('/') ? patchFile : `${context.io.cwd.replace(/\/+$/, '')}/${patchFile}`);
    if (text === undefined) throw new KubectlError('PATH_NOT_FOUND', `error: unable to read patch file: open ${patchFile}: no such file or directory`);
    patchText = text;
  }
  if (patchText === '') throw new KubectlError('PATCH_REQUIRED', 'error: must specify --patch or --patch-file containing the contents of the patch');
  const type = (flagString(flags, 'type') ?? 'strategic').toLowerCase();
  const contentType = CONTENT_TYPES[type];
  if (contentType === undefined) throw new KubectlError('PATCH_TYPE_INVALID', `error: --type must be one of [json merge strategic], not "${flagString(flags, 'type') ?? ''}"`);
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const format = parseOutputFormat(flagString(flags, 'output'));
  const discovery = await context.discovery();
  const targets: { resource: Parameters<typeof resourcePath>[0]; namespace: string | undefined; name: string }[] = [];
  const files = flagList(flags, 'filename');
  const positionals = [...flags.positionals, ...flags.rest];
  if (files.length > 0) {
    for (const manifest of await readManifests(context.io, files)) {
      const mapped = mapManifest(context, discovery, manifest);
      targets.push({ resource: mapped.resource, namespace: mapped.namespace, name: mapped.name });
    }
  } else {
    if (positionals.length === 0) {
      throw new KubectlError('RESOURCES_REQUIRED', "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    const { requests } = resourceRequests(discovery, positionals);
    for (const request of requests) {
      if (request.names.length === 0) throw new KubectlError('NAME_REQUIRED', 'error: resource(s) were provided, but no name was specified');
      for (const name of request.names) targets.push({ resource: request.resource, namespace: request.resource.namespaced ? context.namespace : undefined, name });
    }
  }
  const body = patchBody(patchText);
  const subresource = flagString(flags, 'subresource');
  for (const target of targets) {
    const path = resourcePath(target.resource, target.namespace, target.name) + (subresource === undefined || subresource === '' ? '' : `/${subresource}`);
    const before = await context.client.raw({ path });
    if (before.status >= 300) throw statusError(before);
    const original = JSON.parse(before.text) as KubeObject;
    // A client dry run asks the server to compute the result without keeping it.
    const query = `?fieldManager=${flagString(flags, 'field-manager') ?? 'kubectl-patch'}${dryRun === 'none' ? '' : '&dryRun=All'}`;
    const response = await context.client.raw({ method: 'PATCH', path: path + query, contentType, body });
    if (response.status >= 300) throw statusError(response);
    const patched = JSON.parse(response.text) as KubeObject;
    const name = objectName(target.resource, patched);
    if (format.kind === 'table' || format.kind === 'wide') {
      const changed = goJsonCompact(original) !== goJsonCompact(patched);
      context.out(`${name} patched${changed ? '' : ' (no change)'}${dryRun === 'server' ? ' (server dry run)' : ''}\n`);
    } else if (format.kind === 'name') context.out(`${name}\n`);
    else context.out(printStructured(format, patched));
  }
  return 0;
}
