import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { steps as welcomeSteps } from "../../lessons/welcome/steps.ts";
import { projectPaths } from "../cli/project-paths.ts";
import { listLessons, loadLesson } from "./load-lesson.ts";
import { StepsError } from "./steps-error.ts";

const LESSONS = join(projectPaths.root, "lessons");
const FRONTMATTER = "---\ntitle: T\nsummary: S\nduration: 1\norder: 0\nsandbox:\n  start: empty\n---\n";

async function withLesson(files: Record<string, string>, test: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "load-lesson-"));
  try {
    await mkdir(join(dir, "sample"));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, "sample", name), text);
    await test(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function rejection(promise: Promise<unknown>): Promise<StepsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof StepsError);
    return error;
  }
  assert.fail("expected the lesson to be rejected");
}

describe("loadLesson", () => {
  it("loads the welcome lesson: frontmatter, the steps module and the shown outputs per step", async () => {
    assert.ok((await listLessons(LESSONS)).includes("welcome"));
    const lesson = await loadLesson(LESSONS, "welcome");
    assert.equal(lesson.title, "Welcome to your sandbox");
    assert.equal(lesson.start, "empty");
    assert.equal(lesson.steps, welcomeSteps);
    assert.deepEqual(lesson.steps.map((step) => step.id), ["create-namespace", "label-namespace"]);
    assert.deepEqual(lesson.shown.map((block) => block.step), ["create-namespace", "label-namespace"]);
  });

  it("a lesson without steps.ts has no steps but keeps its shown outputs", async () => {
    await withLesson({ "index.mdx": `${FRONTMATTER}\n\`\`\`console\n$ echo hi\nhi\n\`\`\`\n` }, async (dir) => {
      const lesson = await loadLesson(dir, "sample");
      assert.deepEqual(lesson.steps, []);
      assert.equal(lesson.shown[0]?.commands[0]?.output, "hi");
    });
  });

  it("names a console block that points at a step the lesson does not have", async () => {
    await withLesson({ "index.mdx": `${FRONTMATTER}\n\`\`\`console step=nope\n$ true\n\`\`\`\n` }, async (dir) => {
      const error = await rejection(loadLesson(dir, "sample"));
      assert.equal(error.code, "LESSON_INVALID");
      assert.match(error.message, /index\.mdx:10: the console block names step "nope", which .*steps\.ts does not define \(steps: none\)$/);
    });
  });

  it("rejects bad frontmatter, a steps file without steps, and unknown lessons", async () => {
    await withLesson({ "index.mdx": FRONTMATTER.replace("duration: 1", "duration: ten") }, async (dir) => {
      const error = await rejection(loadLesson(dir, "sample"));
      assert.equal(error.code, "LESSON_INVALID");
      assert.match(error.message, /frontmatter field "duration" must be a whole number of minutes/);
    });
    await withLesson({ "index.mdx": FRONTMATTER, "steps.ts": "export const other = 1;\n" }, async (dir) => {
      const error = await rejection(loadLesson(dir, "sample"));
      assert.equal(error.code, "STEPS_INVALID");
      assert.match(error.message, /export the steps as `export const steps = defineSteps\(\[\.\.\.\]\)`/);
    });
    assert.equal((await rejection(loadLesson(LESSONS, "../etc"))).code, "LESSON_NOT_FOUND");
    assert.match((await rejection(loadLesson(LESSONS, "nope"))).message, /there is no lesson "nope" in .* \(lessons: .*welcome/);
  });
});
