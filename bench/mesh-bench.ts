// Figures for Istio in the embedded sandbox: `istioctl install`, configuration reaching the
// proxies, memory of a sandbox running Istio + Bookinfo, and requests through the gateway →
// productpage → reviews → ratings chain. Each has a yardstick measured in the same run:
// plain server-side apply of the same manifest, a bare API write, an idle sandbox, and a
// chain of plain Node http servers forwarding to each other on loopback.
import { existsSync, readFileSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { fileURLToPath } from "node:url";
import { ClusterHost } from "../server/sandbox/cluster/cluster-host.ts";
import { readIstiodView } from "../server/sandbox/istio/control-plane/istiod/read-istiod-view.ts";
import { createEmbeddedSandbox, type EmbeddedSandbox } from "../server/sandbox/workstation/create-embedded-sandbox.ts";
import { istioSamplePath } from "../tests/support/istio-samples.ts";
import { percentile } from "./stats.ts";

export interface MeshFigure {
  figure: string;
  ours: string;
  reference: string;
}

const CONCURRENCY = 8;
const THROUGHPUT_MS = 2000;

function sample(path: string, fallback: string): string {
  const upstream = istioSamplePath(path);
  if (existsSync(upstream)) return readFileSync(upstream, "utf8");
  return readFileSync(fileURLToPath(new URL(fallback, import.meta.url)), "utf8");
}

async function sh(sandbox: EmbeddedSandbox, script: string, stdin?: string): Promise<string> {
  const result = await sandbox.shell.host.exec(script, stdin === undefined ? {} : { stdin }).result;
  if (result.exitCode !== 0) throw new Error(`bench step failed (${script}): ${result.stderr}`);
  return result.stdout;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function heapUsed(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** gateway → productpage → reviews → ratings as plain Node servers, each forwarding on loopback. */
async function startReferenceChain(): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const servers: Server[] = [];
  let next: string | undefined;
  for (const name of ["ratings", "reviews", "productpage", "gateway"]) {
    const downstream = next;
    const server = createServer((_req, res) => {
      if (downstream === undefined) {
        res.writeHead(200, { "content-type": "application/json" }).end(`{"from":"${name}"}`);
        return;
      }
      request(downstream, { agent }, (upstream) => {
        let body = "";
        upstream.setEncoding("utf8");
        upstream.on("data", (chunk: string) => {
          body += chunk;
        });
        upstream.on("end", () => res.writeHead(200, { "content-type": "text/html" }).end(`<p>${name}</p>${body}`));
      }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(server);
    next = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }
  return {
    url: next ?? "",
    async close() {
      agent.destroy();
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

/** Requests per second and per-request latencies for `send`, CONCURRENCY at a time. */
async function load(send: () => Promise<void>): Promise<{ rps: number; latencies: number[] }> {
  for (let i = 0; i < 20; i++) await send();
  const latencies: number[] = [];
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - started < THROUGHPUT_MS) {
      const begun = performance.now();
      await send();
      latencies.push(performance.now() - begun);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { rps: latencies.length / ((performance.now() - started) / 1000), latencies };
}

export async function measureMesh(): Promise<MeshFigure[]> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  const host = new ClusterHost();
  await host.listen();
  const figures: MeshFigure[] = [];
  const bookinfo = sample("samples/bookinfo/platform/kube/bookinfo.yaml", "../tests/cluster/fixtures/bookinfo.yaml");
  const lessonSample = (name: string): string => readFileSync(fileURLToPath(new URL(`../content/samples/bookinfo/${name}`, import.meta.url)), "utf8");
  const rules = lessonSample("virtual-service-reviews-v2.yaml");

  // istioctl install vs the same objects applied server-side without waiting.
  const reference = await createEmbeddedSandbox({ host, id: "bench-reference", profile: "instant", seed: "reference" });
  const manifest = await sh(reference, "istioctl manifest generate --set profile=demo");
  // The generated manifest leaves the namespace out, as the real one does.
  const plainApply = await timed(() => sh(reference, "kubectl create namespace istio-system > /dev/null && kubectl apply -f - > /dev/null", manifest));
  const sandbox = await createEmbeddedSandbox({ host, id: "bench-mesh", profile: "instant", seed: "mesh" });
  const install = await timed(() => sh(sandbox, "istioctl install --set profile=demo -y 2>/dev/null"));
  figures.push({ figure: "istioctl install demo (ms)", ours: install.toFixed(0), reference: `${plainApply.toFixed(0)} (kubectl apply of its manifest)` });

  await sh(sandbox, "kubectl label namespace default istio-injection=enabled > /dev/null && kubectl apply -f - > /dev/null", bookinfo);
  await sh(sandbox, "kubectl wait --for=condition=Ready pods --all --timeout=60s > /dev/null");
  await sh(sandbox, "kubectl apply -f - > /dev/null", lessonSample("destination-rule-all.yaml"));

  // A VirtualService applied → every affected proxy's configuration recomputed.
  const { api } = sandbox.cluster;
  const before = new Map(readIstiodView(api).proxies.map((proxy) => [proxy.config.proxy.id, proxy.config.version]));
  const objects = rules.split(/^---$/m).filter((doc) => doc.trim() !== "");
  const virtualServices = api.resource("networking.istio.io", "v1", "virtualservices");
  const { parse } = await import("yaml");
  const started = performance.now();
  for (const doc of objects) api.create(virtualServices, "default", parse(doc) as object);
  const written = performance.now();
  const view = readIstiodView(api);
  const propagated = performance.now();
  const affected = view.proxies.filter((proxy) => before.get(proxy.config.proxy.id) !== proxy.config.version).length;
  figures.push({
    figure: `VirtualService applied → ${affected} proxies' config updated (ms)`,
    ours: (propagated - started).toFixed(1),
    reference: `${(written - started).toFixed(1)} (the API writes alone)`,
  });

  // Memory: a sandbox with Istio + Bookinfo against an idle one.
  const idleBefore = heapUsed(gc);
  const idle = await createEmbeddedSandbox({ host, id: "bench-idle", profile: "instant", seed: "idle" });
  const idleHeap = heapUsed(gc) - idleBefore;
  const meshBefore = heapUsed(gc);
  const loaded = await createEmbeddedSandbox({ host, id: "bench-loaded", profile: "instant", seed: "loaded" });
  await sh(loaded, "istioctl install --set profile=demo -y 2>/dev/null && kubectl label namespace default istio-injection=enabled > /dev/null && kubectl apply -f - > /dev/null", bookinfo);
  await sh(loaded, "kubectl wait --for=condition=Ready pods --all --timeout=60s > /dev/null");
  const meshHeap = heapUsed(gc) - meshBefore;
  figures.push({ figure: "main-thread heap per sandbox with Istio + Bookinfo (MiB)", ours: (meshHeap / 2 ** 20).toFixed(1), reference: `${(idleHeap / 2 ** 20).toFixed(1)} (an idle sandbox)` });
  await idle.dispose();
  await loaded.dispose();

  // Requests through the gateway with the v1 rules applied.
  await sh(sandbox, "kubectl apply -f - > /dev/null", lessonSample("bookinfo-gateway.yaml"));
  const gatewayIp = await sh(sandbox, "kubectl -n istio-system get service istio-ingressgateway -o jsonpath='{.status.loadBalancer.ingress[0].ip}'");
  let hops = 0;
  const mesh = await load(async () => {
    const result = await sandbox.workloads.plane.send({ fromWorkstation: {}, url: `http://${gatewayIp}/productpage` });
    if (result.response?.status !== 200) throw new Error(`the gateway answered ${result.response?.status ?? result.error?.message}`);
    hops = result.trace.hops.filter((hop) => hop.kind !== "dns" && hop.kind !== "connect").length;
  });
  const chain = await startReferenceChain();
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const plain = await load(
    () =>
      new Promise<void>((resolve, reject) => {
        request(chain.url, { agent }, (res) => {
          res.resume();
          res.on("end", resolve);
        })
          .on("error", reject)
          .end();
      }),
  );
  agent.destroy();
  await chain.close();
  figures.push({ figure: "requests/s gateway → productpage → reviews → ratings", ours: mesh.rps.toFixed(0), reference: `${plain.rps.toFixed(0)} (4 node:http servers)` });
  const perHop = (latencies: number[], count: number, p: number): string => (percentile(latencies, p) / Math.max(count, 1)).toFixed(3);
  figures.push({ figure: `latency per simulated hop p50 (ms, ${hops} hops)`, ours: perHop(mesh.latencies, hops, 50), reference: `${perHop(plain.latencies, 4, 50)} (per server)` });
  figures.push({ figure: "latency per simulated hop p99 (ms)", ours: perHop(mesh.latencies, hops, 99), reference: `${perHop(plain.latencies, 4, 99)} (per server)` });

  await sandbox.dispose();
  await reference.dispose();
  await host.close();
  return figures;
}
