// Envoy's admin page `stats/prometheus` for one proxy, as Prometheus scrapes it: the proxy's
// cluster stats (`cluster.<name>;.<stat>: value`) under their Prometheus names with the cluster
// as the `cluster_name` tag, as Istio's tag extraction names it, and Istio's own request
// metrics. Envoy prints every counter first, then the gauges, then the histograms, each group
// in name order, every metric under one `# TYPE` line.
import type { MetricFamily } from './istio-request-metrics.ts';

/** Cluster stats Envoy keeps as gauges (they go up and down); every other one is a counter. */
function isGauge(stat: string): boolean {
  return stat.startsWith('circuit_breakers.') || /^upstream_(cx|rq|rq_pending)_active$/.test(stat) || stat === 'outlier_detection.ejections_active';
}

const ORDER: Record<MetricFamily['type'], number> = { counter: 0, gauge: 1, histogram: 2 };

/** Envoy's `cluster.outbound|8000||httpbin.default.svc.cluster.local;.upstream_rq_total: 17` lines as metric families. */
export function clusterStatFamilies(lines: readonly string[]): MetricFamily[] {
  const families = new Map<string, MetricFamily>();
  for (const line of lines) {
    const match = /^cluster\.(.+);\.([a-z0-9_.]+): (\S+)$/.exec(line);
    if (match === null) continue;
    const [, cluster = '', stat = '', value = ''] = match;
    const name = `envoy_cluster_${stat.replace(/\./g, '_')}`;
    let family = families.get(name);
    if (family === undefined) {
      family = { name, type: isGauge(stat) ? 'gauge' : 'counter', lines: [] };
      families.set(name, family);
    }
    family.lines.push(`${name}{cluster_name="${cluster}"} ${value}`);
  }
  return [...families.values()];
}

export function envoyPrometheusPage(families: readonly MetricFamily[]): string {
  const sorted = [...families].sort((a, b) => ORDER[a.type] - ORDER[b.type] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.map((family) => [`# TYPE ${family.name} ${family.type}`, ...family.lines].join('\n') + '\n').join('');
}
