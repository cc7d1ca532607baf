import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { MeshGraph } from "../../src/client/mesh-graph/mesh-graph-data.ts";
import type { EdgeStats } from "../sandbox/index.ts";
import type { MeshObject } from "./build-mesh-graph.ts";
import { createMeshGraphApi, type MeshGraphTarget } from "./mesh-graph-api.ts";

const edges: EdgeStats[] = [];
const sandbox: MeshGraphTarget = { kubeconfig: "fake", telemetry: () => ({ edges: edges.map((e) => ({ ...e })), requests: [] }) };
const objects: MeshObject[] = [{ kind: "Service", metadata: { name: "details", namespace: "default" }, spec: { selector: { app: "details" } } }];
let onClusterChange: (() => void) | undefined;

async function serve(): Promise<{ server: Server; base: string }> {
  const api = createMeshGraphApi({
    sandboxFor(id, token) {
      if (token !== "good") throw Object.assign(new Error("Unknown session or wrong token."), { status: 401, code: "UNAUTHORIZED" });
      return id === "starting" ? undefined : sandbox;
    },
    readObjects: async () => objects.map((o) => ({ ...o })),
    watchChanges: (_kubeconfig, onChange) => (onClusterChange = onChange),
    tickMs: 20,
  });
  const server = createServer((req, res) => {
    void api(req, res, (req.url ?? "/").split("?")[0] ?? "/").then((answered) => {
      if (!answered) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const auth = { Authorization: "Bearer good" };

test("the graph is answered only with the session's token, and not before its sandbox runs", async () => {
  const { server, base } = await serve();
  try {
    const refused = await fetch(`${base}/api/sessions/s1/mesh-graph`, { headers: { Authorization: "Bearer bad" } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get("www-authenticate"), "Bearer");
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "UNAUTHORIZED");
    assert.equal((await fetch(`${base}/api/sessions/starting/mesh-graph`, { headers: auth })).status, 409);
    assert.equal((await fetch(`${base}/api/sessions/s1/mesh-graph`, { method: "POST", headers: auth })).status, 405);
    const answer = await fetch(`${base}/api/sessions/s1/mesh-graph`, { headers: auth });
    assert.equal(answer.status, 200);
    const graph = (await answer.json()) as MeshGraph;
    assert.equal(graph.telemetry, "live");
    assert.deepEqual(graph.nodes.map((n) => n.id), ["service:details.default.svc.cluster.local"]);
    assert.equal((await fetch(`${base}/api/sessions/s1/other`, { headers: auth })).status, 404);
  } finally {
    server.close();
  }
});

test("the event stream sends the graph, then a new one when traffic arrives or the cluster changes", async () => {
  const { server, base } = await serve();
  const controller = new AbortController();
  try {
    const answer = await fetch(`${base}/api/sessions/s2/mesh-graph/events`, { headers: auth, signal: controller.signal });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = answer.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    const nextGraph = async (): Promise<MeshGraph> => {
      for (;;) {
        const end = buffered.indexOf("\n\n");
        if (end >= 0) {
          const event = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^event: graph\ndata: (.*)$/s.exec(event)?.[1];
          if (data !== undefined) return JSON.parse(data) as MeshGraph;
          continue;
        }
        const { value, done } = await reader.read();
        assert.ok(!done, "the stream ended early");
        buffered += value;
      }
    };
    assert.equal((await nextGraph()).edges.length, 0);
    edges.push({
      sourceWorkload: "unknown", sourceNamespace: "unknown", sourceVersion: "unknown",
      destinationService: "details.default.svc.cluster.local", destinationWorkload: "details-v1", destinationNamespace: "default", destinationVersion: "v1",
      responseCode: 503, mtls: false, flags: "UF", requests: 2, latenciesMs: [3, 4], lastSeenMs: Date.now(),
    });
    const withTraffic = await nextGraph();
    const failing = withTraffic.edges.find((e) => e.source === "client:outside");
    assert.equal(failing?.requests, 2);
    assert.equal(failing?.health, "failing");
    assert.deepEqual(failing?.flags, ["UF"]);
    objects.push({ kind: "Service", metadata: { name: "ratings", namespace: "default" }, spec: {} });
    onClusterChange?.();
    const changed = await nextGraph();
    assert.ok(changed.nodes.some((n) => n.id === "service:ratings.default.svc.cluster.local"));
  } finally {
    controller.abort();
    server.close();
    server.closeAllConnections();
  }
});
