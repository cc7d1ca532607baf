// `istioctl proxy-config` (`pc`) cluster|listener|route|endpoint|all `<pod>[.<namespace>]`:
// the tables istioctl prints from the proxy's Envoy config dump, here from istiod's computed
// config for that proxy (they agree once the proxy is synced), with `-o json` and the cluster
// and route filters; `secret` lists the proxy's SDS certificates (`-o json`: the certificates).
import { renderListeners, renderProxyConfig, type ProxyConfigSection } from '../istio/istioctl-output/proxy-config-tables.ts';
import type { ProxyConfig } from '../istio/mesh-model/proxy-config.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError, usageError } from './istioctl-error.ts';
import { flagBool, flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { loadMeshView } from './mesh-view.ts';
import { renderSecrets, renderSecretsJson } from './proxy-secrets.ts';
import { readProxySecretsCa } from './proxy-secrets-ca.ts';
import { metaOf } from '../istio/mesh-model/mesh-snapshot.ts';
import { resolveProxyTarget } from './proxy-target.ts';

const PROXY_CONFIG_FLAGS: readonly FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'fqdn', type: 'string' },
  { name: 'port', type: 'int' },
  { name: 'subset', type: 'string' },
  { name: 'direction', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'file', short: 'f', type: 'string' },
  { name: 'proxy-admin-port', type: 'int' },
  { name: 'address', type: 'string' },
  { name: 'status', type: 'string' },
  { name: 'type', type: 'string' },
  { name: 'verbose', type: 'bool' },
];

function filtered(config: ProxyConfig, section: ProxyConfigSection, flags: ReturnType<typeof parseFlags>): ProxyConfig {
  const fqdn = flagString(flags, 'fqdn');
  const port = flagString(flags, 'port');
  const subset = flagString(flags, 'subset');
  const direction = flagString(flags, 'direction');
  const name = flagString(flags, 'name');
  const cluster = flagString(flags, 'cluster');
  const copy: ProxyConfig = { ...config };
  if (section === 'cluster' && (fqdn !== undefined || port !== undefined || subset !== undefined || direction !== undefined)) {
    copy.clusters = config.clusters.filter((c) =>
      c.direction !== 'none' &&
      (fqdn === undefined || c.host.includes(fqdn)) &&
      (port === undefined || c.port === Number(port)) &&
      (subset === undefined || c.subset === subset) &&
      (direction === undefined || c.direction === direction));
  }
  if (section === 'route' && name !== undefined) copy.routes = config.routes.filter((r) => r.name === name);
  if (section === 'endpoint' && cluster !== undefined) copy.endpoints = config.endpoints.filter((e) => e.cluster === cluster);
  return copy;
}

/** The `proxy-config <section>` subcommand's runner. */
export function proxyConfigRunner(section: ProxyConfigSection | 'secret'): (context: IstioctlContext, args: readonly string[]) => Promise<number> {
  return (context, args) => runProxyConfig(context, section, args);
}

async function runProxyConfig(context: IstioctlContext, section: ProxyConfigSection | 'secret', args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, PROXY_CONFIG_FLAGS);
  const [target, ...extra] = flags.positionals;
  if (target === undefined || extra.length > 0) {
    throw usageError(`${section} requires pod name or --file parameter`);
  }
  const output = flagString(flags, 'output') ?? 'short';
  if (output !== 'short' && output !== 'json') {
    throw new IstioctlError('OUTPUT_UNSUPPORTED', `output format "${output}" not supported`);
  }
  const view = await loadMeshView(context);
  const { model } = view;
  const { podName, namespace } = resolveProxyTarget(model, target, await context.namespace());
  const config = model.proxy(`${podName}.${namespace}`);
  if (config === undefined) {
    throw new IstioctlError('NO_PROXY', `failed to execute command on sidecar: error execing into ${podName}/${namespace} istio-proxy container: container istio-proxy is not valid for pod ${podName}`);
  }
  if (section === 'secret') {
    const pod = model.snapshot.list('Pod').find((p) => metaOf(p).name === podName && metaOf(p).namespace === namespace);
    if (pod === undefined) throw new IstioctlError('POD_NOT_FOUND', `pods "${podName}" not found`);
    const istiod = view.proxies.find((p) => p.config.proxy.id === config.proxy.id)?.istiod ?? view.istiods[0];
    // The CA lives in a Secret of istiod's namespace, shared by every thread that asks.
    const ca = await readProxySecretsCa(await context.api(), istiod?.namespace ?? context.istioNamespace);
    context.out(output === 'json' ? renderSecretsJson(pod, ca) : renderSecrets(pod, ca));
    return 0;
  }
  const shown = filtered(config, section, flags);
  if (section === 'listener' && output === 'short' && !flagBool(flags, 'verbose', true)) context.out(renderListeners(shown, { verbose: false }));
  else context.out(renderProxyConfig(shown, section, output === 'json' ? 'json' : 'table'));
  return 0;
}
