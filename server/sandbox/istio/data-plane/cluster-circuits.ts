// The per-proxy, per-upstream-cluster state Envoy keeps for circuit breaking: a connection pool
// with the DestinationRule's connectionPool limits and an outlier detector with its
// outlierDetection settings. The state outlives snapshots (a DestinationRule edit changes the
// limits, not the counters), and the proxy's cluster stats read from it.
import type { Cluster } from '../mesh-model/proxy-config.ts';
import { createConnectionPool, poolLimits, type ConnectionPool, type PoolLimits, type PoolStats } from './connection-pool.ts';
import { createOutlierDetector, outlierSettings, type OutlierDetector, type OutlierSettings } from './outlier-detector.ts';

/** What opening one upstream connection takes on the plane's clock (a pod network round trip). */
export const UPSTREAM_CONNECT_MS = 1;

export interface ClusterCircuits {
  /** The cluster's pool and its limits, when its DestinationRule sets a connectionPool. */
  pool(proxyId: string, cluster: Cluster): { pool: ConnectionPool; limits: PoolLimits } | undefined;
  /** The cluster's outlier detector, when its DestinationRule sets outlierDetection. */
  outliers(proxyId: string, cluster: Cluster): OutlierDetector | undefined;
  /** Envoy's stats lines for one proxy's circuit breakers (`pilot-agent request GET stats`). */
  stats(proxyId: string): string[];
}

interface Entry {
  proxyId: string;
  cluster: string;
  pool?: ConnectionPool;
  limits?: PoolLimits;
  outliers?: OutlierDetector;
  settings?: OutlierSettings;
}

export function createClusterCircuits(sleep: (ms: number) => Promise<void>): ClusterCircuits {
  const entries = new Map<string, Entry>();
  const entry = (proxyId: string, cluster: Cluster): Entry => {
    const key = `${proxyId}\0${cluster.name}`;
    let e = entries.get(key);
    if (e === undefined) {
      e = { proxyId, cluster: cluster.name };
      entries.set(key, e);
    }
    return e;
  };
  return {
    pool(proxyId, cluster) {
      const limits = poolLimits(cluster.trafficPolicy.connectionPool);
      if (limits === undefined) return undefined;
      const e = entry(proxyId, cluster);
      e.pool ??= createConnectionPool(() => sleep(UPSTREAM_CONNECT_MS));
      e.limits = limits;
      return { pool: e.pool, limits };
    },
    outliers(proxyId, cluster) {
      const settings = outlierSettings(cluster.trafficPolicy.outlierDetection);
      if (settings === undefined) return undefined;
      const e = entry(proxyId, cluster);
      e.settings = settings;
      e.outliers ??= createOutlierDetector(() => e.settings ?? settings);
      return e.outliers;
    },
    stats(proxyId) {
      const lines: string[] = [];
      for (const e of entries.values()) {
        if (e.proxyId !== proxyId) continue;
        const prefix = `cluster.${e.cluster};.`;
        const s: PoolStats | undefined = e.pool?.stats();
        if (s !== undefined && e.limits !== undefined) {
          const open = (active: number, max: number): number => (active >= max ? 1 : 0);
          lines.push(
            `${prefix}circuit_breakers.default.cx_open: ${open(s.connectionsActive, e.limits.maxConnections)}`,
            `${prefix}circuit_breakers.default.remaining_pending: ${Math.max(0, e.limits.maxPendingRequests - s.pendingActive)}`,
            `${prefix}circuit_breakers.default.rq_open: ${open(s.requestsActive, e.limits.maxRequests)}`,
            `${prefix}circuit_breakers.default.rq_pending_open: ${open(s.pendingActive, e.limits.maxPendingRequests)}`,
            // Istio sets no high-priority thresholds and routes nothing at high priority.
            `${prefix}circuit_breakers.high.cx_open: 0`,
            `${prefix}circuit_breakers.high.rq_open: 0`,
            `${prefix}circuit_breakers.high.rq_pending_open: 0`,
            `${prefix}upstream_cx_overflow: ${s.connectionOverflow}`,
            `${prefix}upstream_cx_total: ${s.connectionsTotal}`,
            `${prefix}upstream_rq_pending_active: ${s.pendingActive}`,
            `${prefix}upstream_rq_pending_failure_eject: 0`,
            `${prefix}upstream_rq_pending_overflow: ${s.pendingOverflow + s.requestOverflow}`,
            `${prefix}upstream_rq_pending_total: ${s.pendingTotal}`,
            `${prefix}upstream_rq_total: ${s.requestsTotal}`,
          );
        }
        if (e.outliers !== undefined) lines.push(`${prefix}outlier_detection.ejections_enforced_total: ${e.outliers.ejections()}`);
      }
      return lines.sort();
    },
  };
}
