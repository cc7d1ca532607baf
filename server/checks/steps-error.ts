export type StepsErrorCode = "STEPS_INVALID" | "LESSON_NOT_FOUND" | "LESSON_INVALID";

/** A lesson's steps or shown outputs cannot be used as written; `problems` names each fix. */
export class StepsError extends Error {
  readonly code: StepsErrorCode;
  readonly problems: readonly string[];

  constructor(code: StepsErrorCode, problems: readonly string[]) {
    super(problems.length === 1 ? String(problems[0]) : problems.map((problem) => `- ${problem}`).join("\n"));
    this.name = "StepsError";
    this.code = code;
    this.problems = problems;
  }
}
