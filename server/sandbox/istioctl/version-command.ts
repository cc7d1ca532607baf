// `istioctl version`: the client's version, then (with --remote, the default) the control
// plane's from the running istiod pods and the data plane's from every connected proxy.
import { buildMeshModel } from '../istio/mesh-model/build-mesh-model.ts';
import { istioctlVersion } from '../istio/istioctl-output/istioctl-version.ts';
import { ISTIO_RELEASE } from '../istio/control-plane/install/istio-release.ts';
import { runningIstiodPods } from './control-plane-pods.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { flagBool, flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { readMeshObjects } from './read-mesh-objects.ts';

export const VERSION_FLAGS: readonly FlagSpec[] = [
  { name: 'short', short: 's', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'remote', type: 'bool' },
  { name: 'revision', short: 'r', type: 'string' },
];

export async function runVersion(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, VERSION_FLAGS);
  const output = flagString(flags, 'output') ?? '';
  if (output !== '' && output !== 'short') {
    throw new IstioctlError('OUTPUT_UNSUPPORTED', `--output ${output} is not available in this sandbox; istioctl version prints the short form`);
  }
  if (!flagBool(flags, 'remote', true)) {
    context.out(`client version: ${ISTIO_RELEASE.version}\n`);
    return 0;
  }
  const api = await context.api();
  const istiod = await runningIstiodPods(api, context.istioNamespace);
  const model = buildMeshModel(istiod.length === 0 ? [] : await readMeshObjects(api));
  const { stdout, stderr } = istioctlVersion(model, istiod.map((pod) => pod.version));
  // istioctl logs the missing control plane before it prints the client version.
  context.err(stderr.replace('"istio-system"', `"${context.istioNamespace}"`));
  context.out(stdout);
  return 0;
}
