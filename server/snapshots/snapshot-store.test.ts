import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "../log/logger.ts";
import { SNAPSHOT_FORMAT, SnapshotStore, type SessionSnapshotRecord } from "./snapshot-store.ts";

const logger = createLogger({ level: "silent" });
const ID = "0b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21";

function record(overrides: Partial<SessionSnapshotRecord> = {}): SessionSnapshotRecord {
  return {
    format: SNAPSHOT_FORMAT,
    id: ID,
    tokenHash: "a".repeat(43),
    learnerId: "learner-1",
    clientKey: "127.0.0.1",
    quotaKey: "learner:learner-1",
    start: "istio",
    savedAt: 1_700_000_000_000,
    outputEnd: 1234,
    sandbox: { kind: "test/v1", data: { files: ["x"] } },
    ...overrides,
  };
}

async function store(): Promise<SnapshotStore> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), "mesh-academy-snapshots-")), "sandboxes");
  return new SnapshotStore({ dir, logger });
}

test("a saved snapshot reads back whole, private to the server's user, with no temporary file left", async () => {
  const snapshots = await store();
  await snapshots.save(record());
  await snapshots.save(record({ outputEnd: 99 }));
  assert.deepEqual(snapshots.load(ID), record({ outputEnd: 99 }));
  assert.deepEqual(await readdir(snapshots.dir), [`${ID}.json`]);
  assert.equal((await stat(path.join(snapshots.dir, `${ID}.json`))).mode & 0o777, 0o600);
  await snapshots.remove(ID);
  assert.equal(snapshots.load(ID), undefined);
});

test("ids that are not session ids never reach the filesystem", async () => {
  const snapshots = await store();
  assert.equal(snapshots.load("../../etc/passwd"), undefined);
  await assert.rejects(snapshots.save(record({ id: "../escape" })), RangeError);
});

test("a bad or truncated snapshot file is ignored and deleted, never thrown", async () => {
  const snapshots = await store();
  await snapshots.save(record());
  const file = path.join(snapshots.dir, `${ID}.json`);
  await writeFile(file, '{"format":"mesh-academy-session/v1","id":');
  assert.equal(snapshots.load(ID), undefined);
  assert.deepEqual(await readdir(snapshots.dir), []);
  await writeFile(file, JSON.stringify({ ...record(), tokenHash: 42 }));
  assert.equal(snapshots.load(ID), undefined);
  await writeFile(file, JSON.stringify(record({ id: "1b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21" })));
  assert.equal(snapshots.load(ID), undefined, "a file renamed to another session's id is not that session");
});

test("the sweep deletes snapshots older than the idle expiry and a crash's temporary files, and keeps fresh ones", async () => {
  const snapshots = await store();
  const now = Date.now();
  const fresh = "2b7c6a4e-1f2d-4c3b-9a8e-7d6c5b4a3f21";
  await snapshots.save(record());
  await snapshots.save(record({ id: fresh }));
  const old = new Date(now - 2 * 60 * 60_000);
  await utimes(path.join(snapshots.dir, `${ID}.json`), old, old);
  await writeFile(path.join(snapshots.dir, `${fresh}.json.tmp-abcdef`), "partial");
  await utimes(path.join(snapshots.dir, `${fresh}.json.tmp-abcdef`), old, old);
  await writeFile(path.join(snapshots.dir, "README"), "not ours");
  assert.equal(await snapshots.sweep(30 * 60_000, now, new Set([ID])), 1, "a live session's snapshot is kept, however old");
  assert.equal(await snapshots.sweep(30 * 60_000, now), 1);
  assert.deepEqual((await readdir(snapshots.dir)).sort(), [`${fresh}.json`, "README"]);
});
