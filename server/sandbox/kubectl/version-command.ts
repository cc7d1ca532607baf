// `kubectl version` and `kubectl cluster-info`.
import { goJsonIndent } from './go-json.ts';
import { goYaml } from './go-yaml.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';

/** The kubectl release this implementation answers as. */
export const CLIENT_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac10a2c335',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:03:58Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};
const KUSTOMIZE_VERSION = 'v5.5.0';

export async function runVersion(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [{ name: 'client', type: 'bool' }, { name: 'output', short: 'o', type: 'string' }]);
  const output = flagString(flags, 'output') ?? '';
  if (output !== '' && output !== 'yaml' && output !== 'json') throw new KubectlError('OUTPUT_FORMAT_UNKNOWN', `error: --output must be 'yaml' or 'json'`);
  const document: Record<string, unknown> = { clientVersion: CLIENT_VERSION, kustomizeVersion: KUSTOMIZE_VERSION };
  let failure: unknown;
  if (!flagBool(flags, 'client')) {
    try {
      document.serverVersion = await context.client.json({ path: '/version?timeout=32s' });
    } catch (error) {
      failure = error;
    }
  }
  if (output === 'json') context.out(`${JSON.stringify(document, null, 2)}\n`);
  else if (output === 'yaml') context.out(`${goYaml(document)}\n`);
  else {
    let text = `Client Version: ${CLIENT_VERSION.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`;
    const server = document.serverVersion as { gitVersion?: string } | undefined;
    if (server !== undefined) text += `Server Version: ${server.gitVersion ?? ''}\n`;
    context.out(text);
  }
  if (failure !== undefined) throw failure;
  return 0;
}

export async function runClusterInfo(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, []);
  if (flags.positionals[0] === 'dump') throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl cluster-info dump is not available in this sandbox');
  await context.client.json({ path: '/version?timeout=32s' });
  context.out(
    // kubectl colours these words only on a terminal; the shell hands us a plain stream.
    `Kubernetes control plane is running at ${context.target.server}\n\n` +
      "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
  );
  return 0;
}
