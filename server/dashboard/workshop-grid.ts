// The dashboard's grid: learners × the workshop's steps, built from what the progress store
// holds. Pure: the caller reads the store and passes the clock, so the rules are testable
// without a server or a wait.
import { createHash } from "node:crypto";
import type { CheckFailures, StepProgress } from "../progress/progress-store.ts";
import type { Grid, GridCell, GridColumn, GridRow, StuckRules } from "./dashboard-protocol.ts";
import { stuckReasons } from "./stuck-rules.ts";

export interface GridMember {
  readonly learnerId: string;
  readonly displayName: string;
  readonly joinedAt: number;
}

export interface LearnerActivity {
  readonly steps: readonly StepProgress[];
  readonly failures: readonly CheckFailures[];
  readonly watchable: boolean;
}

export interface GridInput {
  readonly workshop: { readonly id: string; readonly title: string; readonly lessons: readonly string[] };
  readonly columns: readonly GridColumn[];
  readonly members: readonly GridMember[];
  activityOf(learnerId: string): LearnerActivity;
  readonly rules: StuckRules;
  readonly now: number;
}

export function buildGrid(input: GridInput): Grid {
  return {
    workshop: { id: input.workshop.id, title: input.workshop.title, lessons: [...input.workshop.lessons] },
    columns: input.columns,
    rows: input.members.map((member) => buildRow(input.columns, member, input.activityOf(member.learnerId), input.rules, input.now)),
    rules: input.rules,
    serverNow: input.now,
  };
}

/**
 * One learner's row. The current step is the most recently started step not yet done; when
 * the page never said which step is in front of them, it is the first step not done after the
 * last one done, in view since that completion (or since they joined).
 */
export function buildRow(columns: readonly GridColumn[], member: GridMember, activity: LearnerActivity, rules: StuckRules, now: number): GridRow {
  const progress = new Map(activity.steps.map((s) => [cellKey(s.lesson, s.step), s]));
  const failures = new Map(activity.failures.map((f) => [cellKey(f.lesson, f.step), f.failures]));
  const base = columns.map((column) => {
    const step = progress.get(cellKey(column.lesson, column.step));
    return {
      completedAt: step?.completedAt ?? null,
      startedAt: step?.startedAt ?? null,
      spentMs: step?.spentMs ?? null,
      failedChecks: failures.get(cellKey(column.lesson, column.step)) ?? 0,
    };
  });

  let current: number | null = null;
  let currentSince: number | null = null;
  base.forEach((cell, index) => {
    if (cell.completedAt !== null || cell.startedAt === null) return;
    if (currentSince === null || cell.startedAt > currentSince) {
      current = index;
      currentSince = cell.startedAt;
    }
  });
  if (current === null) {
    let lastDone = -1;
    let lastDoneAt = member.joinedAt;
    base.forEach((cell, index) => {
      if (cell.completedAt === null) return;
      lastDone = Math.max(lastDone, index);
      lastDoneAt = Math.max(lastDoneAt, cell.completedAt);
    });
    const after = base.findIndex((cell, index) => index > lastDone && cell.completedAt === null);
    const next = after >= 0 ? after : base.findIndex((cell) => cell.completedAt === null);
    if (next >= 0) {
      current = next;
      currentSince = lastDoneAt;
    }
  }

  const cells: GridCell[] = base.map((cell, index) => ({
    state: cell.completedAt !== null ? "done" : index === current ? "current" : "todo",
    completedAt: cell.completedAt,
    spentMs: cell.spentMs,
    failedChecks: cell.failedChecks,
  }));
  const failedOnCurrent = current === null ? 0 : (base[current]?.failedChecks ?? 0);
  const since: number | null = currentSince;
  return {
    key: learnerKey(member.learnerId),
    displayName: member.displayName,
    joinedAt: member.joinedAt,
    done: cells.filter((cell) => cell.state === "done").length,
    current,
    currentSince: since,
    failedChecks: base.reduce((sum, cell) => sum + cell.failedChecks, 0),
    failedOnCurrent,
    stuck: current === null || since === null ? [] : stuckReasons(Math.max(0, now - since), failedOnCurrent, rules),
    watchable: activity.watchable,
    cells,
  };
}

/**
 * How the dashboard names a learner: a digest of the id, so the page (and an exported file)
 * never holds the id that, with the cookie's signature, is the learner's identity.
 */
export function learnerKey(learnerId: string): string {
  return createHash("sha256").update(`dashboard:${learnerId}`).digest("base64url").slice(0, 22);
}

function cellKey(lesson: string, step: string): string {
  return `${lesson}\u0000${step}`;
}
