import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LessonContentError } from "./lesson-content-error.ts";
import { validateLessonGraph } from "./validate-lesson-graph.ts";
import type { LessonGraphEntry } from "./validate-lesson-graph.ts";

const lesson = (id: string, order: number, prerequisites: string[] = []): LessonGraphEntry => ({
  id,
  file: `lessons/${id}/index.mdx`,
  order,
  prerequisites,
});

function thrown(lessons: LessonGraphEntry[]): LessonContentError {
  try {
    validateLessonGraph(lessons);
  } catch (error) {
    assert.ok(error instanceof LessonContentError);
    return error;
  }
  assert.fail("expected the lessons to be rejected");
}

describe("validateLessonGraph", () => {
  it("accepts lessons whose prerequisites exist and come in a line", () => {
    assert.doesNotThrow(() =>
      validateLessonGraph([lesson("welcome", 0), lesson("traffic", 1, ["welcome"]), lesson("security", 2, ["welcome", "traffic"])]),
    );
  });

  it("names the file and the missing lesson, and lists the lessons that exist", () => {
    const error = thrown([lesson("welcome", 0), lesson("traffic", 1, ["welcom"])]);
    assert.equal(error.code, "lesson-prerequisite-unknown");
    assert.deepEqual(error.problems, [
      `lessons/traffic/index.mdx: frontmatter field "prerequisites" names "welcom", which is not a lesson; ` +
        `use the folder name of a lesson under lessons/ (existing: traffic, welcome)`,
    ]);
  });

  it("finds loops through several lessons and a lesson requiring itself", () => {
    const loop = thrown([lesson("a", 0, ["c"]), lesson("b", 1, ["a"]), lesson("c", 2, ["b"])]);
    assert.equal(loop.code, "lesson-prerequisite-cycle");
    assert.match(loop.message, /a → c → b → a/);
    assert.match(thrown([lesson("a", 0, ["a"])]).message, /^lessons\/a\/index\.mdx: .*\(a → a\)/);
  });

  it("rejects two lessons with the same order, naming both files", () => {
    const error = thrown([lesson("a", 1), lesson("b", 1), lesson("c", 2)]);
    assert.equal(error.code, "lesson-order-duplicate");
    assert.match(error.message, /^lessons\/a\/index\.mdx and lessons\/b\/index\.mdx: frontmatter field "order" is 1/);
  });
});
