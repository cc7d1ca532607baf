// `istioctl x describe pod <pod>[.<namespace>]`: the summary of how the mesh treats one pod.
import { describePod, DescribePodError, DescribeUnmeshedPodError } from '../istio/istioctl-output/describe-pod.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError, usageError } from './istioctl-error.ts';
import { flagBool, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { loadMeshView } from './mesh-view.ts';

const DESCRIBE_FLAGS: readonly FlagSpec[] = [
  { name: 'ignoreUnmeshed', type: 'bool' },
  { name: 'verbose', short: 'v', type: 'bool' },
];

export async function runDescribePod(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, DESCRIBE_FLAGS);
  const [target, ...extra] = flags.positionals;
  if (target === undefined || extra.length > 0) throw usageError('expecting pod name');
  let podName = target.replace(/^(pod|pods|po)\//, '');
  let namespace = await context.namespace();
  const dot = podName.indexOf('.');
  if (dot >= 0) {
    namespace = podName.slice(dot + 1);
    podName = podName.slice(0, dot);
  }
  const { model } = await loadMeshView(context);
  try {
    context.out(describePod(model, podName, namespace, { ignoreUnmeshed: flagBool(flags, 'ignoreUnmeshed') }));
  } catch (error) {
    if (error instanceof DescribePodError) throw new IstioctlError(error.code, error.message);
    if (error instanceof DescribeUnmeshedPodError) {
      context.out(error.output);
      throw new IstioctlError(error.code, error.message);
    }
    throw error;
  }
  return 0;
}
