import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "../log/logger.ts";
import { FakeSandboxProvider } from "./fake-sandbox-provider.ts";
import { SessionError } from "./session-error.ts";
import { SessionManager } from "./session-manager.ts";

const logger = createLogger({ level: "silent" });
const limits = { perClient: 2, max: 3, idleMs: 60_000, outputBufferUnits: 1024 };

function setup(overrides: Partial<typeof limits> = {}, provider = new FakeSandboxProvider()) {
  let clock = 1_000_000;
  const manager = new SessionManager({ provider, limits: { ...limits, ...overrides }, logger, now: () => clock });
  return { manager, provider, advance: (ms: number) => (clock += ms) };
}

function refusal(fn: () => unknown): SessionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SessionError) return error;
    throw error;
  }
  assert.fail("expected a SessionError");
}

test("creates sessions with distinct ids and secret tokens, without starting a sandbox", () => {
  const { manager, provider } = setup();
  const a = manager.create("10.0.0.1");
  const b = manager.create("10.0.0.2");
  assert.notEqual(a.session.id, b.session.id);
  assert.notEqual(a.token, b.token);
  assert.ok(a.token.length >= 40);
  assert.equal(manager.get(a.session.id), a.session);
  assert.equal(provider.createCalls, 0);
  assert.equal(a.session.state, "starting");
});

test("the live-session quota counts per learner when one is named, per address otherwise", () => {
  const { manager } = setup({ max: 10 });
  // One NAT address, three learners: each has their own quota of two.
  for (const learnerId of ["ann", "bob", "cid"]) {
    manager.create("203.0.113.9", { learnerId });
    manager.create("203.0.113.9", { learnerId });
  }
  assert.equal(refusal(() => manager.create("203.0.113.9", { learnerId: "ann" })).code, "SESSION_LIMIT_CLIENT");
  // Cookie-less requests from that address still share one quota, untouched by the learners'.
  manager.create("203.0.113.9");
  manager.create("203.0.113.9");
  assert.equal(refusal(() => manager.create("203.0.113.9")).code, "SESSION_LIMIT_CLIENT");
  assert.equal(manager.size, 8);
});

test("authenticate tells unknown, missing-token and wrong-token apart", () => {
  const { manager } = setup();
  const { session, token } = manager.create("c");
  assert.equal(manager.authenticate(session.id, token), session);
  assert.equal(refusal(() => manager.authenticate("nope", token)).code, "SESSION_NOT_FOUND");
  assert.equal(refusal(() => manager.authenticate(session.id, undefined)).code, "SESSION_UNAUTHORIZED");
  const wrong = refusal(() => manager.authenticate(session.id, `${token}x`));
  assert.equal(wrong.code, "SESSION_FORBIDDEN");
  assert.equal(wrong.status, 403);
});

test("enforces the per-client limit and the global maximum", () => {
  const { manager } = setup();
  manager.create("a");
  manager.create("a");
  const perClient = refusal(() => manager.create("a"));
  assert.equal(perClient.code, "SESSION_LIMIT_CLIENT");
  assert.equal(perClient.status, 429);
  manager.create("b");
  const global = refusal(() => manager.create("c"));
  assert.equal(global.code, "SESSION_LIMIT_GLOBAL");
  assert.equal(global.status, 429);
});

test("an ended session frees its slot and disposes its sandbox", async () => {
  const { manager, provider } = setup({ perClient: 1 });
  const { session } = manager.create("a");
  await session.start();
  await manager.end(session.id, "closed by the learner");
  assert.equal(manager.get(session.id), undefined);
  assert.equal(provider.sandboxes[0]?.disposed, true);
  assert.equal(provider.tty().closed, true);
  manager.create("a");
});

test("the shell exiting ends the session", async () => {
  const { manager, provider } = setup();
  const { session } = manager.create("a");
  await session.start();
  provider.tty().exit(3);
  assert.deepEqual(session.ended, { code: 3, reason: "The shell exited with code 3." });
  assert.equal(session.state, "ended");
  assert.equal(manager.size, 0);
});

test("idle sessions expire after the idle time; attached ones never do", async () => {
  const { manager, provider, advance } = setup({ idleMs: 60_000 });
  const idle = manager.create("a").session;
  const busy = manager.create("b").session;
  await idle.start();
  busy.attach();
  advance(59_999);
  assert.equal(await manager.sweep(), 0);
  advance(1);
  assert.equal(await manager.sweep(), 1);
  assert.equal(manager.get(idle.id), undefined);
  assert.equal(provider.sandboxes[0]?.disposed, true);
  assert.equal(manager.get(busy.id), busy);
  // Idle time counts from the moment the last socket left.
  advance(120_000);
  busy.detach();
  advance(30_000);
  assert.equal(await manager.sweep(), 0);
  advance(30_000);
  assert.equal(await manager.sweep(), 1);
  assert.equal(manager.size, 0);
});

test("the sweep timer ends idle sessions on its own", async (t) => {
  t.mock.timers.enable({ apis: ["setInterval", "Date"], now: 0 });
  const provider = new FakeSandboxProvider();
  const manager = new SessionManager({ provider, limits: { ...limits, idleMs: 4000 }, logger });
  manager.create("a");
  manager.startSweeping(1000);
  t.mock.timers.tick(3000);
  assert.equal(manager.size, 1);
  t.mock.timers.tick(1000);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(manager.size, 0);
  await manager.disposeAll();
});

test("start reports progress, then ready; typing while starting reaches the shell", async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const provider = new FakeSandboxProvider({ gate, steps: [{ message: "Creating cluster", progress: 0.5 }] });
  const { manager } = setup({}, provider);
  const { session } = manager.create("a");
  const seen: unknown[] = [];
  session.onStatus((status) => seen.push(status));
  const started = session.start();
  assert.deepEqual(session.status(), { type: "status", state: "starting", message: "Creating cluster", progress: 0.5 });
  session.write("ls\r");
  session.resize(120, 40);
  open();
  await started;
  assert.equal(session.state, "ready");
  assert.deepEqual(seen.at(-1), { type: "status", state: "ready" });
  const tty = provider.tty();
  assert.deepEqual(tty.sizes[0], { cols: 120, rows: 40 });
  assert.deepEqual(tty.writes, ["ls\r"]);
  assert.equal(session.output.readFrom(0).data, "ls\r");
});

test("a session ended while its sandbox starts disposes the sandbox when it arrives", async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const provider = new FakeSandboxProvider({ gate });
  const { manager } = setup({}, provider);
  const { session } = manager.create("a");
  const started = session.start();
  const ended = manager.end(session.id, "gone");
  open();
  await Promise.all([started, ended]);
  assert.equal(provider.sandboxes[0]?.disposed, true);
  assert.equal(provider.sandboxes[0]?.ttys.length, 0);
});

test("a provider failure puts the session in error and ends it", async () => {
  const provider = new FakeSandboxProvider({ failWith: new Error("no capacity") });
  const { manager } = setup({}, provider);
  const { session } = manager.create("a");
  await session.start();
  assert.equal(session.state, "error");
  assert.match(session.status().message ?? "", /could not be started/);
  assert.equal(manager.size, 0);
});

test("disposeAll ends every session and refuses new ones", async () => {
  const { manager, provider } = setup();
  const a = manager.create("a").session;
  const b = manager.create("b").session;
  await Promise.all([a.start(), b.start()]);
  await manager.disposeAll();
  assert.equal(manager.size, 0);
  assert.ok(provider.sandboxes.every((s) => s.disposed));
  assert.equal(refusal(() => manager.create("c")).status, 429);
});

test("a learner's latest attached live session is the one to watch; watchers are counted and told", async () => {
  const { manager, advance } = setup({ perClient: 5, max: 5 });
  const older = manager.create("10.0.0.1").session;
  const newer = manager.create("10.0.0.1").session;
  const someoneElse = manager.create("10.0.0.2").session;
  assert.equal(manager.latestSessionOf("L1"), undefined);
  older.linkLearner("L1");
  newer.linkLearner("L1");
  someoneElse.linkLearner("L2");
  advance(1000);
  older.attach();
  assert.equal(manager.latestSessionOf("L1"), older, "attached last");
  advance(1000);
  newer.attach();
  assert.equal(manager.latestSessionOf("L1"), newer);
  assert.deepEqual([...manager.learnersWithSessions()].sort(), ["L1", "L2"]);

  const heard: number[] = [];
  newer.onWatchers((count) => heard.push(count));
  const first = newer.addWatcher();
  const second = newer.addWatcher();
  first();
  first();
  assert.equal(newer.watchers, 1, "releasing twice counts once");
  second();
  assert.deepEqual(heard, [1, 2, 1, 0]);

  await manager.end(newer.id, "closed");
  assert.equal(manager.latestSessionOf("L1"), older);
  await manager.end(older.id, "closed");
  assert.equal(manager.latestSessionOf("L1"), undefined);
  assert.deepEqual([...manager.learnersWithSessions()], ["L2"]);
});
