export type LessonContentErrorCode =
  | "lesson-frontmatter-invalid"
  | "lesson-prerequisite-unknown"
  | "lesson-prerequisite-cycle"
  | "lesson-order-duplicate";

/**
 * A lesson's content cannot be used as written. `problems` holds one sentence per problem,
 * each naming the file, the field and the fix; the message joins them for the build log.
 */
export class LessonContentError extends Error {
  readonly code: LessonContentErrorCode;
  readonly problems: readonly string[];

  constructor(code: LessonContentErrorCode, problems: readonly string[]) {
    super(
      problems.length === 1
        ? String(problems[0])
        : `${problems.length} problems in lesson content:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "LessonContentError";
    this.code = code;
    this.problems = problems;
  }
}
