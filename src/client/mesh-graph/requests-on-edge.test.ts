import { test } from "node:test";
import assert from "node:assert/strict";
import type { MeshEdge, MeshNode, MeshRecentRequest } from "./mesh-graph-data.ts";
import { requestsOnEdge } from "./requests-on-edge.ts";

const nodes: MeshNode[] = [
  { id: "workload:default/productpage-v1", kind: "workload", label: "productpage v1", namespace: "default", pods: [], badges: [] },
  { id: "service:reviews.default.svc.cluster.local", kind: "service", label: "reviews", namespace: "default", pods: [], badges: [] },
  { id: "workload:default/reviews-v2", kind: "workload", label: "reviews v2", namespace: "default", pods: [], badges: [] },
  { id: "client:outside", kind: "client", label: "outside the mesh", pods: [], badges: [] },
];
const edge = (source: string, target: string): MeshEdge => ({
  id: `${source}->${target}`, source, target, service: "reviews.default.svc.cluster.local", protocol: "http", requests: 1, rate: 0, errorRate: 0, mtls: "all", codes: {}, flags: [], health: "healthy", badges: [],
});
const request = (from: string, hops: MeshRecentRequest["trace"]["hops"]): MeshRecentRequest => ({ at: 0, from, method: "GET", url: "http://x", status: 200, elapsedMs: 1, trace: { hops } });

const viaV2 = request("ratings-v1-aaaaaaaaa-bbbbb.default", [
  { depth: 1, kind: "sidecar-outbound", at: "productpage-v1-799866c4d8-f5bq8.default", startMs: 0, cluster: "outbound|9080|v2|reviews.default.svc.cluster.local" },
  { depth: 1, kind: "sidecar-inbound", at: "reviews-v2-5c4d7b8d9-xkq2m.default", startMs: 0 },
]);
const viaV1 = request("ratings-v1-aaaaaaaaa-bbbbb.default", [
  { depth: 1, kind: "sidecar-outbound", at: "productpage-v1-799866c4d8-f5bq8.default", startMs: 0, cluster: "outbound|9080||reviews.default.svc.cluster.local" },
  { depth: 1, kind: "sidecar-inbound", at: "reviews-v1-5c4d7b8d9-xkq2m.default", startMs: 0 },
]);
const fromOutside = request("workstation", [{ depth: 0, kind: "dns", at: "client", startMs: 0, note: "reviews.default → reviews.default.svc.cluster.local 10.96.0.9" }]);

test("a caller's edge holds the requests its pods sent to the service; a version's edge only those its pods served", () => {
  assert.deepEqual(requestsOnEdge(edge("workload:default/productpage-v1", "service:reviews.default.svc.cluster.local"), nodes, [viaV2, viaV1, fromOutside]), [viaV2, viaV1]);
  assert.deepEqual(requestsOnEdge(edge("service:reviews.default.svc.cluster.local", "workload:default/reviews-v2"), nodes, [viaV2, viaV1, fromOutside]), [viaV2]);
  assert.deepEqual(requestsOnEdge(edge("client:outside", "service:reviews.default.svc.cluster.local"), nodes, [viaV2, viaV1, fromOutside]), [fromOutside]);
});
