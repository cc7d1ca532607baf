// Proves one lesson in one fresh sandbox, the way a learner would go through it: for each
// step its checks must fail, its solution must run, its checks must then pass and the
// outputs the lesson shows for it must still be what the commands print.
import { join, relative } from "node:path";
import type { CheckResult, CheckTarget, Step } from "./check-types.ts";
import type { Lesson } from "./load-lesson.ts";
import { matchOutput } from "./match-output.ts";
import { runChecks } from "./run-checks.ts";
import type { ShownBlock } from "./shown-outputs.ts";

export type VerifyFailureCode =
  | "check-passes-before-solution"
  | "check-fails-after-solution"
  | "check-error"
  | "solution-failed"
  | "shown-output-drifted"
  | "shown-command-failed"
  | "sandbox-failed"
  | "lesson-invalid";

export interface VerifyFailure {
  code: VerifyFailureCode;
  lesson: string;
  step?: string;
  check?: string;
  /** The command that failed or printed something else. */
  command?: string;
  message: string;
  expected?: string;
  actual?: string;
}

export interface StepReport {
  id: string;
  title: string;
  status: "passed" | "failed" | "skipped";
  durationMs: number;
}

export interface LessonReport {
  lesson: string;
  title: string;
  /** Nothing failed; true also for a lesson skipped on purpose. */
  passed: boolean;
  /** Why the lesson was not run here, e.g. it needs a cluster of its own and verify ran on a shared one. */
  skipped?: string;
  durationMs: number;
  steps: StepReport[];
  failures: VerifyFailure[];
}

export interface VerifyLessonOptions {
  /** How long checks may take to pass after a solution ran (pods start, config spreads). Default 30 s. */
  settleMs?: number;
  /** Pause between attempts while settling. Default 250 ms. */
  pollMs?: number;
  /** Per-check time limit. Default 20 s. */
  checkTimeoutMs?: number;
  signal?: AbortSignal;
}

export async function verifyLesson(lesson: Lesson, target: CheckTarget, options: VerifyLessonOptions = {}): Promise<LessonReport> {
  const started = performance.now();
  const failures: VerifyFailure[] = [];
  const steps: StepReport[] = [];
  // Reports name the file as the author would type it.
  const mdx = relative(process.cwd(), join(lesson.dir, "index.mdx"));

  for (const block of lesson.shown.filter((shown) => shown.step === undefined)) {
    failures.push(...(await verifyShown(lesson.slug, mdx, undefined, block, target)));
  }
  let stopped = false;
  for (const step of lesson.steps) {
    if (stopped) {
      steps.push({ id: step.id, title: step.title, status: "skipped", durationMs: 0 });
      continue;
    }
    const stepStarted = performance.now();
    const before = failures.length;
    const outcome = await verifyStep(lesson, step, target, options);
    failures.push(...outcome.failures);
    if (outcome.solutionFailed) stopped = true;
    else {
      for (const block of lesson.shown.filter((shown) => shown.step === step.id)) {
        failures.push(...(await verifyShown(lesson.slug, mdx, step.id, block, target)));
      }
    }
    steps.push({ id: step.id, title: step.title, status: failures.length > before ? "failed" : "passed", durationMs: performance.now() - stepStarted });
  }
  return { lesson: lesson.slug, title: lesson.title, passed: failures.length === 0, durationMs: performance.now() - started, steps, failures };
}

async function verifyStep(
  lesson: Lesson,
  step: Step,
  target: CheckTarget,
  options: VerifyLessonOptions,
): Promise<{ failures: VerifyFailure[]; solutionFailed: boolean }> {
  const at = { lesson: lesson.slug, step: step.id };
  const failures: VerifyFailure[] = [];
  const checkOptions = { ...(options.checkTimeoutMs !== undefined ? { timeoutMs: options.checkTimeoutMs } : {}), ...(options.signal ? { signal: options.signal } : {}) };

  // A check that already passes before the learner did anything cannot tell them they are done.
  for (const result of await runChecks(step.checks, target, checkOptions)) {
    if (result.status === "passed") {
      failures.push({
        ...at,
        code: "check-passes-before-solution",
        check: result.check,
        message: `check "${result.check}" passes before the step's solution ran, so it cannot tell whether the learner did the step`,
      });
    } else if (result.status === "error") {
      failures.push(checkError(at, result, "before the solution"));
    }
  }

  const solution = await target.run(step.solution, options.signal ? { signal: options.signal } : {});
  if (solution.exitCode !== 0) {
    failures.push({
      ...at,
      code: "solution-failed",
      command: step.solution,
      message: `the solution exited with status ${solution.exitCode}; the steps after it were not run`,
      actual: `${solution.stdout}${solution.stderr}`,
    });
    return { failures, solutionFailed: true };
  }

  const results = await settle(step, target, options, checkOptions);
  for (const result of results) {
    if (result.status === "failed") {
      failures.push({
        ...at,
        code: "check-fails-after-solution",
        check: result.check,
        message: `check "${result.check}" still fails after the solution ran: ${result.message ?? ""}`,
        actual: `${solution.stdout}${solution.stderr}`,
      });
    } else if (result.status === "error") {
      failures.push(checkError(at, result, "after the solution"));
    }
  }
  return { failures, solutionFailed: false };
}

function checkError(at: { lesson: string; step: string }, result: CheckResult, when: string): VerifyFailure {
  return { ...at, code: "check-error", check: result.check, message: `check "${result.check}" could not finish ${when} (${result.code ?? "error"}): ${result.message ?? ""}` };
}

// Checks run again until all pass: on a real cluster a solution's effects take a while.
async function settle(step: Step, target: CheckTarget, options: VerifyLessonOptions, checkOptions: { timeoutMs?: number; signal?: AbortSignal }): Promise<CheckResult[]> {
  const deadline = performance.now() + (options.settleMs ?? 30_000);
  for (;;) {
    const results = await runChecks(step.checks, target, checkOptions);
    if (results.every((result) => result.status === "passed") || performance.now() >= deadline || options.signal?.aborted) return results;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
}

async function verifyShown(lesson: string, mdx: string, step: string | undefined, block: ShownBlock, target: CheckTarget): Promise<VerifyFailure[]> {
  const failures: VerifyFailure[] = [];
  for (const shown of block.commands) {
    const result = await target.run(shown.command);
    const printed = `${result.stdout}${result.stderr}`;
    const where = { lesson, ...(step !== undefined ? { step } : {}), command: shown.command };
    if (shown.output === undefined) {
      if (result.exitCode !== 0) {
        failures.push({ ...where, code: "shown-command-failed", message: `${mdx}:${shown.line}: the command exited with status ${result.exitCode}`, actual: printed });
      }
      continue;
    }
    const match = matchOutput(shown.output, printed, { unordered: block.unordered });
    if (!match.matched) {
      const { line, expected, actual } = match.mismatch;
      failures.push({
        ...where,
        code: "shown-output-drifted",
        message:
          `${mdx}:${shown.line}: the output shown differs from what the command prints ` +
          `(shown line ${line}: ${JSON.stringify(expected)}, printed: ${actual === undefined ? "nothing more" : JSON.stringify(actual)})`,
        expected: shown.output,
        actual: printed,
      });
    }
  }
  return failures;
}
