import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";

function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end("reached"));
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })));
}

// The guard replaces a prototype for the whole thread, so it is tried in a worker of its own.
const PROBE = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
(async () => {
  const { restrictConnections } = await import(workerData.guard);
  restrictConnections([{ host: "127.0.0.1", port: workerData.allowed }]);
  const outcome = async (run) => { try { return await run(); } catch (error) { return "refused: " + (error.cause?.code ?? error.code); } };
  const viaFetch = (port) => outcome(async () => (await fetch("http://127.0.0.1:" + port + "/")).text());
  const viaSocket = (port, host) => outcome(() => new Promise((resolve, reject) => {
    const socket = net.connect(port, host, () => { socket.end(); resolve("connected"); });
    socket.on("error", reject);
  }));
  parentPort.postMessage({
    allowedFetch: await viaFetch(workerData.allowed),
    deniedFetch: await viaFetch(workerData.denied),
    deniedSocket: await viaSocket(workerData.denied, "127.0.0.1"),
    deniedByName: await viaSocket(workerData.allowed, "localhost"),
    deniedPipe: await outcome(() => new Promise((resolve, reject) => net.connect("/var/run/docker.sock").on("error", reject).on("connect", resolve))),
  });
})();
`;

test("a guarded thread reaches only the endpoints it was given", async () => {
  const allowed = await listen();
  const denied = await listen();
  try {
    const worker = new Worker(PROBE, {
      eval: true,
      workerData: { guard: new URL("./connection-guard.ts", import.meta.url).href, allowed: allowed.port, denied: denied.port },
    });
    const result = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    assert.deepEqual(result, {
      allowedFetch: "reached",
      deniedFetch: "refused: ECONNREFUSED",
      deniedSocket: "refused: ECONNREFUSED",
      deniedByName: "refused: ECONNREFUSED",
      deniedPipe: "refused: ECONNREFUSED",
    });
  } finally {
    allowed.server.close();
    denied.server.close();
  }
});
