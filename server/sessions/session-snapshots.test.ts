// Sessions saved for a server restart and restored from their snapshots (SessionManager with a
// SnapshotStore and a provider that can restore).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "../log/logger.ts";
import { SnapshotStore } from "../snapshots/snapshot-store.ts";
import { FakeSandboxProvider, RestorableFakeProvider } from "./fake-sandbox-provider.ts";
import { SessionError } from "./session-error.ts";
import { RESTORED_NOTICE, SessionManager } from "./session-manager.ts";

const logger = createLogger({ level: "silent" });
const limits = { perClient: 5, max: 10, idleMs: 30 * 60_000, outputBufferUnits: 4096 };

async function harness() {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "mesh-academy-session-snapshots-")), "sandboxes");
  const store = new SnapshotStore({ dir, logger });
  let clock = 1_800_000_000_000;
  const now = () => clock;
  const manager = (provider = new RestorableFakeProvider()) => ({ provider, sessions: new SessionManager({ provider, limits, logger, now, snapshots: store }) });
  return { dir, store, manager, advance: (ms: number) => (clock += ms) };
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

test("a running session is saved when its output changed, and at shutdown; the next process restores it with the same token", async () => {
  const { dir, manager } = await harness();
  const first = manager();
  const { session, token } = first.sessions.create("10.0.0.1", { start: "istio", learnerId: "learner-1" });
  assert.equal(await first.sessions.saveSnapshots(), 0, "nothing runs before a terminal attaches");
  await session.start();
  session.write("kubectl apply -f vs.yaml\r");
  assert.equal(await first.sessions.saveSnapshots(), 1);
  assert.equal(await first.sessions.saveSnapshots(), 0, "unchanged since the last save");
  assert.deepEqual(await readdir(dir), [`${session.id}.json`]);
  session.write("echo more\r");
  const outputEnd = session.output.end;
  await first.sessions.disposeAll();
  assert.ok(first.provider.sandboxes[0]?.disposed);
  assert.deepEqual(await readdir(dir), [`${session.id}.json`], "shutdown keeps the snapshot");

  const second = manager();
  assert.equal(refusal(() => second.sessions.authenticate(session.id, `${token}x`)).code, "SESSION_FORBIDDEN");
  assert.equal(refusal(() => second.sessions.authenticate(session.id, undefined)).code, "SESSION_UNAUTHORIZED");
  assert.equal(second.sessions.size, 0, "a refused token restores nothing");
  const restored = second.sessions.authenticate(session.id, token);
  assert.equal(restored.id, session.id);
  assert.ok(restored.restored);
  assert.equal(restored.learnerId, "learner-1");
  assert.equal(restored.startState, "istio");
  assert.equal(second.sessions.authenticate(session.id, token), restored, "restored once, then live");
  // The screen starts fresh past anything the browser has, with one line saying why.
  const replay = restored.output.readFrom(outputEnd);
  assert.ok(replay.offset > outputEnd);
  assert.equal(replay.data, RESTORED_NOTICE);
  assert.equal(replay.dropped, 0);
  assert.match(RESTORED_NOTICE, /Your sandbox was restored after a server restart\./);

  await restored.start();
  assert.equal(restored.state, "ready");
  assert.equal(second.provider.createCalls, 0, "restored, not created");
  assert.deepEqual(second.provider.sandboxes[0]?.restoredFrom, { typed: "kubectl apply -f vs.yaml\recho more\r" });
  assert.deepEqual(second.provider.sandboxes[0]?.runs, [], "the start script does not run again");

  // Ended for real (closed, expired, exited): the snapshot goes too.
  await second.sessions.end(session.id, "closed");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(await readdir(dir), []);
  assert.equal(refusal(() => manager().sessions.authenticate(session.id, token)).code, "SESSION_NOT_FOUND");
});

test("an attached session with no new output is saved again before its snapshot would expire", async () => {
  const { store, manager, advance } = await harness();
  const { sessions } = manager();
  const { session } = sessions.create("10.0.0.1");
  await session.start();
  session.attach();
  assert.equal(await sessions.saveSnapshots(), 1);
  const first = store.load(session.id)?.savedAt;
  advance(limits.idleMs / 4);
  assert.equal(await sessions.saveSnapshots(), 0);
  advance(limits.idleMs / 2);
  assert.equal(await sessions.saveSnapshots(), 1);
  assert.ok((store.load(session.id)?.savedAt ?? 0) > (first ?? 0));
  // Detached, it counts idle time like any session: no renewal.
  session.detach();
  advance(limits.idleMs);
  assert.equal(await sessions.saveSnapshots(), 0);
  await sessions.disposeAll();
});

test("a snapshot older than the idle expiry is deleted, not restored", async () => {
  const { dir, manager, advance } = await harness();
  const first = manager();
  const { session, token } = first.sessions.create("10.0.0.1");
  await session.start();
  await first.sessions.disposeAll();
  advance(limits.idleMs + 1);
  const second = manager();
  assert.equal(refusal(() => second.sessions.authenticate(session.id, token)).code, "SESSION_NOT_FOUND");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(await readdir(dir), []);
});

test("a restore that fails ends the session with a message and deletes its snapshot", async () => {
  const { dir, store, manager } = await harness();
  const first = manager();
  const { session, token } = first.sessions.create("10.0.0.1");
  await session.start();
  await first.sessions.disposeAll();
  const record = store.load(session.id);
  assert.ok(record);
  await store.save({ ...record, sandbox: { kind: "other", data: null } });
  const restored = manager().sessions.authenticate(session.id, token);
  const statuses: string[] = [];
  restored.onStatus((status) => statuses.push(`${status.state}: ${status.message ?? ""}`));
  await restored.start();
  assert.ok(restored.ended);
  assert.ok(statuses.some((status) => /could not be restored/.test(status)), statuses.join("\n"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(await readdir(dir), []);
});

test("without a provider that can restore, nothing is saved", async () => {
  const { dir, store } = await harness();
  const sessions = new SessionManager({ provider: new FakeSandboxProvider(), limits, logger, snapshots: store });
  assert.equal(sessions.snapshotting, false);
  const { session } = sessions.create("10.0.0.1");
  await session.start();
  await sessions.disposeAll();
  await assert.rejects(readdir(dir), { code: "ENOENT" });
});
