// Request counters per edge of the mesh graph, shaped like Istio's istio_requests_total labels
// (source workload/version → destination service/workload/version, response code, mTLS), with
// a bounded window of latency samples per edge for percentiles.

export interface EdgeKey {
  sourceWorkload: string;
  sourceNamespace: string;
  sourceVersion: string;
  destinationService: string;
  destinationWorkload: string;
  destinationNamespace: string;
  destinationVersion: string;
  responseCode: number;
  /** `mutual_tls` or `none`, as Istio's connection_security_policy label. */
  mtls: boolean;
  /** Response flags (`-` when none). */
  flags: string;
}

export interface EdgeStats extends EdgeKey {
  requests: number;
  /** The newest latency samples in milliseconds. */
  latenciesMs: number[];
  lastSeenMs: number;
}

export interface EdgeMetrics {
  record(edge: EdgeKey, latencyMs: number, atMs: number): void;
  edges(): EdgeStats[];
}

export function createEdgeMetrics(sampleLimit = 100): EdgeMetrics {
  const edges = new Map<string, EdgeStats>();
  return {
    record(edge, latencyMs, atMs) {
      const id = JSON.stringify([edge.sourceNamespace, edge.sourceWorkload, edge.sourceVersion, edge.destinationService, edge.destinationNamespace, edge.destinationWorkload, edge.destinationVersion, edge.responseCode, edge.mtls, edge.flags]);
      let stats = edges.get(id);
      if (stats === undefined) {
        stats = { ...edge, requests: 0, latenciesMs: [], lastSeenMs: atMs };
        edges.set(id, stats);
      }
      stats.requests += 1;
      stats.latenciesMs.push(latencyMs);
      if (stats.latenciesMs.length > sampleLimit) stats.latenciesMs.shift();
      stats.lastSeenMs = atMs;
    },
    edges: () => [...edges.values()].map((e) => ({ ...e, latenciesMs: [...e.latenciesMs] })),
  };
}
