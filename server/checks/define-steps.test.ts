import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { check } from "./check.ts";
import { defineSteps } from "./define-steps.ts";
import { StepsError } from "./steps-error.ts";

const ok = check.exists({ kind: "Namespace", name: "shop" });

function problems(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StepsError);
    assert.equal(error.code, "STEPS_INVALID");
    return error.problems;
  }
  assert.fail("expected the steps to be rejected");
}

describe("defineSteps", () => {
  it("accepts steps and defaults hints to none", () => {
    const [step] = defineSteps([{ id: "make-shop", title: "Make the shop", checks: [ok], solution: "kubectl create namespace shop" }]);
    assert.equal(step?.id, "make-shop");
    assert.deepEqual(step?.hints, []);
    assert.equal(step?.checks[0], ok);
  });

  it("names the step and the field of every mistake", () => {
    assert.deepEqual(
      problems(() =>
        defineSteps([
          { id: "Make Shop", title: "Make the shop", checks: [ok], solution: "true" },
          { id: "empty", title: "Nothing to check", checks: [], solution: " " },
        ]),
      ),
      [
        'step "Make Shop": field "id" the id must be lowercase letters, digits and dashes, e.g. id: "label-namespace"',
        'step "empty": field "checks" a step needs at least one check, or nobody can tell it is done',
        'step "empty": field "solution" the solution must hold the commands a learner would type',
      ],
    );
  });

  it("refuses duplicate step ids and duplicate check names in a step", () => {
    assert.deepEqual(
      problems(() =>
        defineSteps([
          { id: "a", title: "A", checks: [ok, ok], solution: "true" },
          { id: "a", title: "A again", checks: [ok], solution: "true" },
        ]),
      ),
      [
        'step "a": two checks are named "Namespace shop exists"; pass { name } to tell them apart',
        'step "a": the id is used twice; give every step its own id',
      ],
    );
  });
});
