// The data plane counts requests per edge since the sandbox started; the graph shows the last
// minute. The window keeps snapshots of those counters and answers the difference between now
// and the snapshot at the window's start, the way Prometheus' rate() reads a counter.
import type { EdgeStats } from "../sandbox/index.ts";

export interface WindowedEdge {
  stats: EdgeStats;
  /** Requests on this edge inside the window. */
  requests: number;
  /** Latency samples of those requests (the newest ones the data plane kept). */
  latenciesMs: number[];
}

export interface TrafficWindow {
  readonly windowMs: number;
  observe(edges: readonly EdgeStats[], nowMs: number): WindowedEdge[];
}

interface Snapshot {
  atMs: number;
  counts: Map<string, number>;
}

export function edgeStatsKey(edge: EdgeStats): string {
  return JSON.stringify([edge.sourceNamespace, edge.sourceWorkload, edge.sourceVersion, edge.destinationService, edge.destinationNamespace, edge.destinationWorkload, edge.destinationVersion, edge.responseCode, edge.mtls, edge.flags]);
}

export function createTrafficWindow(windowMs = 60_000): TrafficWindow {
  const snapshots: Snapshot[] = [];
  return {
    windowMs,
    observe(edges, nowMs) {
      const start = nowMs - windowMs;
      if (snapshots.length === 0) {
        // Nothing seen yet: counters last touched before the window are old traffic; the
        // others are counted whole (they may hold a little traffic from before the window).
        const baseline = new Map<string, number>();
        for (const edge of edges) baseline.set(edgeStatsKey(edge), edge.lastSeenMs < start ? edge.requests : 0);
        snapshots.push({ atMs: start, counts: baseline });
      }
      // Keep the newest snapshot at or before the window's start as the baseline.
      while (snapshots.length > 1 && (snapshots[1]?.atMs ?? Infinity) <= start) snapshots.shift();
      const baseline = snapshots[0]?.counts ?? new Map<string, number>();
      const counts = new Map<string, number>();
      const out: WindowedEdge[] = [];
      for (const stats of edges) {
        const key = edgeStatsKey(stats);
        counts.set(key, stats.requests);
        const requests = Math.max(0, stats.requests - (baseline.get(key) ?? 0));
        out.push({ stats, requests, latenciesMs: requests === 0 ? [] : stats.latenciesMs.slice(-requests) });
      }
      const last = snapshots.at(-1);
      if (last === undefined || last.atMs < nowMs) snapshots.push({ atMs: nowMs, counts });
      return out;
    },
  };
}
