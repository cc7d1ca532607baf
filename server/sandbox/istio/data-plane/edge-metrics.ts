// Request counters per edge of the mesh graph, shaped like Istio's istio_requests_total labels
// (source workload/version → destination service/workload/version, response code, mTLS), with
// a bounded window of latency samples per edge for percentiles. Connections through a TCP
// proxy are counted apart, as Istio's istio_tcp_connections_opened_total and
// istio_tcp_{sent,received}_bytes_total count them: connections and bytes, no response code.

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
  /** `tcp` for connections through a TCP proxy (responseCode 0); absent for HTTP requests. */
  protocol?: 'tcp';
}

export interface EdgeStats extends EdgeKey {
  /** HTTP requests (0 on a TCP edge). */
  requests: number;
  /** The newest latency samples in milliseconds. */
  latenciesMs: number[];
  lastSeenMs: number;
  /** TCP edges: connections opened. */
  connections?: number;
  /** TCP edges: bytes the client sent (Istio's received bytes). */
  bytesReceived?: number;
  /** TCP edges: bytes the server answered (Istio's sent bytes). */
  bytesSent?: number;
}

/** A TCP connection's edge: no response code, and the bytes each way. */
export type TcpEdgeKey = Omit<EdgeKey, 'responseCode' | 'protocol'>;

export interface EdgeMetrics {
  record(edge: EdgeKey, latencyMs: number, atMs: number): void;
  recordTcp(edge: TcpEdgeKey, bytes: { received: number; sent: number }, atMs: number): void;
  edges(): EdgeStats[];
}

function edgeId(edge: EdgeKey): string {
  return JSON.stringify([edge.sourceNamespace, edge.sourceWorkload, edge.sourceVersion, edge.destinationService, edge.destinationNamespace, edge.destinationWorkload, edge.destinationVersion, edge.responseCode, edge.mtls, edge.flags, edge.protocol ?? 'http']);
}

export function createEdgeMetrics(sampleLimit = 100): EdgeMetrics {
  const edges = new Map<string, EdgeStats>();
  return {
    record(edge, latencyMs, atMs) {
      const id = edgeId(edge);
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
    recordTcp(edge, bytes, atMs) {
      const key: EdgeKey = { ...edge, responseCode: 0, protocol: 'tcp' };
      const id = edgeId(key);
      let stats = edges.get(id);
      if (stats === undefined) {
        stats = { ...key, requests: 0, latenciesMs: [], lastSeenMs: atMs, connections: 0, bytesReceived: 0, bytesSent: 0 };
        edges.set(id, stats);
      }
      stats.connections = (stats.connections ?? 0) + 1;
      stats.bytesReceived = (stats.bytesReceived ?? 0) + bytes.received;
      stats.bytesSent = (stats.bytesSent ?? 0) + bytes.sent;
      stats.lastSeenMs = atMs;
    },
    edges: () => [...edges.values()].map((e) => ({ ...e, latenciesMs: [...e.latenciesMs] })),
  };
}
