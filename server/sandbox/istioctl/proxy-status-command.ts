// `istioctl proxy-status` (`ps`): one row per proxy connected to an istiod, with the istiod pod
// it talks to; 1.30's SUBSCRIBED TYPES by default, one column per xDS type with `-v 1`.
// `-n` keeps one namespace's proxies; a single proxy argument compares its config with istiod's.
import { tabWrite } from '../istio/istioctl-output/tab-writer.ts';
import type { XdsType } from '../istio/istioctl-output/proxy-status.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError } from './istioctl-error.ts';
import { flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { loadMeshView } from './mesh-view.ts';
import { resolveProxyTarget } from './proxy-target.ts';

const PROXY_STATUS_FLAGS: readonly FlagSpec[] = [
  { name: 'revision', short: 'r', type: 'string' },
  { name: 'verbosity', short: 'v', type: 'int' },
  { name: 'file', short: 'f', type: 'string' },
];

const VERBOSE_TYPES: readonly XdsType[] = ['CDS', 'ECDS', 'EDS', 'LDS', 'RDS'];

export async function runProxyStatus(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, PROXY_STATUS_FLAGS);
  const view = await loadMeshView(context);
  const [target] = flags.positionals;
  if (target !== undefined) {
    const { podName, namespace } = resolveProxyTarget(view.model, target, await context.namespace());
    const proxy = view.proxies.find((p) => p.config.proxy.id === `${podName}.${namespace}`);
    if (proxy === undefined) throw new IstioctlError('PROXY_NOT_CONNECTED', `unable to retrieve Syncz from any Istiod: ${podName}.${namespace} is not connected`);
    // istiod and the proxy hold the same config once synced, which the sandbox always is.
    context.out(`Clusters Match\nListeners Match\n${proxy.subscribed.includes('RDS') ? 'Routes Match' : 'Routes Match (no routes)'}\n`);
    return 0;
  }
  const namespace = flagString(context.flags, 'namespace');
  const revision = flagString(flags, 'revision');
  const proxies = view.proxies.filter((p) => view.istiods.includes(p.istiod) && (namespace === undefined || p.config.proxy.namespace === namespace) && (revision === undefined || p.istiod.revision === revision));
  const verbose = (flagString(flags, 'verbosity') ?? '0') !== '0';
  const lines = [verbose ? ['NAME', 'CLUSTER', ...VERBOSE_TYPES, 'ISTIOD', 'VERSION'].join('\t') : 'NAME\tCLUSTER\tISTIOD\tVERSION\tSUBSCRIBED TYPES'];
  for (const proxy of proxies) {
    const { id, istioVersion } = proxy.config.proxy;
    if (verbose) lines.push([id, 'Kubernetes', ...VERBOSE_TYPES.map((type) => proxy.sync[type]), proxy.istiod.pod, istioVersion].join('\t'));
    else lines.push([id, 'Kubernetes', proxy.istiod.pod, istioVersion, `${proxy.subscribed.length} (${proxy.subscribed.join(',')})`].join('\t'));
  }
  context.out(tabWrite(lines, 5));
  return 0;
}
