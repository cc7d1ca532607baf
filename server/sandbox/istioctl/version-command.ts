// `istioctl version`: the client's version, then (with --remote, the default) the control
// plane's from the ready istiod pods and the data plane's from every proxy connected to them.
import { istiodView } from '../istio/control-plane/istiod/istiod-view.ts';
import { ISTIO_RELEASE } from '../istio/control-plane/install/istio-release.ts';
import { istioctlInstallText } from '../istio/control-plane/install/istioctl-install-text.ts';
import { noIstioPods } from './no-istio-pods.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { flagBool, flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { readMeshObjects } from './read-mesh-objects.ts';

const VERSION_FLAGS: readonly FlagSpec[] = [
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
  const view = istiodView(await readMeshObjects(await context.api()));
  const revision = flagString(flags, 'revision');
  const istiods = view.istiods.filter((istiod) => istiod.namespace === context.istioNamespace && (revision === undefined || istiod.revision === revision));
  const proxies = view.proxies.filter((proxy) => istiods.includes(proxy.istiod));
  const { stdout, stderr } = istioctlInstallText.version(istiods.map((istiod) => istiod.tag), proxies.map((proxy) => proxy.config.proxy.istioVersion));
  // istioctl logs the missing control plane before it prints the client version.
  if (stderr.length > 0) context.err(`Istio is not present in the cluster: ${noIstioPods(context.istioNamespace)}\n`);
  context.out(stdout.map((line) => `${line}\n`).join(''));
  return 0;
}
