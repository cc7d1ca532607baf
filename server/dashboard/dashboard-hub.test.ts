import { test } from "node:test";
import assert from "node:assert/strict";
import { LearnerCookie } from "../progress/learner-cookie.ts";
import { ProgressTracker } from "../progress/progress-tracker.ts";
import { SqliteProgressStore } from "../progress/sqlite-progress-store.ts";
import { Workshops } from "../progress/workshops.ts";
import { DashboardError, DashboardHub } from "./dashboard-hub.ts";
import type { DashboardMessage } from "./dashboard-protocol.ts";

function setup(now: { t: number }) {
  const store = new SqliteProgressStore(":memory:");
  const clock = () => now.t;
  const tracker = new ProgressTracker({ store, cookie: new LearnerCookie(Buffer.alloc(32, 1)), now: clock });
  const workshops = new Workshops({ store, tracker, joinAttemptsPerMinute: 100, now: clock });
  const withSessions = new Set<string>();
  const hub = new DashboardHub({
    tracker,
    workshops,
    sessions: { learnersWithSessions: () => new Set(withSessions) },
    lessonOf: async (lesson) =>
      lesson === "broken" ? Promise.reject(new Error("no such lesson")) : { title: "Welcome", steps: [{ id: "one", title: "One" }, { id: "two", title: "Two" }] },
    rules: { afterMs: 60_000, afterFailedChecks: 2 },
    tickMs: 5,
    now: clock,
  });
  const workshop = workshops.create({ title: "Room", lessons: ["welcome", "broken"], capacity: 10, startsAt: 0, endsAt: 10_000_000 });
  return { store, tracker, workshops, hub, workshop, withSessions };
}

function collector() {
  const messages: DashboardMessage[] = [];
  let wake: (() => void) | undefined;
  return {
    messages,
    send: (m: DashboardMessage) => {
      messages.push(m);
      wake?.();
    },
    async until(predicate: (m: DashboardMessage) => boolean): Promise<DashboardMessage> {
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

test("a burst of events for one learner is sent as one row; unsubscribed workshops cost nothing", async () => {
  const now = { t: 1000 };
  const { tracker, workshops, hub, workshop, store } = setup(now);
  const joined = workshops.join("1.1.1.1", {}, false, workshop.joinCode, "Ada");
  const learnerId = workshops.members(workshop.id)[0]?.learnerId ?? "";
  assert.ok(joined.member.displayName === "Ada");
  const sink = collector();
  const subscription = await hub.subscribe(workshop.id, sink.send);
  // The broken lesson has no columns; the rest still shows.
  assert.deepEqual(subscription.grid.columns.map((c) => `${c.lessonTitle}: ${c.lesson}/${c.step}`), ["Welcome: welcome/one", "Welcome: welcome/two"]);
  tracker.recordStepStarted(learnerId, "welcome", "one");
  tracker.recordStepPassed(learnerId, "welcome", "one");
  tracker.recordCheckFailed(learnerId, "welcome", "two");
  await sink.until((m) => m.type === "row");
  await new Promise((resolve) => setImmediate(resolve));
  const rows = sink.messages.filter((m) => m.type === "row");
  assert.equal(rows.length, 1);
  assert.ok(rows[0]?.type === "row");
  assert.equal(rows[0].row.done, 1);
  assert.equal(rows[0].row.failedOnCurrent, 1);
  subscription.close();
  assert.equal(hub.liveWorkshops, 0);
  tracker.recordCheckFailed(learnerId, "welcome", "two");
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sink.messages.filter((m) => m.type === "row").length, 1);
  hub.close();
  store.close();
});

test("time alone turns a learner stuck, and the row is sent again when it does", async () => {
  const now = { t: 1000 };
  const { workshops, hub, workshop, store } = setup(now);
  workshops.join("1.1.1.1", {}, false, workshop.joinCode, "Ada");
  const sink = collector();
  const subscription = await hub.subscribe(workshop.id, sink.send);
  assert.deepEqual(subscription.grid.rows[0]?.stuck, []);
  now.t = 1000 + 60_000;
  const stuck = await sink.until((m) => m.type === "row" && m.row.stuck.includes("time"));
  assert.ok(stuck.type === "row");
  assert.equal(stuck.serverNow, 61_000);
  // Once stuck by time it is not sent again on every tick.
  const count = sink.messages.length;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(sink.messages.length, count);
  subscription.close();
  hub.close();
  store.close();
});

test("a learner's session coming or going is sent as 'watchable'; unknown workshops are refused", async () => {
  const now = { t: 1000 };
  const { workshops, hub, workshop, store, withSessions } = setup(now);
  workshops.join("1.1.1.1", {}, false, workshop.joinCode, "Ada");
  const learnerId = workshops.members(workshop.id)[0]?.learnerId ?? "";
  const sink = collector();
  const subscription = await hub.subscribe(workshop.id, sink.send);
  withSessions.add(learnerId);
  hub.touch(learnerId);
  await sink.until((m) => m.type === "row" && m.row.watchable);
  assert.equal(hub.learnerIdOf(workshop.id, subscription.grid.rows[0]?.key ?? ""), learnerId);
  assert.equal(hub.learnerIdOf(workshop.id, "someone-else"), undefined);
  await assert.rejects(hub.subscribe("nope", () => {}), (e: unknown) => e instanceof DashboardError && e.code === "WORKSHOP_NOT_FOUND");
  subscription.close();
  hub.close();
  store.close();
});
