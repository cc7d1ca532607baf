// What the panel says about an edge, in the SVG (its short label), to a screen reader (its
// summary) and in the table (its cells). An HTTP edge speaks of requests, errors and latency;
// a TCP edge, as Kiali draws one, of connections and bytes: a TCP proxy sees no requests, so
// it has no response codes, error rate or latency to tell.
import type { MeshEdge, MeshNode } from "./mesh-graph-data.ts";

export interface EdgeDescription {
  /** The sentence for the edge's accessible name and the details panel. */
  summary: string;
  /** The short text drawn on the edge (`0.15/s · 10% err`, `TCP 1.2 kB/s`); empty when quiet. */
  label: string;
  /** From, To, Requests, Per second, Errors, p50, p99, mTLS, Rules, Protocol. */
  cells: string[];
}

export function formatRate(rate: number): string {
  return rate === 0 ? "0" : rate < 0.1 ? rate.toFixed(3) : rate.toFixed(2);
}

/** Bytes (or bytes per second) as Kiali prints them: B, kB, MB in powers of 1000. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes * 10) / 10} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

function mtlsWords(edge: MeshEdge): string {
  return edge.mtls === "all" ? "mutual TLS" : edge.mtls === "some" ? "partly mutual TLS" : "plain text";
}

export function describeEdge(edge: MeshEdge, nodes: ReadonlyMap<string, MeshNode>): EdgeDescription {
  const from = nodes.get(edge.source)?.label ?? edge.source;
  const to = nodes.get(edge.target)?.label ?? edge.target;
  const quiet = edge.health === "quiet";
  const mtlsCell = quiet ? "—" : edge.mtls === "all" ? "yes" : edge.mtls === "some" ? "partly" : "no";
  const rules = edge.badges.map((b) => b.text).join(", ");
  if (edge.protocol === "tcp") {
    const connections = edge.connections ?? 0;
    const bytes = (edge.bytesReceived ?? 0) + (edge.bytesSent ?? 0);
    const failed = edge.flags.length > 0 ? `, connection flags ${edge.flags.join(", ")}` : "";
    return {
      summary: quiet
        ? `${from} to ${to}: TCP, no connections in the last minute`
        : `${from} to ${to}: TCP, ${connections} ${connections === 1 ? "connection" : "connections"}, ${formatRate(edge.connectionRate ?? 0)} per second, ${formatBytes(bytes)} (${formatBytes(edge.byteRate ?? 0)} per second)${failed}, ${mtlsWords(edge)}`,
      label: quiet ? "" : `TCP ${formatBytes(edge.byteRate ?? 0)}/s`,
      cells: [from, to, `${connections} conn`, `${formatRate(edge.connectionRate ?? 0)} conn · ${formatBytes(edge.byteRate ?? 0)}`, "—", "—", "—", mtlsCell, rules, "TCP"],
    };
  }
  const latency = edge.p50Ms === undefined ? "" : `, p50 ${edge.p50Ms} ms, p99 ${edge.p99Ms} ms`;
  return {
    summary: quiet ? `${from} to ${to}: no requests in the last minute` : `${from} to ${to}: ${edge.requests} requests, ${formatRate(edge.rate)} per second, ${percent(edge.errorRate)} errors${latency}, ${mtlsWords(edge)}`,
    label: quiet ? "" : `${formatRate(edge.rate)}/s${edge.errorRate > 0 ? ` · ${percent(edge.errorRate)} err` : ""}`,
    cells: [
      from,
      to,
      String(edge.requests),
      formatRate(edge.rate),
      percent(edge.errorRate),
      edge.p50Ms === undefined ? "—" : `${edge.p50Ms} ms`,
      edge.p99Ms === undefined ? "—" : `${edge.p99Ms} ms`,
      mtlsCell,
      rules,
      "HTTP",
    ],
  };
}
