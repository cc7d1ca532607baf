// What `install`, `manifest generate` and `uninstall` share: the `-f` IstioOperator files and
// `--set` / `-r` values resolved into one install configuration, as istioctl merges them.
import { parseAllDocuments } from 'yaml';
import { isJsonObject, type JsonObject } from '../core/json-object.ts';
import { InstallConfigError, resolveInstallConfig, type InstallConfig } from '../istio/control-plane/install/install-config.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { flagList, flagString, type FlagSpec, type ParsedFlags } from './istioctl-flags.ts';

/** The flags every IstioOperator-driven command takes (operator/cmd/mesh/shared.go). */
export const INSTALL_INPUT_FLAGS: readonly FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'slice' },
  { name: 'set', short: 's', type: 'array' },
  { name: 'manifests', short: 'd', type: 'string' },
  { name: 'revision', short: 'r', type: 'string' },
];

async function readOperatorFiles(context: IstioctlContext, paths: readonly string[]): Promise<JsonObject[]> {
  const files: JsonObject[] = [];
  for (const path of paths) {
    const text = await context.readFile(path);
    if (text === undefined) throw new IstioctlError('FILE_NOT_FOUND', `open ${path}: no such file or directory`);
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) throw new IstioctlError('FILE_INVALID', `could not parse ${path}: ${document.errors[0]?.message.split('\n')[0] ?? 'invalid YAML'}`);
      const value = document.toJS() as unknown;
      if (isJsonObject(value)) files.push(value);
    }
  }
  return files;
}

export async function resolveInstallRequest(context: IstioctlContext, flags: ParsedFlags): Promise<InstallConfig> {
  const files = await readOperatorFiles(context, flagList(flags, 'filename'));
  const set = flagList(flags, 'set');
  const revision = flagString(flags, 'revision');
  if (revision !== undefined && revision !== '') set.push(`revision=${revision}`);
  try {
    return resolveInstallConfig({ set, files });
  } catch (error) {
    if (error instanceof InstallConfigError) throw new IstioctlError(error.code, error.message);
    throw error;
  }
}
