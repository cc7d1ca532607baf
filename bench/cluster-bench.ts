// Figures for the emulated cluster: start time, Bookinfo to Ready, get/list/watch throughput and
// memory per cluster. Throughput is compared with a plain Node http server answering a fixed
// JSON list of the same size, measured in the same run with the same client.
import { existsSync, readFileSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { parseAllDocuments } from "yaml";
import { createCluster, type Cluster } from "../server/sandbox/cluster/create-cluster.ts";
import { listenCluster, type ListeningCluster } from "../server/sandbox/cluster/listen-cluster.ts";
import { asObject, isJsonObject, type JsonObject } from "../server/sandbox/core/json-object.ts";
import { istioSamplePath } from "../tests/support/istio-samples.ts";
import { percentile } from "./stats.ts";

export interface ClusterFigure {
  figure: string;
  ours: string;
  reference: string;
}

const LIST_SIZE = 100;
const CONCURRENCY = 8;
const THROUGHPUT_MS = 1500;

function bookinfoManifest(): { text: string; source: string } {
  const upstream = istioSamplePath("samples/bookinfo/platform/kube/bookinfo.yaml");
  if (existsSync(upstream)) return { text: readFileSync(upstream, "utf8"), source: "upstream samples" };
  const copy = fileURLToPath(new URL("../tests/cluster/fixtures/bookinfo.yaml", import.meta.url));
  return { text: readFileSync(copy, "utf8"), source: "test fixture copy" };
}

function manifestObjects(text: string): JsonObject[] {
  return parseAllDocuments(text).map((doc) => doc.toJSON() as unknown).filter(isJsonObject);
}

/** Creates every object as `kubectl create -f` would, through the API (not HTTP). */
function applyObjects(cluster: Cluster, objects: JsonObject[]): void {
  const { api } = cluster;
  for (const object of objects) {
    const type = api.resourceForKind(String(object.apiVersion ?? ""), String(object.kind ?? ""));
    if (type === undefined) throw new Error(`bench manifest has an unknown kind ${String(object.kind)}`);
    api.create(type, type.namespaced ? String(asObject(object.metadata).namespace ?? "default") : "", object, { fieldManager: "kubectl-client-side-apply" });
  }
}

function podsReady(cluster: Cluster, expected: number): boolean {
  const pods = cluster.api.list(cluster.api.resource("", "v1", "pods"), "default").items;
  return pods.length >= expected && pods.every((pod) => (asObject(pod.status).conditions as JsonObject[] | undefined)?.some((c) => c.type === "Ready" && c.status === "True") === true);
}

async function untilReady(cluster: Cluster, expected: number): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (!podsReady(cluster, expected)) {
    if (performance.now() > deadline) throw new Error("Bookinfo pods did not become Ready within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function expectedPods(objects: JsonObject[]): number {
  return objects.filter((o) => o.kind === "Deployment").reduce((sum, o) => sum + Number(asObject(o.spec).replicas ?? 1), 0);
}

/** Requests per second over keep-alive connections, CONCURRENCY at a time. */
async function throughput(url: string): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const get = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`${url} answered ${res.statusCode}`));
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end();
    });
  for (let i = 0; i < 50; i++) await get();
  let done = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - started < THROUGHPUT_MS) {
      await get();
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return done / seconds;
}

/** The yardstick: Node's http answering fixed JSON bodies, no routing, storage or auth. */
async function startReferenceServer(bodies: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const body = bodies[req.url ?? ""] ?? "{}";
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Watch events per second: a burst of creates streamed to one HTTP watch. */
async function watchEventsPerSecond(cluster: Cluster, server: ListeningCluster, count: number): Promise<number> {
  const { api } = cluster;
  const configmaps = api.resource("", "v1", "configmaps");
  api.create(api.resource("", "v1", "namespaces"), "", { metadata: { name: "watched" } });
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion=${api.store.resourceVersion}`, (res) => {
      let seen = 0;
      let buffered = "";
      let started = 0;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        seen += lines.length;
        if (seen >= count) {
          const seconds = (performance.now() - started) / 1000;
          req.destroy();
          resolve(count / seconds);
        }
      });
      started = performance.now();
      for (let i = 0; i < count; i++) api.create(configmaps, "watched", { metadata: { name: `cm-${i}` }, data: { i: String(i) } });
    });
    req.on("error", (error) => { if (!req.destroyed) reject(error); });
    req.end();
  });
}

function heapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export async function measureCluster(): Promise<{ figures: ClusterFigure[]; manifestSource: string }> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const figures: ClusterFigure[] = [];
  const manifest = bookinfoManifest();
  const objects = manifestObjects(manifest.text);
  const pods = expectedPods(objects);

  const starts: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    const cluster = createCluster({ profile: "instant", seed: i });
    starts.push(performance.now() - started);
    cluster.dispose();
  }
  figures.push({ figure: "cluster start, median (ms)", ours: percentile(starts, 50).toFixed(2), reference: "-" });

  const toReady: number[] = [];
  for (let i = 0; i < 5; i++) {
    const cluster = createCluster({ profile: "instant", seed: `ready-${i}` });
    const started = performance.now();
    applyObjects(cluster, objects);
    await untilReady(cluster, pods);
    toReady.push(performance.now() - started);
    cluster.dispose();
  }
  figures.push({ figure: `Bookinfo applied -> ${pods} pods Ready, instant profile, median (ms)`, ours: percentile(toReady, 50).toFixed(1), reference: "-" });

  const cluster = createCluster({ profile: "none", requestsPerSecond: 0 });
  const configmaps = cluster.api.resource("", "v1", "configmaps");
  for (let i = 0; i < LIST_SIZE; i++) cluster.api.create(configmaps, "default", { metadata: { name: `cm-${String(i).padStart(3, "0")}`, labels: { app: "bench" } }, data: { key: "value".repeat(10) } });
  const server = await listenCluster(cluster);
  const one = "/api/v1/namespaces/default/configmaps/cm-000";
  const all = "/api/v1/namespaces/default/configmaps";
  const bodies = { [one]: await (await fetch(`${server.url}${one}`)).text(), [all]: await (await fetch(`${server.url}${all}`)).text() };
  const reference = await startReferenceServer(bodies);
  figures.push({ figure: "get one object (requests/s)", ours: (await throughput(`${server.url}${one}`)).toFixed(0), reference: (await throughput(`${reference.url}${one}`)).toFixed(0) });
  figures.push({ figure: `list ${LIST_SIZE} objects (requests/s)`, ours: (await throughput(`${server.url}${all}`)).toFixed(0), reference: (await throughput(`${reference.url}${all}`)).toFixed(0) });
  await reference.close();
  figures.push({ figure: "watch events streamed (events/s)", ours: (await watchEventsPerSecond(cluster, server, 2000)).toFixed(0), reference: "-" });
  await server.close();
  cluster.dispose();

  const idle: Cluster[] = [];
  const baseline = heapUsed(gc);
  for (let i = 0; i < 20; i++) idle.push(createCluster({ profile: "instant", seed: `idle-${i}` }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  figures.push({ figure: "heap per idle cluster", ours: mib((heapUsed(gc) - baseline) / idle.length), reference: "-" });
  for (const c of idle) c.dispose();
  idle.length = 0;

  const busy: Cluster[] = [];
  const before = heapUsed(gc);
  for (let i = 0; i < 10; i++) {
    const c = createCluster({ profile: "instant", seed: `busy-${i}` });
    applyObjects(c, objects);
    await untilReady(c, pods);
    busy.push(c);
  }
  figures.push({ figure: "heap per cluster running Bookinfo", ours: mib((heapUsed(gc) - before) / busy.length), reference: "-" });
  for (const c of busy) c.dispose();
  return { figures, manifestSource: manifest.source };
}
