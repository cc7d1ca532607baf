// `istioctl proxy-status` (istioctl/pkg/writer/pilot/status.go): one row per connected proxy,
// `<pod>.<namespace>`, sorted. 1.27+ prints `SUBSCRIBED TYPES`; `-v 1` and ≤1.26 print one
// column per xDS type with SYNCED / NOT SENT / STALE. A type is STALE when the proxy has not
// acknowledged the version istiod computed for it.
import type { ProxyConfig, XdsVersions } from '../mesh-model/proxy-config.ts';
import { tabWrite } from './tab-writer.ts';

export type XdsType = keyof XdsVersions | 'ECDS';
export type SyncState = 'SYNCED' | 'NOT SENT' | 'STALE' | 'IGNORED';

export interface ProxyStatusOptions {
  /** Name of the istiod pod the proxies are connected to. */
  istiodPod: string;
  /** `current` (1.27+), `verbose` (`-v 1`) or `legacy` (≤1.26). */
  layout?: 'current' | 'verbose' | 'legacy';
  /** Versions each proxy acknowledged, by proxy id; a proxy missing here is fully synced. */
  acked?: ReadonlyMap<string, Partial<XdsVersions>>;
}

/** The xDS types a proxy subscribes to: gateways only ask for routes once they have some. */
export function subscribedTypes(config: ProxyConfig): Array<keyof XdsVersions> {
  const types: Array<keyof XdsVersions> = ['CDS', 'LDS', 'EDS'];
  if (config.proxy.type === 'sidecar' || config.routes.length > 0) types.push('RDS');
  return types;
}

export function syncState(config: ProxyConfig, type: XdsType, acked: Partial<XdsVersions> | undefined): SyncState {
  if (type === 'ECDS') return 'NOT SENT';
  if (!subscribedTypes(config).includes(type)) return 'NOT SENT';
  if (acked === undefined || acked[type] === undefined || acked[type] === config.versions[type]) return 'SYNCED';
  return 'STALE';
}

export function renderProxyStatus(proxies: readonly ProxyConfig[], options: ProxyStatusOptions): string {
  const layout = options.layout ?? 'current';
  const sorted = [...proxies].sort((a, b) => (a.proxy.id < b.proxy.id ? -1 : a.proxy.id > b.proxy.id ? 1 : 0));
  const lines: string[] = [];
  const columns: XdsType[] = layout === 'legacy' ? ['CDS', 'LDS', 'EDS', 'RDS', 'ECDS'] : ['CDS', 'ECDS', 'EDS', 'LDS', 'RDS'];
  if (layout === 'current') lines.push('NAME\tCLUSTER\tISTIOD\tVERSION\tSUBSCRIBED TYPES');
  else lines.push(['NAME', 'CLUSTER', ...columns, 'ISTIOD', 'VERSION'].join('\t'));
  for (const config of sorted) {
    const acked = options.acked?.get(config.proxy.id);
    if (layout === 'current') {
      const types = subscribedTypes(config);
      lines.push([config.proxy.id, 'Kubernetes', options.istiodPod, config.proxy.istioVersion, `${types.length} (${types.join(',')})`].join('\t'));
    } else {
      lines.push([config.proxy.id, 'Kubernetes', ...columns.map((t) => syncState(config, t, acked)), options.istiodPod, config.proxy.istioVersion].join('\t'));
    }
  }
  return tabWrite(lines, 5);
}
