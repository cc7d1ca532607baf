// `istioctl manifest generate`: the objects `install` would apply for the same profile, files
// and --set values, as YAML documents on stdout, without touching the cluster.
import { installManifest } from '../istio/control-plane/install/install-manifest.ts';
import { goYaml } from '../kubectl/go-yaml.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { usageError } from './istioctl-error.ts';
import { parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { INSTALL_INPUT_FLAGS, resolveInstallRequest } from './install-request.ts';

const MANIFEST_GENERATE_FLAGS: readonly FlagSpec[] = [
  ...INSTALL_INPUT_FLAGS,
  { name: 'cluster-specific', type: 'bool' },
  { name: 'component', type: 'slice' },
  { name: 'dry-run', type: 'bool' },
  { name: 'verbose', short: 'v', type: 'bool' },
];

export async function runManifestGenerate(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, MANIFEST_GENERATE_FLAGS);
  if (flags.positionals.length > 0) throw usageError('generate accepts no positional arguments, got ' + JSON.stringify(flags.positionals).replace(/"/g, '').replace(/,/g, ' '));
  const config = await resolveInstallRequest(context, flags);
  const documents = installManifest(config).map(({ object }) => goYaml(object));
  if (documents.length > 0) context.out(`${documents.join('---\n')}---\n`);
  return 0;
}
