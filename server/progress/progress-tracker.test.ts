import { test } from "node:test";
import assert from "node:assert/strict";
import { LearnerCookie } from "./learner-cookie.ts";
import type { CheckFailures, StepProgress } from "./progress-store.ts";
import { ProgressTracker } from "./progress-tracker.ts";
import { SqliteProgressStore } from "./sqlite-progress-store.ts";
import { Workshops } from "./workshops.ts";

const LEARNER_A = "AAAAAAAAAAAAAAAAAAAAAA";

function tracker(now = () => 5000): ProgressTracker {
  return new ProgressTracker({ store: new SqliteProgressStore(":memory:"), cookie: new LearnerCookie(Buffer.alloc(32, 7)), now });
}

test("a failed check run is counted for the cookie's learner and told to listeners; no cookie counts nothing", () => {
  const progress = tracker();
  const cookie = new LearnerCookie(Buffer.alloc(32, 7)).setCookieHeader(LEARNER_A, false).split(";")[0] ?? "";
  const heard: [string, CheckFailures][] = [];
  const stop = progress.onCheckFailed((id, failures) => heard.push([id, failures]));
  assert.equal(progress.recordCheckFailedFor({}, "welcome", "create-namespace"), undefined);
  assert.equal(progress.recordCheckFailedFor({ cookie }, "welcome", "create-namespace")?.failures, 1);
  assert.equal(progress.recordCheckFailedFor({ cookie }, "welcome", "create-namespace")?.failures, 2);
  assert.deepEqual(heard.map(([id, f]) => [id, f.step, f.failures]), [
    [LEARNER_A, "create-namespace", 1],
    [LEARNER_A, "create-namespace", 2],
  ]);
  stop();
  progress.recordCheckFailed(LEARNER_A, "welcome", "create-namespace");
  assert.equal(heard.length, 2);
  assert.deepEqual(progress.checkFailuresOf(LEARNER_A).map((f) => f.failures), [3]);
  progress.close();
});

test("a started step is told to listeners with what was stored (the first start is kept)", () => {
  let now = 1000;
  const progress = tracker(() => now);
  const heard: StepProgress[] = [];
  progress.onStepStarted((_, step) => heard.push(step));
  progress.recordStepStarted("l1", "welcome", "create-namespace");
  now = 2000;
  progress.recordStepStarted("l1", "welcome", "create-namespace");
  assert.deepEqual(heard.map((s) => s.startedAt), [1000, 1000]);
  progress.close();
});

test("joining a workshop is told to listeners with the member's name", () => {
  const store = new SqliteProgressStore(":memory:");
  const progress = new ProgressTracker({ store, cookie: new LearnerCookie(Buffer.alloc(32, 7)), now: () => 50 });
  const workshops = new Workshops({ store, tracker: progress, joinAttemptsPerMinute: 10, now: () => 50 });
  const created = workshops.create({ title: "Room", lessons: ["welcome"], capacity: 5, startsAt: 0, endsAt: 100 });
  const heard: string[] = [];
  workshops.onJoined((workshop, member) => heard.push(`${workshop.id}:${member.displayName}`));
  workshops.join("1.2.3.4", {}, false, created.joinCode, "Ada");
  assert.deepEqual(heard, [`${created.id}:Ada`]);
  assert.deepEqual(workshops.members(created.id).map((m) => m.displayName), ["Ada"]);
  assert.equal(workshops.workshop(created.id)?.title, "Room");
  store.close();
});
