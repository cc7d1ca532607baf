// `istioctl proxy-status` (`ps`): one row per proxy connected to istiod, 1.30's columns by
// default, one column per xDS type with `-v 1`; `-n` keeps one namespace's proxies.
import { renderProxyStatus } from '../istio/istioctl-output/proxy-status.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { loadMeshView } from './mesh-view.ts';
import { resolveProxyTarget } from './proxy-target.ts';

export const PROXY_STATUS_FLAGS: readonly FlagSpec[] = [
  { name: 'revision', short: 'r', type: 'string' },
  { name: 'verbosity', short: 'v', type: 'int' },
  { name: 'file', short: 'f', type: 'string' },
];

export async function runProxyStatus(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, PROXY_STATUS_FLAGS);
  const { istiod, model } = await loadMeshView(context);
  const [target] = flags.positionals;
  if (target !== undefined) {
    // One proxy: istioctl compares istiod's config with the proxy's; here they never diverge.
    const { podName, namespace } = resolveProxyTarget(model, target, await context.namespace());
    const proxy = model.proxy(`${podName}.${namespace}`);
    if (proxy === undefined) {
      context.err(`Error: failed to get proxy config: no proxy ${podName}.${namespace} is connected to ${istiod.name}\n`);
      return 1;
    }
    context.out('Clusters Match\nListeners Match\nRoutes Match\n');
    return 0;
  }
  const namespace = flagString(context.flags, 'namespace') ?? flagString(flags, 'namespace');
  const proxies = namespace === undefined ? model.proxies : model.proxies.filter((p) => p.proxy.namespace === namespace);
  const layout = flagString(flags, 'verbosity') === undefined || flagString(flags, 'verbosity') === '0' ? 'current' : 'verbose';
  context.out(renderProxyStatus(proxies, { istiodPod: istiod.name, layout }));
  return 0;
}
