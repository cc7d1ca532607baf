// What happens in the product, turned into webhook events and queued in the outbox:
//
//   session.started   a learner's sandbox session was created (POST /api/sessions)
//   step.completed    a step passed for the first time (by the checks or the learner's page)
//   lesson.completed  every step of a lesson (lessons/<id>/steps.ts) has passed
//
// Each is queued synchronously, before the request that caused it is answered. Event ids of
// completions are derived from what they describe, so the same completion recorded twice
// (a page that retries after a crash) is queued once.
import { createHash, createHmac, randomBytes } from "node:crypto";
import type { Logger } from "../log/logger.ts";
import type { StepCompletion, StepProgress } from "../progress/progress-store.ts";
import type { WebhookOutbox } from "./webhook-outbox.ts";

export const WEBHOOK_EVENT_TYPES = ["session.started", "step.completed", "lesson.completed"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The JSON body of every delivery. */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType;
  /** When it happened, ISO 8601. */
  time: string;
  /** null for a session opened by a browser that has no learner cookie yet. */
  learner: { id: string; displayName: string | null } | null;
  workshop: { id: string; title: string } | null;
  lesson: string | null;
  step: string | null;
  session: string | null;
}

export interface WebhookEventsOptions {
  outbox: WebhookOutbox;
  urls: readonly string[];
  /** WEBHOOK_SECRET: also keys the learner ids in events, so they are not the cookie's ids. */
  secret: string;
  /** The step ids of a lesson, or undefined for a lesson that does not exist. */
  lessonSteps: (lesson: string) => Promise<readonly string[] | undefined>;
  /** The learner's steps, to tell when a lesson is complete. */
  progressOf: (learnerId: string) => readonly StepProgress[];
  logger: Logger;
  /** Told after something was queued (the dispatcher sends it at once). */
  onQueued?: () => void;
  /** Deliveries waiting at most; beyond it new events are dropped and logged. Default 10 000. */
  maxPending?: number;
  now?: () => number;
}

// A completion recorded again within this time is treated as a retry of the first request,
// which may have crashed between writing the completion and queueing its event.
const REPEAT_WINDOW_MS = 60 * 60_000;

export class WebhookEvents {
  readonly #options: WebhookEventsOptions;
  readonly #now: () => number;
  readonly #steps = new Map<string, readonly string[] | null>();
  readonly #loading = new Map<string, Promise<readonly string[] | null>>();
  #dropped = 0;
  #closed = false;

  constructor(options: WebhookEventsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Events dropped because the outbox was full (since start). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Queues nothing more; a lesson still loading is not looked at once it arrives. */
  close(): void {
    this.#closed = true;
  }

  /** Loads lessons' step lists ahead of time, so lesson.completed is queued in the same request. */
  async warm(lessons: readonly string[]): Promise<void> {
    await Promise.all(lessons.map((lesson) => this.#load(lesson)));
  }

  sessionStarted(learnerId: string | undefined, sessionId: string): void {
    const at = this.#now();
    this.#queue({
      id: `evt_${randomBytes(16).toString("hex")}`,
      type: "session.started",
      time: new Date(at).toISOString(),
      ...this.#who(learnerId, undefined),
      lesson: null,
      step: null,
      session: sessionId,
    });
  }

  /** The ProgressTracker listener: a step passed (for the first time, or again). */
  stepPassed(learnerId: string, lesson: string, step: string, completion: StepCompletion): void {
    const completedAt = completion.progress.completedAt ?? this.#now();
    if (!completion.firstTime && this.#now() - completedAt > REPEAT_WINDOW_MS) return;
    this.#queue({
      id: derivedId("step.completed", learnerId, lesson, step, String(completedAt)),
      type: "step.completed",
      time: new Date(completedAt).toISOString(),
      ...this.#who(learnerId, lesson),
      lesson,
      step,
      session: null,
    });
    const known = this.#steps.get(lesson);
    if (known !== undefined) {
      this.#lessonIfComplete(learnerId, lesson, known);
      return;
    }
    // Not loaded yet (warm() still running, or a lesson no page warmed): decide shortly.
    this.#load(lesson).then(
      (steps) => this.#lessonIfComplete(learnerId, lesson, steps),
      (error: unknown) => this.#options.logger.error("lesson.completed could not be decided", { lesson, error }),
    );
  }

  #lessonIfComplete(learnerId: string, lesson: string, steps: readonly string[] | null): void {
    if (this.#closed || steps === null || steps.length === 0) return;
    const done = new Map<string, number>();
    for (const s of this.#options.progressOf(learnerId)) {
      if (s.lesson === lesson && s.completedAt !== undefined) done.set(s.step, s.completedAt);
    }
    if (!steps.every((id) => done.has(id))) return;
    const last = Math.max(...steps.map((id) => done.get(id) ?? 0));
    this.#queue({
      id: derivedId("lesson.completed", learnerId, lesson),
      type: "lesson.completed",
      time: new Date(last).toISOString(),
      ...this.#who(learnerId, lesson),
      lesson,
      step: null,
      session: null,
    });
  }

  #who(learnerId: string | undefined, lesson: string | undefined): Pick<WebhookEventBody, "learner" | "workshop"> {
    if (learnerId === undefined) return { learner: null, workshop: null };
    const context = this.#options.outbox.learnerContext(learnerId, lesson);
    const id = createHmac("sha256", this.#options.secret).update(`learner.${learnerId}`).digest("hex").slice(0, 32);
    return { learner: { id, displayName: context.displayName }, workshop: context.workshop };
  }

  #queue(body: WebhookEventBody): void {
    if (this.#closed) return;
    const queued = this.#options.outbox.enqueue(
      { id: body.id, type: body.type, body: JSON.stringify(body) },
      this.#options.urls,
      this.#now(),
      this.#options.maxPending ?? 10_000,
    );
    if (!queued) {
      this.#dropped++;
      this.#options.logger.warn("webhook outbox full, event dropped", { type: body.type, event: body.id, dropped: this.#dropped });
      return;
    }
    this.#options.onQueued?.();
  }

  #load(lesson: string): Promise<readonly string[] | null> {
    let loading = this.#loading.get(lesson);
    if (loading === undefined) {
      loading = this.#options.lessonSteps(lesson).then(
        (steps) => {
          this.#steps.set(lesson, steps ?? null);
          return steps ?? null;
        },
        (error: unknown) => {
          // A broken lesson is tried again on its next completion.
          this.#loading.delete(lesson);
          throw error;
        },
      );
      this.#loading.set(lesson, loading);
    }
    return loading;
  }
}

function derivedId(...parts: string[]): string {
  return `evt_${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32)}`;
}
