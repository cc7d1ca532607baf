import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEdge, formatBytes } from "./describe-edge.ts";
import type { MeshEdge, MeshNode } from "./mesh-graph-data.ts";

const nodes = new Map<string, MeshNode>([
  ["pp", { id: "pp", kind: "workload", label: "productpage v1", pods: [], badges: [] }],
  ["svc", { id: "svc", kind: "service", label: "reviews", pods: [], badges: [] }],
]);

const http: MeshEdge = {
  id: "pp->svc", source: "pp", target: "svc", service: "reviews.default.svc.cluster.local", protocol: "http",
  requests: 9, rate: 0.15, errorRate: 0.111, p50Ms: 4, p99Ms: 20, mtls: "all", codes: { "200": 8, "503": 1 }, flags: ["UF"], health: "degraded", badges: [],
};

const tcp: MeshEdge = {
  id: "pp->svc:tcp", source: "pp", target: "svc", service: "reviews.default.svc.cluster.local", protocol: "tcp",
  requests: 0, rate: 0, errorRate: 0, connections: 4, connectionRate: 0.067, bytesReceived: 1200, bytesSent: 70_800, byteRate: 1200, mtls: "all", codes: {}, flags: [], health: "healthy", badges: [],
};

test("an HTTP edge speaks of requests, errors and latency", () => {
  const described = describeEdge(http, nodes);
  assert.equal(described.summary, "productpage v1 to reviews: 9 requests, 0.15 per second, 11.1% errors, p50 4 ms, p99 20 ms, mutual TLS");
  assert.equal(described.label, "0.15/s · 11.1% err");
  assert.deepEqual(described.cells, ["productpage v1", "reviews", "9", "0.15", "11.1%", "4 ms", "20 ms", "yes", "", "HTTP"]);
});

test("a TCP edge speaks of connections and bytes, with no error rate or latency", () => {
  const described = describeEdge(tcp, nodes);
  assert.equal(described.summary, "productpage v1 to reviews: TCP, 4 connections, 0.067 per second, 72.0 kB (1.2 kB per second), mutual TLS");
  assert.equal(described.label, "TCP 1.2 kB/s");
  assert.deepEqual(described.cells, ["productpage v1", "reviews", "4 conn", "0.067 conn · 1.2 kB", "—", "—", "—", "yes", "", "TCP"]);
  assert.ok(!described.summary.includes("error"));
});

test("quiet edges say so, TCP ones in connections", () => {
  assert.equal(describeEdge({ ...tcp, connections: 0, health: "quiet", mtls: "none" }, nodes).summary, "productpage v1 to reviews: TCP, no connections in the last minute");
  assert.equal(describeEdge({ ...tcp, connections: 0, health: "quiet" }, nodes).label, "");
  assert.equal(describeEdge({ ...http, health: "quiet" }, nodes).summary, "productpage v1 to reviews: no requests in the last minute");
});

test("bytes in powers of 1000, as Kiali prints them", () => {
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1500), "1.5 kB");
  assert.equal(formatBytes(2_500_000), "2.5 MB");
});
