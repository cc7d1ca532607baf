import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { ProgressError } from "./progress-store.ts";
import { PROGRESS_MIGRATIONS } from "./progress-migrations.ts";
import { SqliteProgressStore } from "./sqlite-progress-store.ts";

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mesh-academy-progress-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, "nested", "progress.sqlite");
}

test("a learner is created once; ensureLearner keeps the first creation time", () => {
  const store = new SqliteProgressStore(":memory:");
  const first = store.ensureLearner("l1", 1000);
  const again = store.ensureLearner("l1", 5000);
  assert.deepEqual(first, { id: "l1", displayName: undefined, createdAt: 1000 });
  assert.deepEqual(again, first);
  assert.equal(store.learner("nobody"), undefined);
  store.close();
});

test("a display name is stored as given and can be cleared", () => {
  const store = new SqliteProgressStore(":memory:");
  store.ensureLearner("l1", 1);
  assert.equal(store.setDisplayName("l1", "<script>alert(1)</script>").displayName, "<script>alert(1)</script>");
  assert.equal(store.setDisplayName("l1", undefined).displayName, undefined);
  assert.throws(() => store.setDisplayName("ghost", "x"), (e: unknown) => e instanceof ProgressError && e.code === "LEARNER_NOT_FOUND");
  store.close();
});

test("time spent is completion minus the first start; the first completion wins", () => {
  const store = new SqliteProgressStore(":memory:");
  store.ensureLearner("l1", 0);
  store.recordStepStarted("l1", "gateways", "apply", 10_000);
  store.recordStepStarted("l1", "gateways", "apply", 20_000);
  const first = store.recordStepPassed("l1", "gateways", "apply", 70_000, "page");
  assert.equal(first.firstTime, true);
  assert.deepEqual(first.progress, { lesson: "gateways", step: "apply", startedAt: 10_000, completedAt: 70_000, spentMs: 60_000, source: "page" });
  const second = store.recordStepPassed("l1", "gateways", "apply", 90_000, "checks");
  assert.equal(second.firstTime, false);
  assert.equal(second.progress.completedAt, 70_000);
  assert.equal(second.progress.spentMs, 60_000);
  assert.equal(second.progress.source, "checks", "a completion confirmed by the checks says so");
  assert.equal(store.recordStepPassed("l1", "gateways", "apply", 99_000, "page").progress.source, "checks");
  // Starting a finished step again does not rewrite its history.
  assert.equal(store.recordStepStarted("l1", "gateways", "apply", 100_000).startedAt, 10_000);
  store.close();
});

test("a completion without a recorded start has no time spent", () => {
  const store = new SqliteProgressStore(":memory:");
  store.ensureLearner("l1", 0);
  const { progress } = store.recordStepPassed("l1", "bookinfo", "deploy", 5, "checks");
  assert.equal(progress.startedAt, undefined);
  assert.equal(progress.spentMs, undefined);
  store.close();
});

test("progress is per learner and ordered by activity", () => {
  const store = new SqliteProgressStore(":memory:");
  store.ensureLearner("a", 0);
  store.ensureLearner("b", 0);
  store.recordStepPassed("a", "l", "two", 200, "page");
  store.recordStepPassed("a", "l", "one", 100, "page");
  store.recordStepPassed("b", "l", "one", 50, "page");
  assert.deepEqual(store.progressOf("a").map((s) => s.step), ["one", "two"]);
  assert.deepEqual(store.progressOf("b").map((s) => s.step), ["one"]);
  assert.deepEqual(store.progressOf("c"), []);
  assert.throws(() => store.recordStepPassed("c", "l", "one", 1, "page"), (e: unknown) => e instanceof ProgressError && e.code === "LEARNER_NOT_FOUND");
  store.close();
});

test("a file database is in WAL mode with synchronous FULL and keeps data across reopen", (t) => {
  const file = tempFile(t);
  const store = new SqliteProgressStore(file);
  store.ensureLearner("l1", 1);
  store.recordStepPassed("l1", "l", "s", 2, "page");
  store.close();
  const raw = new DatabaseSync(file);
  assert.equal((raw.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "wal");
  assert.equal(Number((raw.prepare("PRAGMA user_version").get() as { user_version: number }).user_version), PROGRESS_MIGRATIONS.length);
  raw.close();
  const reopened = new SqliteProgressStore(file);
  assert.equal(reopened.progressOf("l1")[0]?.completedAt, 2);
  reopened.close();
});

test("a database from a newer release is refused, not misread", (t) => {
  const file = tempFile(t);
  new SqliteProgressStore(file).close();
  const raw = new DatabaseSync(file);
  raw.exec(`PRAGMA user_version = ${PROGRESS_MIGRATIONS.length + 1}`);
  raw.close();
  assert.throws(() => new SqliteProgressStore(file), (e: unknown) => e instanceof ProgressError && e.code === "SCHEMA_TOO_NEW");
});

test("a closed store refuses use", () => {
  const store = new SqliteProgressStore(":memory:");
  store.close();
  store.close();
  assert.throws(() => store.learner("x"), (e: unknown) => e instanceof ProgressError && e.code === "STORE_CLOSED");
});

test("failed check runs are counted per learner, lesson and step, and survive a reopen", (t) => {
  const file = tempFile(t);
  const store = new SqliteProgressStore(file);
  store.ensureLearner("l1", 0);
  store.ensureLearner("l2", 0);
  assert.deepEqual(store.recordCheckFailed("l1", "welcome", "create-namespace", 100), { lesson: "welcome", step: "create-namespace", failures: 1, lastFailedAt: 100 });
  assert.equal(store.recordCheckFailed("l1", "welcome", "create-namespace", 200).failures, 2);
  store.recordCheckFailed("l1", "welcome", "label-namespace", 300);
  store.recordCheckFailed("l2", "welcome", "create-namespace", 400);
  assert.throws(() => store.recordCheckFailed("ghost", "welcome", "x", 1), (e: unknown) => e instanceof ProgressError && e.code === "LEARNER_NOT_FOUND");
  store.close();
  const reopened = new SqliteProgressStore(file);
  assert.deepEqual(reopened.checkFailuresOf("l1"), [
    { lesson: "welcome", step: "create-namespace", failures: 2, lastFailedAt: 200 },
    { lesson: "welcome", step: "label-namespace", failures: 1, lastFailedAt: 300 },
  ]);
  assert.deepEqual(reopened.checkFailuresOf("l2").map((f) => f.failures), [1]);
  assert.deepEqual(reopened.checkFailuresOf("nobody"), []);
  reopened.close();
});
