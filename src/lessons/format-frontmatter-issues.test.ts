import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatFrontmatterIssues } from "./format-frontmatter-issues.ts";
import { lessonSchema } from "./lesson-schema.ts";

const FILE = "lessons/welcome/index.mdx";
const valid = {
  title: "Welcome to the mesh",
  summary: "What a service mesh is for.",
  duration: 10,
  order: 0,
  sandbox: { start: "empty" },
};

function problems(data: unknown): string[] {
  const result = lessonSchema.safeParse(data);
  assert.equal(result.success, false, "expected the frontmatter to be rejected");
  return result.success ? [] : formatFrontmatterIssues(FILE, result.error.issues);
}

describe("lesson frontmatter schema", () => {
  it("accepts a complete lesson and fills in defaults", () => {
    const parsed = lessonSchema.parse({ ...valid, goals: ["Run a command"] });
    assert.deepEqual(parsed.prerequisites, []);
    assert.deepEqual(parsed.goals, ["Run a command"]);
    assert.equal(parsed.sandbox.start, "empty");
  });

  it("names file, field and fix for a duration that is not a whole number", () => {
    assert.deepEqual(problems({ ...valid, duration: "ten" }), [
      `${FILE}: frontmatter field "duration" must be a whole number of minutes, e.g. duration: 10 (found "ten")`,
    ]);
    assert.deepEqual(problems({ ...valid, duration: 2.5 }), [
      `${FILE}: frontmatter field "duration" must be a whole number of minutes, e.g. duration: 10 (found 2.5)`,
    ]);
    assert.match(problems({ ...valid, duration: 0 })[0] ?? "", /"duration" must be a whole number of minutes/);
  });

  it("says a missing field is missing and shows how to add it", () => {
    const { title: _title, ...withoutTitle } = valid;
    assert.deepEqual(problems(withoutTitle), [
      `${FILE}: frontmatter field "title" is missing; add it, e.g. title: "Welcome to the mesh"`,
    ]);
  });

  it("reports every problem, one sentence each", () => {
    const found = problems({ title: "", summary: "x", duration: 5, order: -1 });
    assert.equal(found.length, 3);
    assert.match(found[0] ?? "", /field "title" must be a short line of text/);
    assert.match(found[1] ?? "", /field "order" must be a whole number/);
    assert.match(found[2] ?? "", /field "sandbox" is missing; add it, e.g. sandbox: \{ start: empty \}/);
  });

  it("lists the allowed sandbox starting states", () => {
    assert.deepEqual(problems({ ...valid, sandbox: { start: "everything" } }), [
      `${FILE}: frontmatter field "sandbox.start" must be one of: empty, istio, istio-injected, bookinfo, bookinfo-gateway, broken-mesh, e.g. sandbox: { start: empty } (found "everything")`,
    ]);
    assert.match(problems({ ...valid, sandbox: "empty" })[0] ?? "", /field "sandbox" must be an object naming/);
  });

  it("points at the bad entry of a list", () => {
    assert.deepEqual(problems({ ...valid, prerequisites: ["welcome", "Traffic Shifting"] }), [
      `${FILE}: frontmatter field "prerequisites[1]" must be a lesson id: the lesson's folder name in lowercase ` +
        `letters, digits and dashes, e.g. prerequisites: [welcome] (found "Traffic Shifting")`,
    ]);
    assert.match(problems({ ...valid, goals: "learn" })[0] ?? "", /field "goals" must be a list of short sentences/);
  });

  it("rejects unknown fields, suggesting the known ones, also inside sandbox", () => {
    assert.deepEqual(problems({ ...valid, durration: 10 }), [
      `${FILE}: frontmatter field "durration" is not a lesson field; remove it or fix its spelling ` +
        `(known fields: title, summary, duration, order, prerequisites, sandbox, goals)`,
    ]);
    assert.deepEqual(problems({ ...valid, sandbox: { start: "empty", strat: "x" } }), [
      `${FILE}: frontmatter field "sandbox.strat" is not a lesson field; remove it or fix its spelling ` +
        `(known fields: start, namespaceLabels, clusterSteps, ownCluster)`,
    ]);
  });

  it("explains frontmatter that is not a set of fields at all", () => {
    const found = problems(["a", "list"]);
    assert.equal(found.length, 1);
    assert.match(found[0] ?? "", /^lessons\/welcome\/index\.mdx: the frontmatter must be "key: value" lines/);
  });
});
