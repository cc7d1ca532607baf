import { test } from "node:test";
import assert from "node:assert/strict";
import type { Grid } from "./dashboard-protocol.ts";
import { csvField, gridToCsv, gridToJson } from "./grid-export.ts";
import { buildGrid } from "./workshop-grid.ts";

function grid(names: string[]): Grid {
  return buildGrid({
    workshop: { id: "w1", title: "Istio, day 1!", lessons: ["welcome"] },
    columns: [
      { lesson: "welcome", lessonTitle: "Welcome", step: "a", title: "A" },
      { lesson: "welcome", lessonTitle: "Welcome", step: "b", title: "B" },
    ],
    members: names.map((displayName, i) => ({ learnerId: `L${i}`, displayName, joinedAt: Date.UTC(2026, 0, 1, 9) })),
    activityOf: (id) => ({
      steps: id === "L0" ? [{ lesson: "welcome", step: "a", startedAt: Date.UTC(2026, 0, 1, 9, 1), completedAt: Date.UTC(2026, 0, 1, 9, 2), spentMs: 60_000, source: "checks" }] : [],
      failures: id === "L0" ? [{ lesson: "welcome", step: "b", failures: 4, lastFailedAt: 0 }] : [],
      watchable: false,
    }),
    rules: { afterMs: 600_000, afterFailedChecks: 3 },
    now: Date.UTC(2026, 0, 1, 9, 3),
  });
}

test("CSV fields are quoted per RFC 4180 only when they must be", () => {
  assert.equal(csvField("plain"), "plain");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  assert.equal(csvField(""), "");
});

test("CSV fields that a spreadsheet would run as a formula are neutralised", () => {
  assert.equal(csvField("=HYPERLINK(\"http://x\",\"y\")"), '"\'=HYPERLINK(""http://x"",""y"")"');
  assert.equal(csvField("+1"), "'+1");
  assert.equal(csvField("-2+3"), "'-2+3");
  assert.equal(csvField("@SUM(A1)"), "'@SUM(A1)");
  assert.equal(csvField("\t=1"), "'\t=1");
  assert.equal(csvField("Ada = 1"), "Ada = 1");
});

test("the CSV export has a header, one CRLF-ended record per learner and the step columns", () => {
  const csv = gridToCsv(grid(["Ada, the first", "=cmd|' /C calc'!A0"]));
  assert.equal(csv.contentType, "text/csv; charset=utf-8; header=present");
  assert.equal(csv.fileName, "istio-day-1-2026-01-01.csv");
  const lines = csv.body.split("\r\n");
  assert.equal(lines.at(-1), "");
  assert.equal(lines.length, 4);
  assert.equal(
    lines[0],
    "Name,Joined,Steps done,Steps,Current step,Seconds on current step,Failed checks,Stuck,welcome/a completed,welcome/a failed checks,welcome/b completed,welcome/b failed checks",
  );
  assert.equal(lines[1], '"Ada, the first",2026-01-01T09:00:00.000Z,1,2,welcome/b,60,4,failures,2026-01-01T09:02:00.000Z,0,,4');
  assert.ok(lines[2]?.startsWith("'=cmd|' /C calc'!A0,"), lines[2]);
});

test("the JSON export holds the same facts with names as given", () => {
  const json = gridToJson(grid(["<img src=x>"]));
  assert.equal(json.fileName, "istio-day-1-2026-01-01.json");
  const body = JSON.parse(json.body) as {
    workshop: { id: string };
    learners: { displayName: string; stepsDone: number; currentStep: unknown; msOnCurrentStep: number; failedChecks: number; stuck: string[]; steps: { state: string; completedAt: string | null }[] }[];
  };
  assert.equal(body.workshop.id, "w1");
  const [ada] = body.learners;
  assert.equal(ada?.displayName, "<img src=x>");
  assert.equal(ada?.stepsDone, 1);
  assert.deepEqual(ada?.currentStep, { lesson: "welcome", step: "b" });
  assert.equal(ada?.msOnCurrentStep, 60_000);
  assert.deepEqual(ada?.stuck, ["failures"]);
  assert.deepEqual(ada?.steps.map((s) => [s.state, s.completedAt]), [
    ["done", "2026-01-01T09:02:00.000Z"],
    ["current", null],
  ]);
});
