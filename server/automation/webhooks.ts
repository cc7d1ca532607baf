// Webhooks, assembled: the outbox in the progress database, the events the server reports,
// and the background dispatcher. main.ts starts this when WEBHOOK_URLS is set.
import type { IncomingHttpHeaders } from "node:http";
import { listLessons, loadLesson } from "../checks/load-lesson.ts";
import { StepsError } from "../checks/steps-error.ts";
import type { Logger } from "../log/logger.ts";
import type { ProgressTracker } from "../progress/progress-tracker.ts";
import { SqliteProgressStore } from "../progress/sqlite-progress-store.ts";
import { WebhookDispatcher, type WebhookDispatcherOptions } from "./webhook-dispatcher.ts";
import { WebhookEvents } from "./webhook-events.ts";
import { WebhookOutbox } from "./webhook-outbox.ts";

export interface WebhooksOptions {
  /** The progress database (DATA_DIR/progress.sqlite); the outbox is a table in it. */
  databaseFile: string;
  urls: readonly string[];
  secret: string;
  tracker: ProgressTracker;
  lessonsDir: string;
  logger: Logger;
  /** Tuning of the dispatcher (tests shorten the back-off). */
  delivery?: Omit<WebhookDispatcherOptions, "outbox" | "urls" | "secret" | "logger">;
  maxPending?: number;
  now?: () => number;
}

export interface Webhooks {
  readonly events: WebhookEvents;
  readonly outbox: WebhookOutbox;
  readonly dispatcher: WebhookDispatcher;
  /** For the sessions API: a session was created for the request's learner (if it has a cookie). */
  sessionStarted(headers: IncomingHttpHeaders, sessionId: string): void;
  /** Stops delivering (pending rows stay for the next start) and closes the outbox. */
  stop(): Promise<void>;
}

export function startWebhooks(options: WebhooksOptions): Webhooks {
  const { tracker, logger } = options;
  // Opening the store brings the schema up to date, so the outbox table exists whoever opens first.
  new SqliteProgressStore(options.databaseFile).close();
  const outbox = new WebhookOutbox(options.databaseFile);
  const dispatcher = new WebhookDispatcher({ ...options.delivery, outbox, urls: options.urls, secret: options.secret, logger, ...(options.now ? { now: options.now } : {}) });
  const events = new WebhookEvents({
    outbox,
    urls: options.urls,
    secret: options.secret,
    logger,
    progressOf: (learnerId) => tracker.progressOf(learnerId),
    lessonSteps: async (lesson) => {
      try {
        return (await loadLesson(options.lessonsDir, lesson)).steps.map((step) => step.id);
      } catch (error) {
        if (error instanceof StepsError && error.code === "LESSON_NOT_FOUND") return undefined;
        throw error;
      }
    },
    onQueued: () => dispatcher.kick(),
    ...(options.maxPending !== undefined ? { maxPending: options.maxPending } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const unsubscribe = tracker.onStepPassed((learnerId, lesson, step, completion) => {
    try {
      events.stepPassed(learnerId, lesson, step, completion);
    } catch (error) {
      logger.error("queueing a webhook event failed", { lesson, step, error });
    }
  });
  listLessons(options.lessonsDir)
    .then((lessons) => events.warm(lessons))
    .catch((error: unknown) => logger.warn("lessons for lesson.completed could not all be loaded ahead", { error }));
  dispatcher.start();
  logger.info("webhooks on", { receivers: options.urls.length, pending: outbox.counts().pending });

  let stopping: Promise<void> | undefined;
  return {
    events,
    outbox,
    dispatcher,
    sessionStarted(headers, sessionId) {
      try {
        events.sessionStarted(tracker.learnerIdOf(headers), sessionId);
      } catch (error) {
        logger.error("queueing a webhook event failed", { type: "session.started", error });
      }
    },
    stop() {
      stopping ??= (async () => {
        unsubscribe();
        events.close();
        await dispatcher.stop();
        outbox.close();
      })();
      return stopping;
    },
  };
}
