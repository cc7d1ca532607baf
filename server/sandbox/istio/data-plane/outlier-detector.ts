// Envoy's outlier detection for one upstream cluster of one proxy, as a DestinationRule's
// `outlierDetection` configures it: an endpoint that answers `consecutive5xxErrors` 5xx in a
// row (or `consecutiveGatewayErrors` 502/503/504 or connection failures) is ejected for
// `baseEjectionTime` × the number of times it has been ejected, unless `maxEjectionPercent`
// of the cluster is already out. Time is the plane's clock, so tests run it virtually.
import { durationMs } from '../mesh-model/duration.ts';

export interface OutlierSettings {
  /** 0: this detector is off. */
  consecutive5xx: number;
  consecutiveGateway: number;
  intervalMs: number;
  baseEjectionMs: number;
  maxEjectionPercent: number;
}

/** How one try ended, as outlier detection sees it. */
export type TryResult = { status: number } | { failure: 'connect' | 'reset' };

export interface OutlierDetector {
  /** Whether the endpoint is ejected at `now`. */
  ejected(endpoint: string, now: number): boolean;
  /** Counts one try's result; returns true when it ejected the endpoint. */
  record(endpoint: string, result: TryResult, clusterSize: number, now: number): boolean;
  /** Total ejections so far (`outlier_detection.ejections_enforced_total`). */
  ejections(): number;
}

function count(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

/** Istio's defaults for fields a DestinationRule's `outlierDetection` leaves out. */
export function outlierSettings(outlierDetection: Record<string, unknown> | undefined): OutlierSettings | undefined {
  if (outlierDetection === undefined) return undefined;
  // The deprecated consecutiveErrors meant gateway errors in older Istio APIs.
  const gateway = count(outlierDetection.consecutiveGatewayErrors, 0);
  return {
    consecutive5xx: count(outlierDetection.consecutive5xxErrors, 5),
    consecutiveGateway: gateway,
    intervalMs: durationMs(outlierDetection.interval) ?? 10_000,
    baseEjectionMs: durationMs(outlierDetection.baseEjectionTime) ?? 30_000,
    maxEjectionPercent: Math.min(100, count(outlierDetection.maxEjectionPercent, 10)),
  };
}

interface HostState {
  consecutive5xx: number;
  consecutiveGateway: number;
  ejectedUntil: number;
  timesEjected: number;
}

export function createOutlierDetector(settings: () => OutlierSettings): OutlierDetector {
  const hosts = new Map<string, HostState>();
  let total = 0;
  const state = (endpoint: string): HostState => {
    let s = hosts.get(endpoint);
    if (s === undefined) {
      s = { consecutive5xx: 0, consecutiveGateway: 0, ejectedUntil: 0, timesEjected: 0 };
      hosts.set(endpoint, s);
    }
    return s;
  };
  const isEjected = (s: HostState, now: number): boolean => s.ejectedUntil > now;
  return {
    ejected(endpoint, now) {
      const s = hosts.get(endpoint);
      return s !== undefined && isEjected(s, now);
    },
    record(endpoint, result, clusterSize, now) {
      const s = state(endpoint);
      const cfg = settings();
      const serverError = 'failure' in result || result.status >= 500;
      const gatewayError = 'failure' in result || result.status === 502 || result.status === 503 || result.status === 504;
      s.consecutive5xx = serverError ? s.consecutive5xx + 1 : 0;
      s.consecutiveGateway = gatewayError ? s.consecutiveGateway + 1 : 0;
      if (isEjected(s, now)) return false;
      const tripped = (cfg.consecutive5xx > 0 && s.consecutive5xx >= cfg.consecutive5xx) || (cfg.consecutiveGateway > 0 && s.consecutiveGateway >= cfg.consecutiveGateway);
      if (!tripped) return false;
      s.consecutive5xx = 0;
      s.consecutiveGateway = 0;
      const out = [...hosts.values()].filter((h) => isEjected(h, now)).length;
      // Envoy ejects only while the share already ejected is under the limit.
      if ((out / Math.max(1, clusterSize)) * 100 >= cfg.maxEjectionPercent) return false;
      // A host that stayed healthy for a while starts again from one base ejection time.
      if (s.timesEjected > 0 && now - s.ejectedUntil > cfg.baseEjectionMs * s.timesEjected + cfg.intervalMs) s.timesEjected = 0;
      s.timesEjected++;
      s.ejectedUntil = now + cfg.baseEjectionMs * s.timesEjected;
      total++;
      return true;
    },
    ejections: () => total,
  };
}
