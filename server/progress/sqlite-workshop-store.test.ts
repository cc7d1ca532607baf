import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteProgressStore } from "./sqlite-progress-store.ts";
import { WorkshopError } from "./workshop-store.ts";

const input = { title: "Room", lessons: ["welcome"], capacity: 1, startsAt: 100, endsAt: 200, joinCode: "ABCDEF" };

test("two processes' stores on one file cannot both take the last seat", (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), "mesh-academy-workshops-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "progress.sqlite");
  const a = new SqliteProgressStore(file);
  const b = new SqliteProgressStore(file);
  a.createWorkshop("w1", input, 50);
  a.ensureLearner("ann", 1);
  b.ensureLearner("bob", 1);
  a.joinWorkshop("w1", "ann", "Ann", 150);
  assert.throws(() => b.joinWorkshop("w1", "bob", "Bob", 151), (e: unknown) => e instanceof WorkshopError && e.code === "WORKSHOP_FULL");
  // A failed join leaves no transaction open behind it.
  assert.equal(b.joinWorkshop("w1", "ann", "Ann again", 152).displayName, "Ann again");
  assert.deepEqual(a.members("w1").map((m) => [m.learnerId, m.displayName, m.joinedAt]), [["ann", "Ann again", 150]]);
  a.close();
  b.close();
});

test("the window is [startsAt, endsAt) and a code is unique", () => {
  const store = new SqliteProgressStore(":memory:");
  store.createWorkshop("w1", { ...input, capacity: 5 }, 0);
  store.ensureLearner("ann", 0);
  assert.throws(() => store.joinWorkshop("w1", "ann", "Ann", 99), (e: unknown) => e instanceof WorkshopError && e.code === "WORKSHOP_NOT_STARTED" && e.status === 409);
  assert.equal(store.joinWorkshop("w1", "ann", "Ann", 100).joinedAt, 100);
  assert.throws(() => store.joinWorkshop("w1", "ann", "Ann", 200), (e: unknown) => e instanceof WorkshopError && e.code === "WORKSHOP_ENDED" && e.status === 410);
  assert.throws(() => store.createWorkshop("w2", input, 0), (e: unknown) => e instanceof WorkshopError && e.code === "JOIN_CODE_TAKEN");
  assert.throws(() => store.joinWorkshop("nope", "ann", "Ann", 150), (e: unknown) => e instanceof WorkshopError && e.code === "WORKSHOP_NOT_FOUND");
  assert.deepEqual(store.workshopByJoinCode("ABCDEF")?.lessons, ["welcome"]);
  assert.deepEqual(store.workshops().map((w) => w.id), ["w1"]);
  store.close();
});
