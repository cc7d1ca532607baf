// The data plane counts requests per edge since the sandbox started; the graph shows the last
// minute. The window keeps snapshots of those counters and answers the difference between now
// and the snapshot at the window's start, the way Prometheus' rate() reads a counter. TCP
// edges count connections and bytes instead of requests, and are windowed the same way.
import type { EdgeStats } from "../sandbox/index.ts";

export interface WindowedEdge {
  stats: EdgeStats;
  /** Requests on this edge inside the window. */
  requests: number;
  /** Latency samples of those requests (the newest ones the data plane kept). */
  latenciesMs: number[];
  /** TCP edges: connections opened inside the window. */
  connections: number;
  /** TCP edges: bytes the clients sent inside the window. */
  bytesReceived: number;
  /** TCP edges: bytes the servers answered inside the window. */
  bytesSent: number;
}

export interface TrafficWindow {
  readonly windowMs: number;
  observe(edges: readonly EdgeStats[], nowMs: number): WindowedEdge[];
}

/** The counters of one edge: requests, connections, bytes received, bytes sent. */
type Counters = readonly [number, number, number, number];

interface Snapshot {
  atMs: number;
  counts: Map<string, Counters>;
}

export function edgeStatsKey(edge: EdgeStats): string {
  return JSON.stringify([edge.sourceNamespace, edge.sourceWorkload, edge.sourceVersion, edge.destinationService, edge.destinationNamespace, edge.destinationWorkload, edge.destinationVersion, edge.responseCode, edge.mtls, edge.flags, edge.protocol ?? "http"]);
}

function countersOf(edge: EdgeStats): Counters {
  return [edge.requests, edge.connections ?? 0, edge.bytesReceived ?? 0, edge.bytesSent ?? 0];
}

const ZERO: Counters = [0, 0, 0, 0];

export function createTrafficWindow(windowMs = 60_000): TrafficWindow {
  const snapshots: Snapshot[] = [];
  return {
    windowMs,
    observe(edges, nowMs) {
      const start = nowMs - windowMs;
      if (snapshots.length === 0) {
        // Nothing seen yet: counters last touched before the window are old traffic; the
        // others are counted whole (they may hold a little traffic from before the window).
        const baseline = new Map<string, Counters>();
        for (const edge of edges) baseline.set(edgeStatsKey(edge), edge.lastSeenMs < start ? countersOf(edge) : ZERO);
        snapshots.push({ atMs: start, counts: baseline });
      }
      // Keep the newest snapshot at or before the window's start as the baseline.
      while (snapshots.length > 1 && (snapshots[1]?.atMs ?? Infinity) <= start) snapshots.shift();
      const baseline = snapshots[0]?.counts ?? new Map<string, Counters>();
      const counts = new Map<string, Counters>();
      const out: WindowedEdge[] = [];
      for (const stats of edges) {
        const key = edgeStatsKey(stats);
        const now = countersOf(stats);
        counts.set(key, now);
        const before = baseline.get(key) ?? ZERO;
        const [requests, connections, bytesReceived, bytesSent] = now.map((value, index) => Math.max(0, value - (before[index] ?? 0))) as [number, number, number, number];
        out.push({ stats, requests, latenciesMs: requests === 0 ? [] : stats.latenciesMs.slice(-requests), connections, bytesReceived, bytesSent });
      }
      const last = snapshots.at(-1);
      if (last === undefined || last.atMs < nowMs) snapshots.push({ atMs: nowMs, counts });
      return out;
    },
  };
}
