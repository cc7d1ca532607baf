import { test } from "node:test";
import assert from "node:assert/strict";
import type { StepProgress } from "../progress/progress-store.ts";
import type { GridColumn } from "./dashboard-protocol.ts";
import { DEFAULT_STUCK_RULES, stuckReasons } from "./stuck-rules.ts";
import { buildGrid, buildRow, learnerKey } from "./workshop-grid.ts";

const columns: GridColumn[] = [
  { lesson: "welcome", lessonTitle: "Welcome", step: "a", title: "A" },
  { lesson: "welcome", lessonTitle: "Welcome", step: "b", title: "B" },
  { lesson: "gateways", lessonTitle: "Gateways", step: "c", title: "C" },
];
const member = { learnerId: "L1", displayName: "Ada", joinedAt: 1000 };
const rules = { afterMs: 60_000, afterFailedChecks: 3 };

function step(lesson: string, id: string, startedAt?: number, completedAt?: number): StepProgress {
  return {
    lesson,
    step: id,
    startedAt,
    completedAt,
    spentMs: startedAt !== undefined && completedAt !== undefined ? completedAt - startedAt : undefined,
    source: completedAt === undefined ? undefined : "checks",
  };
}

test("a learner who only joined is on the first step since joining", () => {
  const row = buildRow(columns, member, { steps: [], failures: [], watchable: false }, rules, 5000);
  assert.equal(row.done, 0);
  assert.equal(row.current, 0);
  assert.equal(row.currentSince, 1000);
  assert.deepEqual(row.cells.map((c) => c.state), ["current", "todo", "todo"]);
  assert.deepEqual(row.stuck, []);
  assert.equal(row.key, learnerKey("L1"));
  assert.notEqual(row.key, "L1");
});

test("the current step is the latest started one not done; done steps keep time spent; failures are per step", () => {
  const row = buildRow(
    columns,
    member,
    {
      steps: [step("welcome", "a", 2000, 5000), step("gateways", "c", 6000), step("welcome", "b", 7000)],
      failures: [
        { lesson: "welcome", step: "a", failures: 2, lastFailedAt: 4000 },
        { lesson: "welcome", step: "b", failures: 1, lastFailedAt: 8000 },
      ],
      watchable: true,
    },
    rules,
    10_000,
  );
  assert.equal(row.done, 1);
  assert.equal(row.current, 1);
  assert.equal(row.currentSince, 7000);
  assert.deepEqual(row.cells.map((c) => c.state), ["done", "current", "todo"]);
  assert.equal(row.cells[0]?.spentMs, 3000);
  assert.equal(row.failedChecks, 3);
  assert.equal(row.failedOnCurrent, 1);
  assert.equal(row.watchable, true);
});

test("without a start, the next step after the last done one is current, since that completion", () => {
  const row = buildRow(columns, member, { steps: [step("welcome", "a", undefined, 4000)], failures: [], watchable: false }, rules, 5000);
  assert.equal(row.current, 1);
  assert.equal(row.currentSince, 4000);
});

test("all steps done: no current step, never stuck", () => {
  const all = columns.map((c, i) => step(c.lesson, c.step, 100 * i, 100 * i + 50));
  const row = buildRow(columns, member, { steps: all, failures: [{ lesson: "welcome", step: "a", failures: 9, lastFailedAt: 1 }], watchable: false }, rules, 10_000_000);
  assert.equal(row.done, 3);
  assert.equal(row.current, null);
  assert.deepEqual(row.stuck, []);
});

test("stuck by time on the current step, by failures on it, or both; failures on other steps do not count", () => {
  const activity = (failuresOnB: number, failuresOnA: number) => ({
    steps: [step("welcome", "a", 0, 1000), step("welcome", "b", 1000)],
    failures: [
      { lesson: "welcome", step: "a", failures: failuresOnA, lastFailedAt: 1 },
      { lesson: "welcome", step: "b", failures: failuresOnB, lastFailedAt: 1 },
    ],
    watchable: false,
  });
  assert.deepEqual(buildRow(columns, member, activity(0, 10), rules, 60_999).stuck, []);
  assert.deepEqual(buildRow(columns, member, activity(0, 10), rules, 61_000).stuck, ["time"]);
  assert.deepEqual(buildRow(columns, member, activity(3, 0), rules, 2000).stuck, ["failures"]);
  assert.deepEqual(buildRow(columns, member, activity(3, 0), rules, 70_000).stuck, ["time", "failures"]);
});

test("the default rules: ten minutes or three failed runs", () => {
  assert.deepEqual(stuckReasons(10 * 60_000 - 1, 2, DEFAULT_STUCK_RULES), []);
  assert.deepEqual(stuckReasons(10 * 60_000, 3, DEFAULT_STUCK_RULES), ["time", "failures"]);
});

test("a grid has one row per member in order, the columns as given and the server's time", () => {
  const grid = buildGrid({
    workshop: { id: "w1", title: "Room", lessons: ["welcome", "gateways"] },
    columns,
    members: [member, { learnerId: "L2", displayName: "<b>Bob</b>", joinedAt: 2000 }],
    activityOf: (id) => ({ steps: id === "L2" ? [step("welcome", "a", 0, 10)] : [], failures: [], watchable: id === "L1" }),
    rules,
    now: 3000,
  });
  assert.deepEqual(grid.rows.map((r) => [r.displayName, r.done, r.watchable]), [
    ["Ada", 0, true],
    ["<b>Bob</b>", 1, false],
  ]);
  assert.equal(grid.columns.length, 3);
  assert.equal(grid.serverNow, 3000);
  assert.deepEqual(grid.workshop, { id: "w1", title: "Room", lessons: ["welcome", "gateways"] });
});
