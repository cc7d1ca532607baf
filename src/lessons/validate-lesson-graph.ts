import { LessonContentError } from "./lesson-content-error.ts";

export type LessonGraphEntry = {
  id: string;
  /** Path the author knows, e.g. `lessons/welcome/index.mdx`. */
  file: string;
  order: number;
  prerequisites: readonly string[];
};

/**
 * Checks what no single lesson's frontmatter can: every prerequisite names an existing lesson,
 * prerequisites never loop, and no two lessons claim the same place in the list.
 * Throws a LessonContentError listing every problem of the first kind found.
 */
export function validateLessonGraph(lessons: readonly LessonGraphEntry[]): void {
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  const ids = [...byId.keys()].sort();

  const unknown = lessons.flatMap((lesson) =>
    lesson.prerequisites
      .filter((id) => !byId.has(id))
      .map(
        (id) =>
          `${lesson.file}: frontmatter field "prerequisites" names "${id}", which is not a lesson; ` +
          `use the folder name of a lesson under lessons/ (existing: ${ids.join(", ")})`,
      ),
  );
  if (unknown.length > 0) throw new LessonContentError("lesson-prerequisite-unknown", unknown);

  const selfOrCycle = findCycle(lessons, byId);
  if (selfOrCycle) {
    const first = byId.get(selfOrCycle[0] ?? "");
    throw new LessonContentError("lesson-prerequisite-cycle", [
      `${first?.file ?? "lessons"}: frontmatter field "prerequisites" makes a loop ` +
        `(${selfOrCycle.join(" → ")}); a lesson cannot require itself, even through other lessons, ` +
        `so remove one of these prerequisites`,
    ]);
  }

  const byOrder = new Map<number, LessonGraphEntry[]>();
  for (const lesson of lessons) byOrder.set(lesson.order, [...(byOrder.get(lesson.order) ?? []), lesson]);
  const clashes = [...byOrder.values()]
    .filter((group) => group.length > 1)
    .map(
      (group) =>
        `${group.map((l) => l.file).join(" and ")}: frontmatter field "order" is ${group[0]?.order} in each; ` +
        `give every lesson its own order number so the list has one sequence`,
    );
  if (clashes.length > 0) throw new LessonContentError("lesson-order-duplicate", clashes);
}

// Depth-first search; returns the ids along the first loop found, closing back on its start.
function findCycle(
  lessons: readonly LessonGraphEntry[],
  byId: ReadonlyMap<string, LessonGraphEntry>,
): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];

  const visit = (id: string): string[] | undefined => {
    const at = onPath.indexOf(id);
    if (at !== -1) return [...onPath.slice(at), id];
    if (done.has(id)) return undefined;
    onPath.push(id);
    for (const next of byId.get(id)?.prerequisites ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    onPath.pop();
    done.add(id);
    return undefined;
  };

  for (const lesson of lessons) {
    const cycle = visit(lesson.id);
    if (cycle) return cycle;
  }
  return undefined;
}
