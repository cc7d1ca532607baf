import { test } from "node:test";
import assert from "node:assert/strict";
import type { MeshEdge, MeshGraph, MeshNode } from "./mesh-graph-data.ts";
import { layoutMeshGraph } from "./layout-mesh-graph.ts";

const node = (id: string, label: string, kind: MeshNode["kind"] = "workload"): MeshNode => ({ id, kind, label, pods: [], badges: [] });
const edge = (source: string, target: string): MeshEdge => ({
  id: `${source}->${target}`, source, target, service: "x", protocol: "http", requests: 1, rate: 0.017, errorRate: 0, mtls: "all", codes: { "200": 1 }, flags: [], health: "healthy", badges: [],
});

test("dagre lays the graph out left to right with no overlapping boxes and a path for every edge", () => {
  const graph: MeshGraph = {
    at: 0, windowMs: 60_000, telemetry: "live",
    nodes: [node("pp", "productpage v1"), node("svc", "reviews", "service"), node("v1", "reviews v1"), node("v2", "reviews v2"), node("v3", "reviews v3")],
    edges: [edge("pp", "svc"), edge("svc", "v1"), edge("svc", "v2"), edge("svc", "v3")],
  };
  const placed = layoutMeshGraph(graph);
  const at = new Map(placed.nodes.map((n) => [n.node.id, n]));
  assert.equal(placed.nodes.length, 5);
  assert.ok(at.get("pp")!.x < at.get("svc")!.x && at.get("svc")!.x < at.get("v2")!.x, "callers left of the services they call");
  for (const a of placed.nodes) {
    for (const b of placed.nodes) {
      if (a === b) continue;
      const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
      assert.ok(apart, `${a.node.id} overlaps ${b.node.id}`);
    }
  }
  for (const e of placed.edges) assert.ok(e.points.length >= 2, `edge ${e.edge.id} has a path`);
  assert.ok(placed.width >= at.get("v1")!.x && placed.height > 0);
});

test("an HTTP and a TCP edge between the same nodes each get a path of their own", () => {
  const graph: MeshGraph = {
    at: 0, windowMs: 60_000, telemetry: "live",
    nodes: [node("pp", "productpage v1"), node("svc", "reviews", "service")],
    edges: [edge("pp", "svc"), { ...edge("pp", "svc"), id: "pp->svc:tcp", protocol: "tcp", requests: 0, connections: 2 }],
  };
  const placed = layoutMeshGraph(graph);
  assert.equal(placed.edges.length, 2);
  const [httpPath, tcpPath] = placed.edges.map((e) => JSON.stringify(e.points));
  assert.ok(httpPath !== "[]" && tcpPath !== "[]");
  assert.notEqual(httpPath, tcpPath, "the two edges are drawn apart");
});
