// The dashboard end to end on a real server (fake sandboxes): who may read it, the live grid
// following joins, steps and failed checks, and watching a terminal read-only while the
// learner is told about it.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { WebSocket, type RawData } from "ws";
import { projectPaths } from "../cli/project-paths.ts";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer, type RunningServer } from "../main.ts";
import { FakeSandboxProvider } from "../sessions/fake-sandbox-provider.ts";
import { TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, terminalPath } from "../terminal/protocol.ts";
import { DASHBOARD_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX, WATCH_SUBPROTOCOL, livePath, watchPath, type DashboardMessage, type GridRow } from "./dashboard-protocol.ts";

const ADMIN = "instructor-token-0123456789";
const admin = { authorization: `Bearer ${ADMIN}` };

async function setup(t: TestContext, env: Record<string, string> = {}) {
  const provider = new FakeSandboxProvider();
  const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-academy-dashboard-"));
  const config = loadConfig({ PORT: "0", DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN, ...env });
  const running = await startServer({
    config,
    logger: createLogger({ level: "silent" }),
    siteRoot: dataDir,
    provider,
    lessonsDir: path.join(projectPaths.root, "tests", "verify-fixtures"),
  });
  t.after(async () => {
    await running.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  });
  const created = await fetch(`${running.url}/api/workshops`, {
    method: "POST",
    headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify({
      title: "Room",
      lessons: ["good-lesson", "always-passes"],
      capacity: 10,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  });
  assert.equal(created.status, 201);
  const { workshop } = (await created.json()) as { workshop: { id: string; joinCode: string } };
  return { running, provider, workshop };
}

/** Joins as a new learner; the answer's cookie is theirs. */
async function join(running: RunningServer, code: string, displayName: string): Promise<string> {
  const res = await fetch(`${running.url}/api/join`, {
    method: "POST",
    headers: { origin: running.url, "x-mesh-academy": "1", "content-type": "application/json" },
    body: JSON.stringify({ code, displayName }),
  });
  assert.equal(res.status, 200);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

async function ticket(running: RunningServer, workshopId: string): Promise<string> {
  const res = await fetch(`${running.url}/api/workshops/${workshopId}/tickets`, { method: "POST", headers: admin });
  assert.equal(res.status, 201);
  return ((await res.json()) as { ticket: string }).ticket;
}

class Socket<M> {
  readonly messages: M[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { predicate: (m: M) => boolean; resolve: (m: M) => void }[] = [];
  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (raw: RawData) => {
      const message = JSON.parse(String(raw)) as M;
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((w) => (w.predicate(message) ? (w.resolve(message), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on("error", () => {});
  }

  next(predicate: (m: M) => boolean): Promise<M> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }
}

/** Opens a socket; resolves with it, or with the HTTP status it was refused with. */
function open<M>(base: string, pathname: string, protocols: string[], headers: Record<string, string> = {}, origin: string | null = base): Promise<Socket<M> | number> {
  const url = new URL(pathname, base);
  url.protocol = "ws:";
  const ws = new WebSocket(url, protocols, { headers, ...(origin === null ? {} : { origin }) });
  return new Promise((resolve, reject) => {
    const socket = new Socket<M>(ws);
    ws.once("open", () => resolve(socket));
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once("error", reject);
  });
}

async function live(running: RunningServer, workshopId: string): Promise<Socket<DashboardMessage>> {
  const socket = await open<DashboardMessage>(running.url, livePath(workshopId), [DASHBOARD_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${await ticket(running, workshopId)}`]);
  assert.ok(typeof socket !== "number", `live socket refused with ${String(socket)}`);
  return socket;
}

const rowOf = (name: string, predicate: (row: GridRow) => boolean = () => true) => (m: DashboardMessage) => m.type === "row" && m.row.displayName === name && predicate(m.row);

test("the dashboard API and sockets are the instructor's alone", async (t) => {
  const { running, workshop } = await setup(t);
  const cookie = await join(running, workshop.joinCode, "Ada");
  for (const pathname of ["grid", "export.csv", "export.json"]) {
    assert.equal((await fetch(`${running.url}/api/workshops/${workshop.id}/${pathname}`)).status, 401);
    assert.equal((await fetch(`${running.url}/api/workshops/${workshop.id}/${pathname}`, { headers: { cookie } })).status, 401, "a learner's cookie is not enough");
    assert.equal((await fetch(`${running.url}/api/workshops/${workshop.id}/${pathname}`, { headers: { authorization: "Bearer wrong-token-000000000" } })).status, 401);
  }
  assert.equal((await fetch(`${running.url}/api/workshops/${workshop.id}/tickets`, { method: "POST", headers: { cookie } })).status, 401);
  assert.equal((await fetch(`${running.url}/api/workshops/nope/tickets`, { method: "POST", headers: admin })).status, 404);
  assert.equal((await fetch(`${running.url}/api/workshops/${workshop.id}/grid`, { headers: { ...admin, origin: "http://evil.example" } })).status, 403);

  const protocols = (t: string) => [DASHBOARD_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${t}`];
  assert.equal(await open(running.url, livePath(workshop.id), [DASHBOARD_SUBPROTOCOL], { cookie }), 401, "no ticket");
  assert.equal(await open(running.url, livePath(workshop.id), protocols("made-up")), 401);
  assert.equal(await open(running.url, livePath(workshop.id), protocols(await ticket(running, workshop.id)), {}, "http://evil.example"), 403);
  const used = await ticket(running, workshop.id);
  const first = await open<DashboardMessage>(running.url, livePath(workshop.id), protocols(used));
  assert.ok(typeof first !== "number");
  assert.equal(await open(running.url, livePath(workshop.id), protocols(used)), 401, "a ticket opens one socket");
  first.ws.close();
  // A ticket is bound to its workshop.
  const other = await fetch(`${running.url}/api/workshops`, {
    method: "POST",
    headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify({ title: "Other", lessons: ["good-lesson"], capacity: 1, startsAt: new Date(Date.now() - 1000).toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString() }),
  });
  const otherId = ((await other.json()) as { workshop: { id: string } }).workshop.id;
  assert.equal(await open(running.url, livePath(otherId), protocols(await ticket(running, workshop.id))), 401);
});

test("the live grid follows joins, started and passed steps and failed check runs", async (t) => {
  const { running, workshop } = await setup(t);
  await join(running, workshop.joinCode, "Ada");
  const dashboard = await live(running, workshop.id);
  const grid = await dashboard.next((m) => m.type === "grid");
  assert.ok(grid.type === "grid");
  assert.deepEqual(grid.grid.columns.map((c) => `${c.lesson}/${c.step}`), ["good-lesson/make-namespace", "good-lesson/run-httpbin", "always-passes/make-namespace"]);
  assert.deepEqual(grid.grid.rows.map((r) => [r.displayName, r.done, r.current]), [["Ada", 0, 0]]);

  const cookie = await join(running, workshop.joinCode, "<img src=x onerror=alert(1)>");
  await dashboard.next(rowOf("<img src=x onerror=alert(1)>"));
  const write = (body: unknown) =>
    fetch(`${running.url}/api/progress/steps`, {
      method: "POST",
      headers: { cookie, origin: running.url, "x-mesh-academy": "1", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  assert.equal((await write({ lesson: "good-lesson", step: "make-namespace", event: "started" })).status, 200);
  assert.equal((await write({ lesson: "good-lesson", step: "make-namespace", event: "passed" })).status, 200);
  const passed = await dashboard.next(rowOf("<img src=x onerror=alert(1)>", (r) => r.done === 1));
  assert.ok(passed.type === "row");
  assert.equal(passed.row.current, 1);

  const learnerId = running.progress.learnerIdOf({ cookie });
  assert.ok(learnerId !== undefined);
  for (let i = 0; i < 3; i++) running.progress.recordCheckFailed(learnerId, "good-lesson", "run-httpbin");
  const stuck = await dashboard.next(rowOf("<img src=x onerror=alert(1)>", (r) => r.failedOnCurrent === 3));
  assert.ok(stuck.type === "row");
  assert.deepEqual(stuck.row.stuck, ["failures"]);

  // A stricter rule from the page: the grid comes again under it.
  dashboard.ws.send(JSON.stringify({ type: "rules", afterMs: 60_000, afterFailedChecks: 5 }));
  const regrid = await dashboard.next((m) => m.type === "grid" && m.grid.rules.afterFailedChecks === 5);
  assert.ok(regrid.type === "grid");
  assert.deepEqual(regrid.grid.rows.find((r) => r.displayName.startsWith("<img"))?.stuck, []);
  dashboard.ws.send("not json");
  await dashboard.next((m) => m.type === "error");

  const csv = await fetch(`${running.url}/api/workshops/${workshop.id}/export.csv`, { headers: admin });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-disposition") ?? "", /^attachment; filename="room-\d{4}-\d\d-\d\d\.csv"$/);
  const text = await csv.text();
  assert.match(text, /\r\n<img src=x onerror=alert\(1\)>,[^\r\n]*,1,/);
  const json = (await (await fetch(`${running.url}/api/workshops/${workshop.id}/export.json`, { headers: admin })).json()) as { learners: { displayName: string; failedChecks: number }[] };
  assert.deepEqual(json.learners.map((l) => [l.displayName, l.failedChecks]), [
    ["Ada", 0],
    ["<img src=x onerror=alert(1)>", 3],
  ]);
  dashboard.ws.close();
});

test("an instructor watches a learner's terminal read-only, and the learner is told while they do", async (t) => {
  const { running, provider, workshop } = await setup(t);
  const cookie = await join(running, workshop.joinCode, "Ada");
  const dashboard = await live(running, workshop.id);
  const grid = await dashboard.next((m) => m.type === "grid");
  assert.ok(grid.type === "grid");
  const key = grid.grid.rows[0]?.key ?? "";
  assert.equal(grid.grid.rows[0]?.watchable, false);
  const watchProtocols = async () => [WATCH_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${await ticket(running, workshop.id)}`];
  assert.equal(await open(running.url, watchPath(workshop.id, key), await watchProtocols()), 404, "no terminal yet");

  const created = (await (await fetch(`${running.url}/api/sessions`, { method: "POST", headers: { cookie } })).json()) as { id: string; token: string };
  type TerminalMessage = { type: string; data?: string; count?: number; state?: string };
  const learner = await open<TerminalMessage>(running.url, terminalPath(created.id), [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${created.token}`], { cookie });
  assert.ok(typeof learner !== "number");
  learner.ws.send(JSON.stringify({ type: "resume", offset: 0 }));
  await learner.next((m) => m.type === "status" && m.state === "ready");
  await dashboard.next(rowOf("Ada", (r) => r.watchable));
  learner.ws.send(JSON.stringify({ type: "data", data: "before\r" }));
  await learner.next((m) => m.type === "data" && (m.data ?? "").includes("before"));

  const watcher = await open<TerminalMessage>(running.url, watchPath(workshop.id, key), await watchProtocols());
  assert.ok(typeof watcher !== "number");
  await watcher.next((m) => m.type === "data" && (m.data ?? "").includes("before"));
  await learner.next((m) => m.type === "watchers" && m.count === 1);
  learner.ws.send(JSON.stringify({ type: "data", data: "typed-by-learner\r" }));
  await watcher.next((m) => m.type === "data" && (m.data ?? "").includes("typed-by-learner"));

  // Anything the watcher sends ends the watch and never reaches the shell.
  watcher.ws.send(JSON.stringify({ type: "data", data: "rm -rf /\r" }));
  assert.equal((await watcher.closed).code, 1008);
  await learner.next((m) => m.type === "watchers" && m.count === 0);
  assert.ok(!provider.tty(0).writes.join("").includes("rm -rf"));
  assert.equal(running.sessions.get(created.id)?.watchers, 0);

  // A second watcher, then the session ends: the watcher is told and closed.
  const again = await open<TerminalMessage>(running.url, watchPath(workshop.id, key), await watchProtocols());
  assert.ok(typeof again !== "number");
  await learner.next((m) => m.type === "watchers" && m.count === 1);
  await running.sessions.end(created.id, "test over");
  await again.next((m) => m.type === "status" && m.state === "ended");
  assert.equal((await again.closed).code, 1000);
  await dashboard.next(rowOf("Ada", (r) => !r.watchable));
  dashboard.ws.close();
});

test("a watch follows the learner to the terminal their page attached to last", async (t) => {
  const { running, workshop } = await setup(t);
  const cookie = await join(running, workshop.joinCode, "Ada");
  const dashboard = await live(running, workshop.id);
  const grid = await dashboard.next((m) => m.type === "grid");
  assert.ok(grid.type === "grid");
  const key = grid.grid.rows[0]?.key ?? "";
  type TerminalMessage = { type: string; data?: string; count?: number; state?: string };
  const attach = async (marker: string) => {
    const created = (await (await fetch(`${running.url}/api/sessions`, { method: "POST", headers: { cookie } })).json()) as { id: string; token: string };
    const socket = await open<TerminalMessage>(running.url, terminalPath(created.id), [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${created.token}`], { cookie });
    assert.ok(typeof socket !== "number");
    socket.ws.send(JSON.stringify({ type: "resume", offset: 0 }));
    await socket.next((m) => m.type === "status" && m.state === "ready");
    socket.ws.send(JSON.stringify({ type: "data", data: `${marker}\r` }));
    await socket.next((m) => m.type === "data" && (m.data ?? "").includes(marker));
    return socket;
  };
  const watch = async () => {
    const protocols = [WATCH_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${await ticket(running, workshop.id)}`];
    const socket = await open<TerminalMessage>(running.url, watchPath(workshop.id, key), protocols);
    assert.ok(typeof socket !== "number");
    return socket;
  };

  const first = await attach("first-lesson");
  const watcher = await watch();
  await watcher.next((m) => m.type === "data" && (m.data ?? "").includes("first-lesson"));
  await first.next((m) => m.type === "watchers" && m.count === 1);

  // The learner goes on to another lesson: a new session, its terminal attached.
  const second = await attach("second-lesson");
  await watcher.next((m) => m.type === "status" && m.state === "moved");
  assert.equal((await watcher.closed).code, 1000);
  await first.next((m) => m.type === "watchers" && m.count === 0);

  // Reconnecting, as the dashboard does on "moved", watches the new terminal.
  const followed = await watch();
  await followed.next((m) => m.type === "data" && (m.data ?? "").includes("second-lesson"));
  assert.ok(!followed.messages.some((m) => (m.data ?? "").includes("first-lesson")));
  await second.next((m) => m.type === "watchers" && m.count === 1);
  for (const socket of [first, second, followed, dashboard]) socket.ws.close();
});

test("the server's configured stuck rules are the grid's until the dashboard sends its own", async (t) => {
  const { running, workshop } = await setup(t, { STUCK_AFTER_MINUTES: "25", STUCK_AFTER_FAILED_CHECKS: "5" });
  const dashboard = await live(running, workshop.id);
  const grid = await dashboard.next((m) => m.type === "grid");
  assert.ok(grid.type === "grid");
  assert.deepEqual(grid.grid.rules, { afterMs: 25 * 60_000, afterFailedChecks: 5 });
  const exported = await fetch(`${running.url}/api/workshops/${workshop.id}/export.json`, { headers: admin });
  assert.deepEqual(((await exported.json()) as { rules: unknown }).rules, { afterMs: 25 * 60_000, afterFailedChecks: 5 });
  dashboard.ws.send(JSON.stringify({ type: "rules", afterMs: 120_000, afterFailedChecks: 1 }));
  const regrid = await dashboard.next((m) => m.type === "grid" && m.grid.rules.afterFailedChecks === 1);
  assert.ok(regrid.type === "grid");
  assert.equal(regrid.grid.rules.afterMs, 120_000);
  dashboard.ws.close();
});
