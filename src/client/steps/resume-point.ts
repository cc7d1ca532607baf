// Where a returning learner picks a lesson up again: which of its steps the server says they
// passed, the first one still to do, and the sentence the steps panel shows about it.

export interface StepSummary {
  id: string;
  title: string;
}

export interface ResumePoint {
  /** Ids of the lesson's steps already passed, in lesson order. */
  done: string[];
  /** Index of the first step not passed yet; undefined when every step is passed. */
  next: number | undefined;
  /** What the panel says about it; undefined when nothing was passed yet (nothing to resume). */
  message: string | undefined;
}

/** The panel's line once every step is passed, whether on return or just now. */
export function lessonCompleteMessage(stepCount: number): string {
  return stepCount === 1 ? "Lesson complete: its step has passed." : `Lesson complete: all ${stepCount} steps have passed.`;
}

/**
 * `completed` may name steps a lesson no longer has (it was rewritten since) and may repeat
 * ids; only the lesson's current steps count.
 */
export function resumePoint(steps: readonly StepSummary[], completed: Iterable<string>): ResumePoint {
  const passed = new Set(completed);
  const done = steps.filter((step) => passed.has(step.id)).map((step) => step.id);
  const index = steps.findIndex((step) => !passed.has(step.id));
  const next = index === -1 ? undefined : index;
  if (steps.length === 0 || done.length === 0) return { done, next, message: undefined };
  if (next === undefined) return { done, next, message: lessonCompleteMessage(steps.length) };
  const step = steps[next];
  return { done, next, message: `You stopped at step ${next + 1}: ${step?.title ?? ""}.` };
}
