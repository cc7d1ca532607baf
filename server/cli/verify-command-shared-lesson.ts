// How `verify --kubeconfig` sees a lesson on a shared cluster, where the learner owns one
// namespace: each step the lesson declares cluster-scoped (`sandbox.clusterSteps`) is proven
// in its read-only form (the instructor did it for the room, so its checks must already
// pass, and the command that shows its result must succeed; the solution's namespace-scoped
// commands, if it has any besides, run first), and shown outputs are run but
// not compared, since the learner's namespace is not `default` (its name differs, it lacks
// `default`'s own objects such as the `kubernetes` Service); outputs are compared on the
// embedded sandbox. A step that is not declared but whose solution is cluster-scoped is a
// mistake in the lesson, named as such.
import { isClusterScopedCommand } from "../../src/lessons/cluster-scoped-command.ts";
import { namespaceScopedScript } from "../providers/sandbox-start.ts";
import type { Lesson } from "../checks/load-lesson.ts";
import type { LessonReport, VerifyFailure } from "../checks/verify-lesson.ts";

export interface SharedClusterLesson {
  lesson: Lesson;
  /** Mistakes in the lesson's declaration, found before anything runs. */
  problems: VerifyFailure[];
  /** Drops what the read-only form makes expected (checks that pass before the step). */
  adjust(report: LessonReport): LessonReport;
}

export function sharedClusterLesson(lesson: Lesson, clusterSteps: Readonly<Record<string, string>>): SharedClusterLesson {
  const ids = new Set(lesson.steps.map((step) => step.id));
  const problems: VerifyFailure[] = [];
  for (const id of Object.keys(clusterSteps)) {
    if (!ids.has(id)) {
      problems.push({ code: "lesson-invalid", lesson: lesson.slug, message: `sandbox.clusterSteps names step "${id}", which the lesson's steps.ts does not define (steps: ${[...ids].join(", ") || "none"})` });
    }
  }
  for (const step of lesson.steps) {
    if (clusterSteps[step.id] === undefined && isClusterScopedCommand(step.solution)) {
      problems.push({
        code: "lesson-invalid",
        lesson: lesson.slug,
        step: step.id,
        command: step.solution,
        message: `step "${step.id}" needs cluster-wide rights (its solution installs Istio, changes a namespace, istio-system or CRDs); add it to sandbox.clusterSteps with the command that shows its result`,
      });
    }
  }
  // A step may mix the instructor's part with the learner's (install the Gateway API's CRDs,
  // then apply a Gateway): the learner's part still runs, then the command that shows the result.
  const steps = lesson.steps.map((step) => {
    const see = clusterSteps[step.id];
    if (see === undefined) return step;
    const { script, skipped } = namespaceScopedScript(step.solution);
    const learnersPart = script.split("\n").some((line) => line.trim() !== "" && !line.trim().startsWith("#"));
    return { ...step, solution: learnersPart && skipped.length > 0 ? `${script}\n${see}` : see };
  });
  const shown = lesson.shown
    .filter((block) => block.step === undefined || clusterSteps[block.step] === undefined)
    .map((block) => ({
      ...block,
      commands: block.commands.filter((shown) => !isClusterScopedCommand(shown.command)).map((shown) => ({ ...shown, output: undefined })),
    }))
    .filter((block) => block.commands.length > 0);
  return {
    lesson: { ...lesson, steps, shown },
    problems,
    adjust(report) {
      const failures = report.failures.filter(
        (failure) => !(failure.code === "check-passes-before-solution" && failure.step !== undefined && clusterSteps[failure.step] !== undefined),
      );
      const failedSteps = new Set(failures.map((failure) => failure.step));
      const stepReports = report.steps.map((step) => {
        const status = step.status === "failed" && !failedSteps.has(step.id) ? ("passed" as const) : step.status;
        // The report says which steps were proven in their read-only form.
        const title = clusterSteps[step.id] === undefined ? step.title : `${step.title} (the instructor's; read-only)`;
        return { ...step, status, title };
      });
      return { ...report, failures, steps: stepReports, passed: failures.length === 0 };
    },
  };
}
