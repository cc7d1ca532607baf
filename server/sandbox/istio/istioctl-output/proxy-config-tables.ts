// `istioctl proxy-config cluster|listener|route|endpoint|all <pod>` tables
// (istioctl/pkg/writer/envoy/configdump, clusters/clusters.go) rendered from the mesh model,
// with istioctl's column names, sort orders and tabwriter padding, and `-o json`.
import type { Cluster, Listener, PathMatch, ProxyConfig, Route } from '../mesh-model/proxy-config.ts';
import { tabWrite } from './tab-writer.ts';

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

function clusterSortKey(cluster: Cluster): [string, string, number, string] {
  if (cluster.direction === 'none') return [cluster.name, '', 0, ''];
  return [cluster.host, cluster.subset, cluster.port, cluster.direction];
}

export function renderClusters(config: ProxyConfig): string {
  const clusters = [...config.clusters].sort((a, b) => {
    const ka = clusterSortKey(a);
    const kb = clusterSortKey(b);
    return compare(ka[0], kb[0]) || compare(ka[1], kb[1]) || compare(ka[2], kb[2]) || compare(ka[3], kb[3]);
  });
  const lines = ['SERVICE FQDN\tPORT\tSUBSET\tDIRECTION\tTYPE\tDESTINATION RULE'];
  for (const c of clusters) {
    if (c.direction === 'none') lines.push(`${c.name}\t-\t-\t-\t${c.type}\t`);
    else lines.push(`${c.host}\t${c.port}\t${c.subset === '' ? '-' : c.subset}\t${c.direction}\t${c.type}\t${c.destinationRule ?? ''}`);
  }
  return tabWrite(lines, 5);
}

interface ListenerRow {
  address: string;
  port: number;
  match: string;
  destination: string;
}

const PLAIN_HTTP = 'Trans: raw_buffer; App: http/1.1,h2c';
const MTLS_HTTP = 'Trans: tls; App: istio-http/1.0,istio-http/1.1,istio-h2';

function listenerRows(listener: Listener): ListenerRow[] {
  const row = (match: string, destination: string): ListenerRow => ({ address: listener.address, port: listener.port, match, destination });
  if (listener.name === 'virtualOutbound') return [row('ALL', 'PassthroughCluster'), row('Addr: *:15001', 'Non-HTTP/Non-TCP')];
  if (listener.name === 'virtualInbound') {
    const rows = [row('Addr: *:15006', 'Non-HTTP/Non-TCP'), row(`${MTLS_HTTP}; Addr: 0.0.0.0/0`, 'InboundPassthroughCluster'), row(`${PLAIN_HTTP}; Addr: 0.0.0.0/0`, 'InboundPassthroughCluster')];
    for (const port of listener.inbound ?? []) {
      rows.push(row(`${MTLS_HTTP}; Addr: *:${port.port}`, `Inline Route: /*`));
      // STRICT drops the plaintext filter chain; PERMISSIVE and DISABLE keep it.
      if (port.mtls.mode !== 'STRICT') rows.push(row(`${PLAIN_HTTP}; Addr: *:${port.port}`, `Inline Route: /*`));
    }
    return rows;
  }
  if (listener.routeConfigName !== undefined) {
    if (listener.direction === 'gateway') return [row('ALL', `Route: ${listener.routeConfigName}`)];
    return [row(PLAIN_HTTP, `Route: ${listener.routeConfigName}`), row('ALL', 'PassthroughCluster')];
  }
  if (listener.cluster !== undefined) return [row('ALL', `Cluster: ${listener.cluster}`)];
  return [row('ALL', 'Non-HTTP/Non-TCP')];
}

/** The health (15021) and Prometheus (15090) listeners every proxy has. */
function staticListenerRows(): ListenerRow[] {
  return [
    { address: '0.0.0.0', port: 15021, match: 'ALL', destination: 'Inline Route: /healthz/ready*' },
    { address: '0.0.0.0', port: 15090, match: 'ALL', destination: 'Inline Route: /stats/prometheus*' },
  ];
}

/** `istioctl pc listener` (verbose, the default) or `--verbose=false`. */
export function renderListeners(config: ProxyConfig, options: { verbose?: boolean } = {}): string {
  const rows = [...config.listeners.flatMap((l) => listenerRows(l)), ...staticListenerRows()];
  rows.sort((a, b) => a.port - b.port || compare(a.address, b.address));
  if (options.verbose === false) {
    const types = new Map<string, { address: string; port: number; type: string }>();
    for (const l of config.listeners) types.set(`${l.address}:${l.port}`, { address: l.address, port: l.port, type: l.routeConfigName !== undefined ? 'HTTP' : l.cluster !== undefined && l.name !== 'virtualOutbound' ? 'TCP' : l.name === 'virtualInbound' ? 'HTTP+TCP' : 'TCP' });
    for (const r of staticListenerRows()) types.set(`${r.address}:${r.port}`, { address: r.address, port: r.port, type: 'HTTP' });
    const list = [...types.values()].sort((a, b) => a.port - b.port || compare(a.address, b.address));
    return tabWrite(['ADDRESSES\tPORT\tTYPE', ...list.map((t) => `${t.address}\t${t.port}\t${t.type}`)], 1);
  }
  return tabWrite(['ADDRESSES\tPORT\tMATCH\tDESTINATION', ...rows.map((r) => `${r.address}\t${r.port}\t${r.match}\t${r.destination}`)], 1);
}

/** describeMatch: `/prefix*`, `/exact`, `PathPrefix:/x`, `regex …`; header conditions are not shown. */
export function describePath(path: PathMatch): string {
  switch (path.kind) {
    case 'prefix':
      return `${path.value}*`;
    case 'pathPrefix':
      return `PathPrefix:${path.value}`;
    case 'exact':
      return path.value;
    case 'regex':
      return `regex ${path.value}`;
    default:
      return '';
  }
}

/** The DOMAINS column: ports dropped, `.svc`/`.svc.cluster.local` expansions folded, at most two shown. */
export function describeDomains(domains: readonly string[]): string {
  if (domains.length === 1) return domains[0] as string;
  const withoutPort = domains.filter((d) => !d.includes(':'));
  const folded = withoutPort.filter((d) => {
    const base = d.replace(/\.svc\.cluster\.local$/, '').replace(/\.svc$/, '');
    return base === d || !withoutPort.includes(base);
  });
  if (folded.length > 2) return `${folded.slice(0, 2).join(', ')} + ${folded.length - 2} more...`;
  return folded.join(', ');
}

function routeSource(route: Route): string {
  if (route.source.kind === 'VirtualService') return `${route.source.name}.${route.source.namespace}`;
  if (route.source.kind === 'HTTPRoute') return `${route.source.name}-0-istio-autogenerated-k8s-gateway.${route.source.namespace}`;
  return '';
}

export function renderRoutes(config: ProxyConfig): string {
  const lines = ['NAME\tVHOST NAME\tDOMAINS\tMATCH\tVIRTUAL SERVICE'];
  const routeConfigs = [...config.routes].sort((a, b) => {
    const na = Number(a.name);
    const nb = Number(b.name);
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return compare(a.name, b.name);
  });
  for (const rc of routeConfigs) {
    for (const vh of rc.virtualHosts) {
      if (vh.name === 'allow_any') continue;
      const domains = describeDomains(vh.domains);
      if (vh.routes.length === 0) lines.push(`${rc.name}\t${vh.name}\t${domains}\t/*\t404`);
      for (const route of vh.routes) lines.push(`${rc.name}\t${vh.name}\t${domains}\t${describePath(route.match.path)}\t${routeSource(route)}`);
    }
  }
  // Inline routes Envoy has on every proxy (health and stats; inbound for sidecars).
  lines.push('\tbackend\t*\t/stats/prometheus*\t');
  if (config.proxy.type === 'router') lines.push('\tbackend\t*\t/healthz/ready*\t');
  else {
    for (const port of config.listeners.find((l) => l.name === 'virtualInbound')?.inbound ?? []) lines.push(`\t${port.cluster}\t*\t/*\t`);
    lines.push('\tInboundPassthroughCluster\t*\t/*\t');
  }
  return tabWrite(lines, 5);
}

export function renderEndpoints(config: ProxyConfig): string {
  const clusters = new Map(config.clusters.map((c) => [c.name, c]));
  const rows: Array<[string, string, string]> = [];
  for (const group of config.endpoints) {
    if (!clusters.has(group.cluster)) continue;
    for (const e of group.endpoints) rows.push([`${e.address}:${e.port}`, e.healthy ? 'HEALTHY' : 'UNHEALTHY', group.cluster]);
  }
  rows.push(['127.0.0.1:15020', 'HEALTHY', 'agent'], ['127.0.0.1:15000', 'HEALTHY', 'prometheus_stats'], ['unix://./var/run/secrets/workload-spiffe-uds/socket', 'HEALTHY', 'sds-grpc'], ['unix://./etc/istio/proxy/XDS', 'HEALTHY', 'xds-grpc']);
  rows.sort((a, b) => compare(a[2], b[2]) || compare(a[0], b[0]));
  return tabWrite(['ENDPOINT\tSTATUS\tOUTLIER CHECK\tCLUSTER', ...rows.map(([ep, status, cluster]) => `${ep}\t${status}\tOK\t${cluster}`)], 5);
}

export type ProxyConfigSection = 'cluster' | 'listener' | 'route' | 'endpoint' | 'all';

/** Resolves istioctl's aliases (`clusters`, `c`, `l`, `r`, `ep`, `a`, …). */
export function proxyConfigSection(word: string): ProxyConfigSection | undefined {
  const aliases: Record<string, ProxyConfigSection> = { cluster: 'cluster', clusters: 'cluster', c: 'cluster', listener: 'listener', listeners: 'listener', l: 'listener', route: 'route', routes: 'route', r: 'route', endpoint: 'endpoint', endpoints: 'endpoint', ep: 'endpoint', all: 'all', a: 'all' };
  return aliases[word];
}

export function renderProxyConfig(config: ProxyConfig, section: ProxyConfigSection, output: 'table' | 'json' = 'table'): string {
  if (output === 'json') {
    const pick = { cluster: config.clusters, listener: config.listeners, route: config.routes, endpoint: config.endpoints, all: { clusters: config.clusters, listeners: config.listeners, routes: config.routes, endpoints: config.endpoints } }[section];
    return `${JSON.stringify(pick, null, 4)}\n`;
  }
  switch (section) {
    case 'cluster':
      return renderClusters(config);
    case 'listener':
      return renderListeners(config);
    case 'route':
      return renderRoutes(config);
    case 'endpoint':
      return renderEndpoints(config);
    default:
      return [renderClusters(config), renderListeners(config), renderRoutes(config), renderEndpoints(config)].join('\n');
  }
}
