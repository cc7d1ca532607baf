// The one object the rest of the server talks to about progress: it ties the signed cookie
// to the store. The HTTP API uses it, and so does the checks path, which records a
// completion when a step's checks pass for the learner behind the request.
import type { IncomingHttpHeaders } from "node:http";
import { LearnerCookie } from "./learner-cookie.ts";
import type { CheckFailures, CompletionSource, Learner, ProgressStore, StepCompletion, StepProgress } from "./progress-store.ts";

export interface ProgressTrackerOptions {
  store: ProgressStore;
  cookie: LearnerCookie;
  now?: () => number;
}

/**
 * Told synchronously after a completion was written, before the request that caused it is
 * answered; webhooks queue their events here so an acknowledged completion is never without
 * its event. Listeners must be quick and must not throw.
 */
export type StepPassedListener = (learnerId: string, lesson: string, step: string, completion: StepCompletion) => void;

/** Told after a step's start or a failed check run was written (the live dashboard listens). */
export type StepStartedListener = (learnerId: string, progress: StepProgress) => void;
export type CheckFailedListener = (learnerId: string, failures: CheckFailures) => void;

export class ProgressTracker {
  readonly #store: ProgressStore;
  readonly #stepPassedListeners = new Set<StepPassedListener>();
  readonly #stepStartedListeners = new Set<StepStartedListener>();
  readonly #checkFailedListeners = new Set<CheckFailedListener>();
  readonly #cookie: LearnerCookie;
  readonly #now: () => number;

  constructor(options: ProgressTrackerOptions) {
    this.#store = options.store;
    this.#cookie = options.cookie;
    this.#now = options.now ?? Date.now;
  }

  /** The learner id the request's signed cookie names, if any (unsigned or forged: none). */
  learnerIdOf(headers: IncomingHttpHeaders): string | undefined {
    return this.#cookie.learnerIdFrom(headers.cookie);
  }

  /**
   * The request's learner, created on first use. `setCookie` is the header to send when the
   * request had no valid cookie (or to renew it), otherwise undefined.
   */
  learnerFor(headers: IncomingHttpHeaders, secure: boolean): { learner: Learner; setCookie: string } {
    const id = this.learnerIdOf(headers) ?? LearnerCookie.newLearnerId();
    const learner = this.#store.ensureLearner(id, this.#now());
    return { learner, setCookie: this.#cookie.setCookieHeader(id, secure) };
  }

  learner(id: string): Learner | undefined {
    return this.#store.learner(id);
  }

  setDisplayName(learnerId: string, displayName: string | undefined): Learner {
    return this.#store.setDisplayName(learnerId, displayName);
  }

  recordStepStarted(learnerId: string, lesson: string, step: string): StepProgress {
    this.#store.ensureLearner(learnerId, this.#now());
    const progress = this.#store.recordStepStarted(learnerId, lesson, step, this.#now());
    for (const listener of this.#stepStartedListeners) listener(learnerId, progress);
    return progress;
  }

  onStepStarted(listener: StepStartedListener): () => void {
    this.#stepStartedListeners.add(listener);
    return () => this.#stepStartedListeners.delete(listener);
  }

  /** Counts a failed check run of `step` for this learner; durable when it returns. */
  recordCheckFailed(learnerId: string, lesson: string, step: string): CheckFailures {
    this.#store.ensureLearner(learnerId, this.#now());
    const failures = this.#store.recordCheckFailed(learnerId, lesson, step, this.#now());
    for (const listener of this.#checkFailedListeners) listener(learnerId, failures);
    return failures;
  }

  /** For the checks path: counts the failure for the learner behind the request, if any. */
  recordCheckFailedFor(headers: IncomingHttpHeaders, lesson: string, step: string): CheckFailures | undefined {
    const id = this.learnerIdOf(headers);
    return id === undefined ? undefined : this.recordCheckFailed(id, lesson, step);
  }

  onCheckFailed(listener: CheckFailedListener): () => void {
    this.#checkFailedListeners.add(listener);
    return () => this.#checkFailedListeners.delete(listener);
  }

  checkFailuresOf(learnerId: string): CheckFailures[] {
    return this.#store.checkFailuresOf(learnerId);
  }

  /**
   * Records that `step` of `lesson` passed for this learner; durable when it returns.
   * Idempotent: the first completion's time is kept.
   */
  recordStepPassed(learnerId: string, lesson: string, step: string, source: CompletionSource = "checks"): StepCompletion {
    this.#store.ensureLearner(learnerId, this.#now());
    const completion = this.#store.recordStepPassed(learnerId, lesson, step, this.#now(), source);
    for (const listener of this.#stepPassedListeners) listener(learnerId, lesson, step, completion);
    return completion;
  }

  /** Calls `listener` after every recorded completion (first or repeated); returns an unsubscribe. */
  onStepPassed(listener: StepPassedListener): () => void {
    this.#stepPassedListeners.add(listener);
    return () => this.#stepPassedListeners.delete(listener);
  }

  /** For the checks path: records the completion for the learner behind the request, if any. */
  recordStepPassedFor(headers: IncomingHttpHeaders, lesson: string, step: string): StepCompletion | undefined {
    const id = this.learnerIdOf(headers);
    return id === undefined ? undefined : this.recordStepPassed(id, lesson, step, "checks");
  }

  progressOf(learnerId: string): StepProgress[] {
    return this.#store.progressOf(learnerId);
  }

  close(): void {
    this.#store.close();
  }
}
