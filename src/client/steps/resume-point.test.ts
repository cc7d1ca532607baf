import { test } from "node:test";
import assert from "node:assert/strict";
import { lessonCompleteMessage, resumePoint } from "./resume-point.ts";

const steps = [
  { id: "deploy", title: "Deploy Bookinfo" },
  { id: "save", title: "Save a page and read it" },
  { id: "watch", title: "Watch the reviews versions take turns" },
];

test("a first visit has nothing to resume and starts at the first step", () => {
  assert.deepEqual(resumePoint(steps, []), { done: [], next: 0, message: undefined });
});

test("the first step not passed is where the learner stopped, even after a later one passed", () => {
  assert.deepEqual(resumePoint(steps, ["deploy"]), { done: ["deploy"], next: 1, message: "You stopped at step 2: Save a page and read it." });
  // Passed out of order (the learner skipped ahead): the gap is what is left to do.
  assert.deepEqual(resumePoint(steps, ["watch", "deploy"]), { done: ["deploy", "watch"], next: 1, message: "You stopped at step 2: Save a page and read it." });
});

test("steps the lesson no longer has and repeated ids are ignored", () => {
  assert.deepEqual(resumePoint(steps, ["old-step", "deploy", "deploy", "save"]), {
    done: ["deploy", "save"],
    next: 2,
    message: "You stopped at step 3: Watch the reviews versions take turns.",
  });
  assert.deepEqual(resumePoint(steps, ["old-step"]), { done: [], next: 0, message: undefined });
});

test("every step passed reads as a complete lesson", () => {
  assert.deepEqual(resumePoint(steps, ["save", "watch", "deploy"]), { done: ["deploy", "save", "watch"], next: undefined, message: "Lesson complete: all 3 steps have passed." });
  assert.equal(lessonCompleteMessage(1), "Lesson complete: its step has passed.");
});

test("a lesson without steps has nothing to say", () => {
  assert.deepEqual(resumePoint([], ["deploy"]), { done: [], next: undefined, message: undefined });
});
