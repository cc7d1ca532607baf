import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LessonProgress, lessonCompleteKey } from "./lesson-progress.ts";
import type { ProgressStorage } from "./lesson-progress.ts";

function memoryStorage(): ProgressStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe("LessonProgress", () => {
  it("stores completion under the documented key as an ISO time", () => {
    const storage = memoryStorage();
    const progress = new LessonProgress(storage);
    assert.equal(progress.isComplete("welcome"), false);
    progress.markComplete("welcome", new Date("2026-01-02T03:04:05.000Z"));
    assert.equal(lessonCompleteKey("welcome"), "mesh-academy:lesson-complete:welcome");
    assert.equal(storage.data.get("mesh-academy:lesson-complete:welcome"), "2026-01-02T03:04:05.000Z");
    assert.equal(progress.isComplete("welcome"), true);
    assert.equal(progress.completedAt("welcome")?.toISOString(), "2026-01-02T03:04:05.000Z");
    assert.equal(progress.isComplete("traffic"), false);
  });

  it("forgets a lesson marked incomplete", () => {
    const storage = memoryStorage();
    const progress = new LessonProgress(storage);
    progress.markComplete("welcome", new Date(0));
    progress.markIncomplete("welcome");
    assert.equal(progress.isComplete("welcome"), false);
    assert.equal(storage.data.size, 0);
  });

  it("treats unreadable values and failing storage as not done", () => {
    const storage = memoryStorage();
    storage.data.set(lessonCompleteKey("welcome"), "yesterday-ish");
    assert.equal(new LessonProgress(storage).isComplete("welcome"), false);
    const broken: ProgressStorage = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    assert.equal(new LessonProgress(broken).isComplete("welcome"), false);
  });
});
