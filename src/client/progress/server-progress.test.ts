import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { lessonStanding, lessonStatusLabel, parseServerProgress, type ServerStep } from "./server-progress.ts";

function step(lesson: string, id: string, completedAt: number | null): ServerStep {
  return { lesson, step: id, startedAt: null, completedAt, spentMs: null, source: "page" };
}

describe("lessonStanding", () => {
  const progress = {
    learner: null,
    steps: [step("gateways", "route", 300), step("gateways", "apply", 100), step("gateways", "curl", null), step("bookinfo", "deploy", 50)],
  };

  it("lists this lesson's completed steps in completion order and the last one", () => {
    const standing = lessonStanding(progress, "gateways");
    assert.deepEqual(standing.completed, ["apply", "route"]);
    assert.equal(standing.lastCompleted, "route");
    assert.equal(standing.next, undefined);
  });

  it("names the first step in lesson order that is not done", () => {
    assert.equal(lessonStanding(progress, "gateways", ["apply", "curl", "route"]).next, "curl");
    assert.equal(lessonStanding(progress, "gateways", ["apply", "route"]).next, undefined);
    assert.equal(lessonStanding(progress, "other", ["a", "b"]).next, "a");
  });
});

describe("lessonStatusLabel", () => {
  it("prefers the learner's own mark, then counts steps", () => {
    assert.equal(lessonStatusLabel(true, { completed: [], lastCompleted: undefined, next: undefined }), "Done");
    assert.equal(lessonStatusLabel(false, { completed: [], lastCompleted: undefined, next: undefined }), "Not started");
    assert.equal(lessonStatusLabel(false, { completed: ["a"], lastCompleted: "a", next: undefined }), "1 step done");
    assert.equal(lessonStatusLabel(false, { completed: ["a", "b"], lastCompleted: "b", next: undefined }), "2 steps done");
  });
});

describe("parseServerProgress", () => {
  it("keeps well-formed steps and drops the rest", () => {
    const parsed = parseServerProgress({
      learner: { displayName: "<b>Ann</b>" },
      steps: [{ lesson: "l", step: "s", startedAt: 1, completedAt: 2, spentMs: 1, source: "checks" }, { lesson: 3 }, null],
    });
    assert.deepEqual(parsed, {
      learner: { displayName: "<b>Ann</b>" },
      steps: [{ lesson: "l", step: "s", startedAt: 1, completedAt: 2, spentMs: 1, source: "checks" }],
    });
  });

  it("reads anything else as no progress", () => {
    assert.deepEqual(parseServerProgress(null), { learner: null, steps: [] });
    assert.deepEqual(parseServerProgress({ steps: "x" }), { learner: null, steps: [] });
  });
});
