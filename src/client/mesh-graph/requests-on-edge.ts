// Which recent requests travelled an edge of the graph, read from their traces: a caller's
// edge into a service is a hop at one of the caller's pods whose cluster is that service's (or,
// from outside the mesh, a request from the workstation that reached the service); a
// service's edge into a workload is a hop at one of that workload's pods.
import type { MeshEdge, MeshNode, MeshRecentRequest } from "./mesh-graph-data.ts";

/** `reviews-v1-7d8f9c-abcde.default` belongs to workload `reviews-v1` in `default`. */
function atWorkload(at: string, node: MeshNode): boolean {
  const workload = node.id.replace(/^workload:[^/]+\//, "");
  const dot = at.lastIndexOf(".");
  const pod = dot < 0 ? at : at.slice(0, dot);
  const namespace = dot < 0 ? undefined : at.slice(dot + 1);
  return (namespace === undefined || namespace === node.namespace) && (pod === workload || pod.startsWith(`${workload}-`));
}

export function requestsOnEdge(edge: MeshEdge, nodes: readonly MeshNode[], requests: readonly MeshRecentRequest[]): MeshRecentRequest[] {
  const source = nodes.find((n) => n.id === edge.source);
  const target = nodes.find((n) => n.id === edge.target);
  if (source === undefined || target === undefined) return [];
  const host = edge.service;
  const intoService = target.kind === "service";
  return requests.filter((request) => {
    const hops = request.trace.hops;
    if (!intoService) return hops.some((hop) => (hop.kind === "sidecar-inbound" || hop.kind === "app") && atWorkload(hop.at, target));
    if (source.kind === "client") {
      return request.from === "workstation" && hops.some((hop) => hop.depth === 0 && ((hop.cluster ?? "").includes(host) || (hop.note ?? "").includes(host)));
    }
    return hops.some((hop) => (hop.kind === "sidecar-outbound" || hop.kind === "gateway") && atWorkload(hop.at, source) && (hop.cluster ?? "").includes(host));
  });
}
