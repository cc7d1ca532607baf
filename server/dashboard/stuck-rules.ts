// When a learner looks stuck: too long on one step, or too many failed check runs on it.
// Either is a reason for the instructor to walk over; the dashboard shows which.
import type { StuckReason, StuckRules } from "./dashboard-protocol.ts";

/** Ten minutes on one step, or three failed Check presses on it. */
export const DEFAULT_STUCK_RULES: StuckRules = Object.freeze({ afterMs: 10 * 60_000, afterFailedChecks: 3 });

/** The limits an instructor may set: a minute to a day, one to a hundred failures. */
export const STUCK_RULE_LIMITS = Object.freeze({ minMs: 60_000, maxMs: 24 * 3_600_000, minFailures: 1, maxFailures: 100 });

/** Why a learner on a step for `onStepMs` with `failedOnStep` failed runs counts as stuck (empty: not stuck). */
export function stuckReasons(onStepMs: number, failedOnStep: number, rules: StuckRules): StuckReason[] {
  const reasons: StuckReason[] = [];
  if (onStepMs >= rules.afterMs) reasons.push("time");
  if (failedOnStep >= rules.afterFailedChecks) reasons.push("failures");
  return reasons;
}

/** When a learner who is not stuck by time will become so (for re-evaluating on a timer). */
export function stuckByTimeAt(currentSince: number, rules: StuckRules): number {
  return currentSince + rules.afterMs;
}
