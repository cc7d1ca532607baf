// The instructor's dashboard with a full room: a workshop of N learners (default 500), one
// dashboard socket open, and for each learner in turn a step completion recorded through the
// progress tracker (as the checks path records it). The figure is the time from the recorded
// completion (the durable write has returned) to the dashboard socket receiving that learner's
// new row. The reference, measured in the same run: the round trip of a small message over a
// plain `ws` echo server on the same loopback, the floor for anything pushed over a socket.
// Also: how long the first grid of N learners takes to arrive after the socket opens.
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { WebSocket, WebSocketServer } from "ws";
import { loadConfig } from "../server/config/config.ts";
import { DASHBOARD_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX, livePath, type DashboardMessage } from "../server/dashboard/dashboard-protocol.ts";
import { learnerKey } from "../server/dashboard/workshop-grid.ts";
import { createLogger } from "../server/log/logger.ts";
import { createProgress, startServer } from "../server/main.ts";
import { FakeSandboxProvider } from "../server/sessions/fake-sandbox-provider.ts";
import { percentile } from "./stats.ts";

export interface DashboardFigure {
  figure: string;
  ours: string;
  reference: string;
}

const ADMIN_TOKEN = "bench-instructor-token-0123456789";

export async function measureDashboard(learners = 500): Promise<DashboardFigure[]> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-academy-bench-dashboard-"));
  const config = loadConfig({ PORT: "0", DATA_DIR: dataDir, ADMIN_TOKEN, LOG_LEVEL: "silent" });
  const progress = createProgress(config);
  const running = await startServer({ config, logger: createLogger({ level: "silent" }), siteRoot: dataDir, provider: new FakeSandboxProvider(), progress });
  try {
    const workshop = progress.workshops.create({ title: "Bench", lessons: ["welcome"], capacity: learners, startsAt: Date.now() - 60_000, endsAt: Date.now() + 3_600_000 });
    const ids: string[] = [];
    for (let i = 0; i < learners; i++) {
      // A distinct client address each, so the join limit (per address) does not apply.
      progress.workshops.join(`10.0.${i >> 8}.${i & 255}`, {}, false, workshop.joinCode, `Learner ${i}`);
    }
    for (const member of progress.workshops.members(workshop.id)) ids.push(member.learnerId);

    const ticketResponse = await fetch(`${running.url}/api/workshops/${workshop.id}/tickets`, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { ticket } = (await ticketResponse.json()) as { ticket: string };
    const url = new URL(livePath(workshop.id), running.url);
    url.protocol = "ws:";
    const opened = performance.now();
    const ws = new WebSocket(url, [DASHBOARD_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${ticket}`], { origin: running.url, perMessageDeflate: false });
    let waiting: ((message: DashboardMessage) => void) | undefined;
    ws.on("message", (raw) => waiting?.(JSON.parse(String(raw)) as DashboardMessage));
    const grid = await new Promise<DashboardMessage>((resolve, reject) => {
      waiting = resolve;
      ws.once("error", reject);
    });
    const firstGridMs = performance.now() - opened;
    if (grid.type !== "grid" || grid.grid.rows.length !== learners) throw new Error(`expected a grid of ${learners} learners`);

    const latencies: number[] = [];
    for (const id of ids) {
      const key = learnerKey(id);
      const arrived = new Promise<number>((resolve) => {
        waiting = (message) => {
          if (message.type === "row" && message.row.key === key && message.row.done === 1) resolve(performance.now());
        };
      });
      progress.tracker.recordStepPassed(id, "welcome", "create-namespace");
      const recorded = performance.now();
      latencies.push((await arrived) - recorded);
    }
    ws.close();
    const echo = await echoRoundTrips(learners);
    return [
      { figure: `update latency p50, ${learners} learners (ms)`, ours: percentile(latencies, 50).toFixed(2), reference: percentile(echo, 50).toFixed(2) },
      { figure: `update latency p95, ${learners} learners (ms)`, ours: percentile(latencies, 95).toFixed(2), reference: percentile(echo, 95).toFixed(2) },
      { figure: `first grid of ${learners} learners (ms)`, ours: firstGridMs.toFixed(1), reference: "—" },
    ];
  } finally {
    await running.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Round trips of a small JSON message over a plain ws echo server on loopback. */
async function echoRoundTrips(samples: number): Promise<number[]> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.on("connection", (socket) => socket.on("message", (data) => socket.send(String(data))));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    client.once("open", () => resolve());
    client.once("error", reject);
  });
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const sent = performance.now();
    await new Promise<void>((resolve) => {
      client.once("message", () => resolve());
      client.send(JSON.stringify({ type: "row", i }));
    });
    times.push(performance.now() - sent);
  }
  client.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return times;
}
