// A lesson's steps file exports `steps = defineSteps([...])`. Mistakes (a duplicate id, a step
// without checks or without a solution) stop the import with the step and the fix named, so
// `verify`, the server and the editor all see the same error.
import { z } from "zod";
import type { Step } from "./check-types.ts";
import { StepsError } from "./steps-error.ts";

const STEP_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const checkSchema = z.object({
  name: z.string().trim().min(1, { error: "every check needs a name" }),
  run: z.custom<Step["checks"][number]["run"]>((value) => typeof value === "function", { error: "a check needs a run function" }),
});

const stepSchema = z.strictObject({
  id: z.string().regex(STEP_ID, { error: "the id must be lowercase letters, digits and dashes, e.g. id: \"label-namespace\"" }),
  title: z.string().trim().min(1, { error: "the title must be a short line of text" }).max(80, { error: "the title must be at most 80 characters" }),
  checks: z.array(checkSchema).min(1, { error: "a step needs at least one check, or nobody can tell it is done" }),
  hints: z.array(z.string().trim().min(1, { error: "a hint must not be empty" })).default([]),
  solution: z.string().trim().min(1, { error: "the solution must hold the commands a learner would type" }),
});

export type StepInput = z.input<typeof stepSchema>;

export function defineSteps(input: readonly StepInput[]): readonly Step[] {
  const problems: string[] = [];
  const steps: Step[] = [];
  input.forEach((raw, index) => {
    const parsed = stepSchema.safeParse(raw);
    const label = typeof (raw as { id?: unknown }).id === "string" ? `step "${(raw as { id: string }).id}"` : `step ${index + 1}`;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${label}: ${issue.path.length > 0 ? `field "${issue.path.join(".")}" ` : ""}${issue.message}`);
      return;
    }
    // The checks stay the author's own objects (zod would copy them).
    steps.push({ ...parsed.data, checks: (raw as { checks: Step["checks"] }).checks });
  });
  const seen = new Set<string>();
  for (const step of steps) {
    if (seen.has(step.id)) problems.push(`step "${step.id}": the id is used twice; give every step its own id`);
    seen.add(step.id);
    const names = new Set<string>();
    for (const { name } of step.checks) {
      if (names.has(name)) problems.push(`step "${step.id}": two checks are named "${name}"; pass { name } to tell them apart`);
      names.add(name);
    }
  }
  if (problems.length > 0) throw new StepsError("STEPS_INVALID", problems);
  return steps;
}
