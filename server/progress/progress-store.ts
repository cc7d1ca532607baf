// What the server keeps about learners and their progress, as an interface small enough for
// a second implementation (PostgreSQL, for several servers behind one balancer) to follow.
// Times are milliseconds since the epoch. A write method returns only once the write is
// durable, so an answer sent after it is a promise that the data survives a crash.

export interface Learner {
  readonly id: string;
  /** Chosen by the learner; plain text, shown only through textContent. */
  readonly displayName: string | undefined;
  readonly createdAt: number;
}

/** Who said the step passed: the server's own checks run, or the learner's page. */
export type CompletionSource = "checks" | "page";

export interface StepProgress {
  readonly lesson: string;
  readonly step: string;
  /** When the learner first had this step in front of them, if the page said so. */
  readonly startedAt: number | undefined;
  readonly completedAt: number | undefined;
  /** completedAt − startedAt, when both are known. */
  readonly spentMs: number | undefined;
  /** "checks" once any completion came from the server's checks. */
  readonly source: CompletionSource | undefined;
}

export interface StepCompletion {
  readonly progress: StepProgress;
  /** False when the step had been completed before (the first completion time is kept). */
  readonly firstTime: boolean;
}

/** How often a step's checks failed for a learner (runs where any check did not pass). */
export interface CheckFailures {
  readonly lesson: string;
  readonly step: string;
  readonly failures: number;
  readonly lastFailedAt: number;
}

export interface ProgressStore {
  /** Creates the learner, or returns the existing one with that id. */
  ensureLearner(id: string, at: number): Learner;
  learner(id: string): Learner | undefined;
  setDisplayName(id: string, displayName: string | undefined): Learner;
  /** Remembers when a step was first shown; later calls keep the first time. */
  recordStepStarted(learnerId: string, lesson: string, step: string, at: number): StepProgress;
  /** Idempotent: the first completion time (and its time spent) is kept. */
  recordStepPassed(learnerId: string, lesson: string, step: string, at: number, source: CompletionSource): StepCompletion;
  /** Every step this learner started or completed, oldest activity first. */
  progressOf(learnerId: string): StepProgress[];
  /** Counts one failed check run of the step; returns the step's count after it. */
  recordCheckFailed(learnerId: string, lesson: string, step: string, at: number): CheckFailures;
  /** The failed check runs of every step this learner has failed at least once. */
  checkFailuresOf(learnerId: string): CheckFailures[];
  close(): void;
}

/** A learner that does not exist, a store used after close, a database from a newer release. */
export class ProgressError extends Error {
  readonly code: "LEARNER_NOT_FOUND" | "STORE_CLOSED" | "SCHEMA_TOO_NEW";

  constructor(code: ProgressError["code"], message: string) {
    super(message);
    this.name = "ProgressError";
    this.code = code;
  }
}
