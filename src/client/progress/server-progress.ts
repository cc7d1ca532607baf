/**
 * The learner's progress as the server keeps it (GET /api/progress), and what the pages make
 * of it: which steps of a lesson are done, and where the learner stopped.
 */
export interface ServerStep {
  lesson: string;
  step: string;
  startedAt: number | null;
  completedAt: number | null;
  spentMs: number | null;
  source: "checks" | "page" | null;
}

export interface ServerProgress {
  learner: { displayName: string | null } | null;
  steps: ServerStep[];
}

export interface LessonStanding {
  /** Completed step ids, in the order they were completed. */
  completed: string[];
  /** The step the learner completed last, if any. */
  lastCompleted: string | undefined;
  /** The first step (in lesson order) not completed yet; undefined when all are, or the order is unknown. */
  next: string | undefined;
}

/** Where the learner stands in `lesson`; `order` is the lesson's step ids when the page knows them. */
export function lessonStanding(progress: ServerProgress, lesson: string, order: readonly string[] = []): LessonStanding {
  const completed = progress.steps
    .filter((s) => s.lesson === lesson && s.completedAt !== null)
    .sort((a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0))
    .map((s) => s.step);
  const done = new Set(completed);
  return { completed, lastCompleted: completed.at(-1), next: order.find((id) => !done.has(id)) };
}

/** The home page's short status of a lesson: "Done", "2 steps done" or "Not started". */
export function lessonStatusLabel(markedDone: boolean, standing: LessonStanding): string {
  if (markedDone) return "Done";
  const count = standing.completed.length;
  if (count === 0) return "Not started";
  return count === 1 ? "1 step done" : `${count} steps done`;
}

/** Reads and validates a GET /api/progress answer; anything unexpected reads as no progress. */
export function parseServerProgress(json: unknown): ServerProgress {
  const empty: ServerProgress = { learner: null, steps: [] };
  if (typeof json !== "object" || json === null) return empty;
  const { learner, steps } = json as { learner?: unknown; steps?: unknown };
  const name = typeof learner === "object" && learner !== null ? (learner as { displayName?: unknown }).displayName : undefined;
  return {
    learner: typeof learner === "object" && learner !== null ? { displayName: typeof name === "string" ? name : null } : null,
    steps: Array.isArray(steps)
      ? steps.filter(
          (s): s is ServerStep =>
            typeof s === "object" && s !== null && typeof (s as ServerStep).lesson === "string" && typeof (s as ServerStep).step === "string",
        ).map((s) => ({
          lesson: s.lesson,
          step: s.step,
          startedAt: typeof s.startedAt === "number" ? s.startedAt : null,
          completedAt: typeof s.completedAt === "number" ? s.completedAt : null,
          spentMs: typeof s.spentMs === "number" ? s.spentMs : null,
          source: s.source === "checks" || s.source === "page" ? s.source : null,
        }))
      : [],
  };
}
