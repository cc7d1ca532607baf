// A request's hops as waterfall rows: each hop's start and length as shares of the whole
// request, so the panel can draw bars without knowing the clock.
import type { MeshRecentRequest, MeshTraceHop } from "./mesh-graph-data.ts";

export interface WaterfallRow {
  hop: MeshTraceHop;
  /** What the row is called (`sidecar-outbound at productpage-v1-…`). */
  label: string;
  /** What acted here, in short (`route reviews → subset v1`, `403 denied`). */
  detail: string;
  /** Start and width as percentages of the request's span. */
  offset: number;
  width: number;
  durationMs: number;
}

export function waterfallRows(request: MeshRecentRequest): WaterfallRow[] {
  const hops = request.trace.hops;
  const start = Math.min(request.at, ...hops.map((h) => h.startMs));
  const end = Math.max(request.at + request.elapsedMs, ...hops.map((h) => h.endMs ?? h.startMs));
  const span = Math.max(end - start, 1);
  return hops.map((hop) => {
    const durationMs = Math.max(0, (hop.endMs ?? hop.startMs) - hop.startMs);
    return {
      hop,
      label: `${hop.kind} · ${hop.at.replace(/\.[^.]+$/, "")}`,
      detail: hopDetail(hop),
      offset: round(((hop.startMs - start) / span) * 100),
      width: round(Math.max((durationMs / span) * 100, 0.5)),
      durationMs,
    };
  });
}

function hopDetail(hop: MeshTraceHop): string {
  const parts: string[] = [];
  if (hop.route !== undefined) parts.push(`route ${hop.route}${hop.routeSource !== undefined && hop.routeSource !== hop.route ? ` (${hop.routeSource})` : ""}`);
  if (hop.subset !== undefined) parts.push(`subset ${hop.subset}`);
  if (hop.endpoint !== undefined) parts.push(`→ ${hop.endpoint}`);
  if (hop.fault !== undefined) parts.push(`fault ${hop.fault}`);
  if (hop.attempts !== undefined && hop.attempts > 1) parts.push(`${hop.attempts} attempts`);
  if (hop.timedOut === true) parts.push("timed out");
  if (hop.authorization !== undefined) parts.push(hop.authorization);
  if (hop.mtls === true) parts.push("mTLS");
  if (hop.status !== undefined) parts.push(String(hop.status));
  if (hop.flags !== undefined && hop.flags !== "-") parts.push(hop.flags);
  if (hop.note !== undefined) parts.push(hop.note);
  return parts.join(" · ");
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
