import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { MeshGraph } from "../../src/client/mesh-graph/mesh-graph-data.ts";
import { EmbeddedProvider } from "../providers/embedded-provider.ts";
import type { Sandbox } from "../providers/sandbox-provider.ts";
import { prepareStart } from "../providers/sandbox-start.ts";
import { buildMeshGraph } from "./build-mesh-graph.ts";
import { readMeshObjects } from "./read-mesh-objects.ts";
import { createTrafficWindow } from "./traffic-window.ts";

// Bookinfo in a real embedded sandbox: the traffic and the objects come from it as they would
// for a learner; only the window's clock is the test's.
const provider = new EmbeddedProvider({ profile: "instant" });
let sandbox: Sandbox;
const window = createTrafficWindow(60_000);
const WINDOW_SECONDS = 60;
let clock = 0;

before(async () => {
  sandbox = await provider.create({});
  await prepareStart(sandbox, "bookinfo");
  clock = Date.now();
  window.observe(sandbox.telemetry?.().edges ?? [], clock);
});

after(async () => {
  await sandbox.dispose();
  await provider.close();
});

async function send(requests: number): Promise<void> {
  const result = await sandbox.run(`for i in $(seq ${requests}); do kubectl exec deploy/ratings-v1 -c ratings -- curl -s -o /dev/null productpage:9080/productpage; done`);
  assert.equal(result.exitCode, 0, result.stderr);
}

async function graphAfter(seconds: number): Promise<MeshGraph> {
  clock += seconds * 1000;
  const traffic = window.observe(sandbox.telemetry?.().edges ?? [], clock);
  return buildMeshGraph({ traffic, windowMs: 60_000, objects: await readMeshObjects(sandbox.kubeconfig), nowMs: clock });
}

function edge(graph: MeshGraph, source: string, target: string, protocol: "http" | "tcp" = "http") {
  const found = graph.edges.find((e) => e.source === source && e.target === target && e.protocol === protocol);
  assert.ok(found, `no edge ${source} → ${target}; edges: ${graph.edges.map((e) => e.id).join(", ")}`);
  return found;
}

const REVIEWS = "service:reviews.default.svc.cluster.local";
const RATINGS = "service:ratings.default.svc.cluster.local";

test("before any traffic the graph shows Bookinfo's services and versions from the API, every edge quiet", async () => {
  const graph = await graphAfter(1);
  const labels = graph.nodes.map((n) => n.label).sort();
  for (const label of ["productpage", "productpage v1", "details", "details v1", "reviews", "reviews v1", "reviews v2", "reviews v3", "ratings", "ratings v1"]) {
    assert.ok(labels.includes(label), `missing ${label} in ${labels.join(", ")}`);
  }
  assert.equal(edge(graph, REVIEWS, "workload:default/reviews-v2").health, "quiet");
  const reviews = graph.nodes.find((n) => n.id === "workload:default/reviews-v1");
  assert.equal(reviews?.sidecar, "injected");
  assert.equal(reviews?.proxies, "connected");
  assert.equal(reviews?.pods.length, 1);
  assert.ok(graph.nodes.some((n) => n.kind === "gateway" && n.label === "istio-ingressgateway"));
});

test("Bookinfo traffic: productpage → details and reviews v1/v2/v3, reviews v2/v3 → ratings, at the rate sent, over mTLS", async () => {
  await send(12);
  const graph = await graphAfter(5);
  assert.equal(graph.telemetry, "live");
  const productpage = "workload:default/productpage-v1";
  const toDetails = edge(graph, productpage, "service:details.default.svc.cluster.local");
  assert.equal(toDetails.requests, 12);
  assert.equal(toDetails.rate, Math.round((12 / WINDOW_SECONDS) * 1000) / 1000);
  assert.equal(toDetails.mtls, "all");
  assert.equal(toDetails.health, "healthy");
  assert.ok(toDetails.p50Ms !== undefined && toDetails.p99Ms !== undefined && toDetails.p50Ms <= toDetails.p99Ms);
  assert.equal(edge(graph, productpage, REVIEWS).requests, 12);
  const versions = ["v1", "v2", "v3"].map((v) => edge(graph, REVIEWS, `workload:default/reviews-${v}`).requests);
  assert.equal(versions.reduce((a, b) => a + b, 0), 12);
  for (const count of versions) assert.ok(count > 0, `round robin reaches every version: ${versions.join(", ")}`);
  // Only v2 and v3 call ratings; v1 shows no stars.
  assert.equal(edge(graph, "workload:default/reviews-v2", RATINGS).requests, versions[1]);
  assert.equal(edge(graph, "workload:default/reviews-v3", RATINGS).requests, versions[2]);
  assert.ok(!graph.edges.some((e) => e.source === "workload:default/reviews-v1" && e.target === RATINGS && e.requests > 0));
  assert.equal(edge(graph, "workload:default/ratings-v1", "service:productpage.default.svc.cluster.local").requests, 12);
});

async function nameReviewsPort(name: string): Promise<void> {
  const patched = await sandbox.run(`kubectl patch service reviews --type=json -p '[{"op":"replace","path":"/spec/ports/0/name","value":"${name}"}]'`);
  assert.equal(patched.exitCode, 0, patched.stderr);
}

test("a reviews port named tcp: productpage → reviews is a TCP edge with connections and bytes, over mTLS, and no HTTP requests", async () => {
  await nameReviewsPort("tcp");
  try {
    await graphAfter(61);
    await send(4);
    const graph = await graphAfter(1);
    const productpage = "workload:default/productpage-v1";
    const tcp = edge(graph, productpage, REVIEWS, "tcp");
    assert.equal(tcp.id, `${productpage}->${REVIEWS}:tcp`);
    assert.equal(tcp.connections, 4);
    assert.equal(tcp.connectionRate, Math.round((4 / WINDOW_SECONDS) * 1000) / 1000);
    assert.equal(tcp.requests, 0);
    assert.equal(tcp.errorRate, 0);
    assert.equal(tcp.p99Ms, undefined);
    assert.ok((tcp.bytesReceived ?? 0) > 0 && (tcp.bytesSent ?? 0) > (tcp.bytesReceived ?? 0), `a page of reviews is bigger than its request: ${tcp.bytesReceived} in, ${tcp.bytesSent} out`);
    assert.equal(tcp.byteRate, Math.round((((tcp.bytesReceived ?? 0) + (tcp.bytesSent ?? 0)) / WINDOW_SECONDS) * 10) / 10);
    assert.equal(tcp.mtls, "all");
    assert.equal(tcp.health, "healthy");
    // The HTTP edge to reviews carries nothing in this window.
    assert.equal(graph.edges.find((e) => e.source === productpage && e.target === REVIEWS && e.protocol === "http")?.requests ?? 0, 0);
    const versions = ["v1", "v2", "v3"].map((v) => edge(graph, REVIEWS, `workload:default/reviews-${v}`, "tcp"));
    assert.equal(versions.reduce((sum, e) => sum + (e.connections ?? 0), 0), 4);
    // What reviews calls is still HTTP: its ratings port is named http.
    const ratingsRequests = ["v2", "v3"].map((v) => edge(graph, `workload:default/reviews-${v}`, RATINGS).requests);
    assert.equal(ratingsRequests.reduce((a, b) => a + b, 0), (versions[1]?.connections ?? 0) + (versions[2]?.connections ?? 0));
  } finally {
    await nameReviewsPort("http");
  }
});

test("all to v1: the v2/v3 edges go quiet once the window has passed, and the rule shows as badges", async () => {
  const apply = await sandbox.run(`kubectl apply -f - <<'YAML'
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: v3, labels: {version: v3}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: reviews}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
YAML`);
  assert.equal(apply.exitCode, 0, apply.stderr);
  await graphAfter(61);
  await send(6);
  const graph = await graphAfter(1);
  assert.equal(edge(graph, REVIEWS, "workload:default/reviews-v1").requests, 6);
  assert.equal(edge(graph, REVIEWS, "workload:default/reviews-v2").health, "quiet");
  assert.equal(edge(graph, REVIEWS, "workload:default/reviews-v3").health, "quiet");
  const badges = edge(graph, "workload:default/productpage-v1", REVIEWS).badges.map((b) => `${b.kind}:${b.text}`);
  assert.deepEqual(badges.sort(), ["route:VS", "subsets:subsets v1 v2 v3", "weights:v1 100%"]);
});

test("a deny-all policy turns the edges into its workloads red", async () => {
  const apply = await sandbox.run(`kubectl apply -f - <<'YAML'
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-all, namespace: default}
spec: {}
YAML`);
  assert.equal(apply.exitCode, 0, apply.stderr);
  await graphAfter(61);
  await send(3);
  const graph = await graphAfter(1);
  const denied = edge(graph, "service:productpage.default.svc.cluster.local", "workload:default/productpage-v1");
  assert.equal(denied.health, "failing");
  assert.equal(denied.errorRate, 1);
  assert.deepEqual(denied.codes, { "403": 3 });
  assert.deepEqual(denied.badges.map((b) => `${b.kind}:${b.text}:${b.source}`), ["deny:allow-nothing:AuthorizationPolicy deny-all.default"]);
});

test("with istiod gone the sidecars show as disconnected from the control plane", async () => {
  const scaled = await sandbox.run("kubectl scale deployment istiod -n istio-system --replicas=0 && kubectl wait --for=delete pod -l app=istiod -n istio-system --timeout=60s");
  assert.equal(scaled.exitCode, 0, scaled.stderr);
  const graph = await graphAfter(1);
  const details = graph.nodes.find((n) => n.id === "workload:default/details-v1");
  assert.equal(details?.proxies, "disconnected");
  assert.deepEqual(details?.pods.map((p) => p.proxy), ["disconnected"]);
});

test("TCP edges without a sandbox: a Service whose ports are all TCP has TCP quiet edges, and connections that found no upstream turn the edge red", () => {
  const stats = (flags: string, destinationWorkload: string) => ({
    sourceWorkload: "ratings-v2",
    sourceNamespace: "default",
    sourceVersion: "v2",
    destinationService: "mongodb.default.svc.cluster.local",
    destinationWorkload,
    destinationNamespace: destinationWorkload === "unknown" ? "unknown" : "default",
    destinationVersion: destinationWorkload === "unknown" ? "unknown" : "v1",
    responseCode: 0,
    mtls: destinationWorkload !== "unknown",
    flags,
    protocol: "tcp" as const,
    requests: 0,
    latenciesMs: [],
    lastSeenMs: 0,
  });
  const windowed = (flags: string, destinationWorkload: string, connections: number) => ({ stats: stats(flags, destinationWorkload), requests: 0, latenciesMs: [], connections, bytesReceived: 10 * connections, bytesSent: 100 * connections });
  const service = (name: string, port: Record<string, string | number>) => ({ kind: "Service", metadata: { name, namespace: "default" }, spec: { selector: { app: name }, ports: [port] } });
  const pod = (name: string, app: string) => ({ kind: "Pod", metadata: { name, namespace: "default", labels: { app, version: "v1" } }, spec: { containers: [{ name: app }] }, status: { phase: "Running" } });
  const graph = buildMeshGraph({
    traffic: [windowed("-", "mongodb-v1", 3), windowed("UH", "unknown", 1)],
    windowMs: 60_000,
    objects: [service("mongodb", { name: "tcp-db", port: 27017 }), pod("mongodb-v1-6d8f4b7c9d-abcde", "mongodb"), service("web", { port: 80 }), pod("web-5b549b49b8-mxzbn", "web")],
    nowMs: 60_000,
  });
  const caller = edge(graph, "workload:default/ratings-v2", "service:mongodb.default.svc.cluster.local", "tcp");
  assert.equal(caller.connections, 4);
  assert.deepEqual(caller.flags, ["UH"]);
  assert.equal(caller.health, "failing", "one connection in four found no upstream");
  assert.equal(caller.mtls, "some");
  assert.equal(caller.byteRate, Math.round(((40 + 400) / 60) * 10) / 10);
  const backend = edge(graph, "service:mongodb.default.svc.cluster.local", "workload:default/mongodb-v1", "tcp");
  assert.equal(backend.connections, 3);
  assert.equal(backend.health, "healthy");
  assert.ok(!graph.edges.some((e) => e.target === "workload:default/mongodb-v1" && e.protocol === "http"), "no HTTP edge into a TCP-only service's workload");
  // An unnamed port is sniffed: HTTP traffic through it is HTTP, so its quiet edge is too.
  assert.equal(edge(graph, "service:web.default.svc.cluster.local", "workload:default/web").health, "quiet");
});

test("without telemetry (a real cluster with no Prometheus) the graph says so and still shows what the API holds", async () => {
  const graph = buildMeshGraph({ traffic: undefined, windowMs: 60_000, objects: await readMeshObjects(sandbox.kubeconfig), nowMs: clock });
  assert.equal(graph.telemetry, "unavailable");
  assert.match(graph.note ?? "", /telemetry \(Prometheus\)/);
  const names = graph.nodes.map((node) => node.label);
  for (const name of ["productpage", "reviews", "ratings", "details"]) assert.ok(names.some((label) => label.startsWith(name)), `${name} in ${names.join(", ")}`);
  assert.ok(graph.edges.every((edge) => edge.requests === 0), "no traffic is invented");
});
