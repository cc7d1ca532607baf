// `kubectl kustomize TARGET`: prints the built manifests. Only the remote targets the sandbox
// carries offline are buildable (see offline-sources.ts); local kustomizations are not.
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { offlineSource } from './offline-sources.ts';

export async function runKustomize(context: KubectlContext, args: readonly string[]): Promise<number> {
  const targets = args.filter((arg) => !arg.startsWith('-'));
  if (targets.length > 1) throw new KubectlError('ARGS', 'error: specify one path to kustomization.yaml');
  const target = targets[0] ?? '.';
  const text = offlineSource(target);
  if (text !== undefined) {
    context.out(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  if (/^(https?:\/\/|github\.com\/|git@)/.test(target)) {
    throw new KubectlError('URL_UNSUPPORTED', `error: unable to fetch "${target}": the sandbox has no internet access`);
  }
  throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl kustomize of local directories is not available in this sandbox');
}
