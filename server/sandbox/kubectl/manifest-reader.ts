// Reads the objects of `-f` arguments: a file, every .yaml/.yml/.json file of a directory
// (sorted; with -R its subdirectories too), or `-` for stdin; multi-document YAML and JSON (objects or Lists).
import { parseAllDocuments } from 'yaml';
import type { KubectlIo } from './kubectl-context.ts';
import { offlineSource } from './offline-sources.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';

export interface ManifestObject {
  /** How kubectl names the source in messages: the path as given, or `STDIN`. */
  source: string;
  object: KubeObject;
}

function absolute(cwd: string, path: string): string {
  if (path.startsWith('/')) return path;
  return `${cwd.replace(/\/+$/, '')}/${path}`;
}

function parseDocuments(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) {
      const first = document.errors[0];
      throw new KubectlError('MANIFEST_INVALID', `error: error parsing ${source}: error converting YAML to JSON: yaml: ${first?.message.split('\n')[0] ?? 'invalid document'}`);
    }
    const value = document.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new KubectlError('MANIFEST_INVALID', `error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    }
    const object = value as KubeObject;
    if (typeof object.kind === 'string' && object.kind.endsWith('List') && Array.isArray(object.items)) objects.push(...(object.items as KubeObject[]));
    else objects.push(object);
  }
  return objects;
}

/** Objects of one directory's manifest files, in name order; subdirectories too with -R. */
async function readDirectory(io: KubectlIo, path: string, entries: string[], recursive: boolean, out: ManifestObject[]): Promise<void> {
  for (const name of [...entries].sort()) {
    const child = `${path.replace(/\/+$/, '')}/${name}`;
    if (recursive) {
      const nested = await io.listDir?.(absolute(io.cwd, child));
      if (nested !== undefined) {
        await readDirectory(io, child, nested, recursive, out);
        continue;
      }
    }
    if (!/\.(ya?ml|json)$/.test(name)) continue;
    const text = await io.readFile(absolute(io.cwd, child));
    if (text !== undefined) for (const object of parseDocuments(text, child)) out.push({ source: child, object });
  }
}

export async function readManifests(io: KubectlIo, paths: readonly string[], recursive = false): Promise<ManifestObject[]> {
  const out: ManifestObject[] = [];
  for (const path of paths) {
    if (path === '-') {
      for (const object of parseDocuments(io.stdin, 'STDIN')) out.push({ source: 'STDIN', object });
      continue;
    }
    if (/^https?:\/\//.test(path)) {
      const text = offlineSource(path);
      if (text === undefined) throw new KubectlError('URL_UNSUPPORTED', `error: unable to read URL "${path}": the sandbox has no internet access`);
      for (const object of parseDocuments(text, path)) out.push({ source: path, object });
      continue;
    }
    const full = absolute(io.cwd, path);
    const entries = await io.listDir?.(full);
    if (entries !== undefined) {
      await readDirectory(io, path, entries, recursive, out);
      continue;
    }
    const text = await io.readFile(full);
    if (text === undefined) throw new KubectlError('PATH_NOT_FOUND', `error: the path "${path}" does not exist`);
    for (const object of parseDocuments(text, path)) out.push({ source: path, object });
  }
  return out;
}
