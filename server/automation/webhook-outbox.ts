// Webhook events on disk until their receivers have them: the `webhook_outbox` table of the
// progress database (schema in server/progress/progress-migrations.ts), one row per event and
// receiver. A row is written (and fsynced, synchronous=FULL) before the learner's request
// that caused the event is answered, so an acknowledged event is delivered at least once
// even after a crash. This class holds its own connection to the file; WAL lets it write
// beside the progress store's connection.
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** An event as sent: the JSON body is fixed when the event happens, signed when it is sent. */
export interface OutboxEvent {
  readonly id: string;
  readonly type: string;
  readonly body: string;
}

export interface OutboxDelivery extends OutboxEvent {
  readonly url: string;
  readonly attempts: number;
}

export interface OutboxCounts {
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
}

/** Thrown when the outbox is used after close. */
export class OutboxError extends Error {
  readonly code = "OUTBOX_CLOSED";

  constructor() {
    super("The webhook outbox is closed.");
    this.name = "OutboxError";
  }
}

export class WebhookOutbox {
  readonly #db: DatabaseSync;
  readonly #statements: Record<
    "insert" | "due" | "delivered" | "retry" | "failed" | "counts" | "pending" | "prune" | "learner" | "workshop",
    StatementSync
  >;
  #closed = false;

  /**
   * Opens the progress database at `file`. The store must have been opened (and migrated)
   * first; this class never changes the schema.
   */
  constructor(file: string) {
    this.#db = new DatabaseSync(file, { timeout: 5000 });
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
    const prepare = (sql: string) => this.#db.prepare(sql);
    this.#statements = {
      // The same event for the same receiver is kept once: a repeated completion is not resent.
      insert: prepare(
        `INSERT INTO webhook_outbox (event_id, url, type, body, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (event_id, url) DO NOTHING`,
      ),
      due: prepare(
        `SELECT event_id, url, type, body, attempts FROM webhook_outbox
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
         ORDER BY next_attempt_at, created_at LIMIT ?`,
      ),
      delivered: prepare("UPDATE webhook_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE event_id = ? AND url = ?"),
      retry: prepare("UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE event_id = ? AND url = ?"),
      failed: prepare("UPDATE webhook_outbox SET attempts = attempts + 1, failed_at = ?, last_error = ? WHERE event_id = ? AND url = ?"),
      counts: prepare(
        `SELECT sum(delivered_at IS NULL AND failed_at IS NULL) AS pending, sum(delivered_at IS NOT NULL) AS delivered,
                sum(failed_at IS NOT NULL) AS failed FROM webhook_outbox`,
      ),
      pending: prepare("SELECT count(*) AS n FROM webhook_outbox WHERE delivered_at IS NULL AND failed_at IS NULL"),
      prune: prepare("DELETE FROM webhook_outbox WHERE coalesce(delivered_at, failed_at) < ?"),
      learner: prepare("SELECT display_name FROM learners WHERE id = ?"),
      workshop: prepare(
        `SELECT w.id, w.title, w.lessons FROM workshop_members m JOIN workshops w ON w.id = m.workshop_id
         WHERE m.learner_id = ? ORDER BY m.joined_at DESC`,
      ),
    };
  }

  /**
   * Queues `event` for each of `urls`, durably, unless more than `maxPending` deliveries are
   * already waiting (then nothing is queued and false is returned).
   */
  enqueue(event: OutboxEvent, urls: readonly string[], at: number, maxPending: number): boolean {
    this.#open();
    if (urls.length === 0) return true;
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const { n } = this.#statements.pending.get() as { n: number };
      if (Number(n) + urls.length > maxPending) {
        this.#db.exec("ROLLBACK");
        return false;
      }
      for (const url of urls) this.#statements.insert.run(event.id, url, event.type, event.body, at);
      this.#db.exec("COMMIT");
      return true;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Deliveries whose time has come, oldest first. */
  due(at: number, limit: number): OutboxDelivery[] {
    this.#open();
    const rows = this.#statements.due.all(at, limit) as unknown as { event_id: string; url: string; type: string; body: string; attempts: number }[];
    return rows.map((row) => ({ id: row.event_id, url: row.url, type: row.type, body: row.body, attempts: Number(row.attempts) }));
  }

  markDelivered(eventId: string, url: string, at: number): void {
    this.#open();
    this.#statements.delivered.run(at, eventId, url);
  }

  /** Another attempt at `nextAttemptAt`. */
  markRetry(eventId: string, url: string, nextAttemptAt: number, error: string): void {
    this.#open();
    this.#statements.retry.run(nextAttemptAt, error.slice(0, 500), eventId, url);
  }

  /** No more attempts: the receiver kept failing, or it is no longer configured. */
  markFailed(eventId: string, url: string, at: number, error: string): void {
    this.#open();
    this.#statements.failed.run(at, error.slice(0, 500), eventId, url);
  }

  counts(): OutboxCounts {
    this.#open();
    const row = this.#statements.counts.get() as { pending: number | null; delivered: number | null; failed: number | null };
    return { pending: Number(row.pending ?? 0), delivered: Number(row.delivered ?? 0), failed: Number(row.failed ?? 0) };
  }

  /** Forgets delivered and failed rows older than `before`; returns how many. */
  prune(before: number): number {
    this.#open();
    return Number(this.#statements.prune.run(before).changes);
  }

  /** What an event says about its learner: the display name and the workshop teaching `lesson`. */
  learnerContext(learnerId: string, lesson: string | undefined): { displayName: string | null; workshop: { id: string; title: string } | null } {
    this.#open();
    const learner = this.#statements.learner.get(learnerId) as { display_name: string | null } | undefined;
    const workshops = this.#statements.workshop.all(learnerId) as unknown as { id: string; title: string; lessons: string }[];
    // The most recent workshop with this lesson; for a session (no lesson yet) the most recent one.
    const workshop = workshops.find((w) => lesson === undefined || (JSON.parse(w.lessons) as string[]).includes(lesson));
    return { displayName: learner?.display_name ?? null, workshop: workshop ? { id: workshop.id, title: workshop.title } : null };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #open(): void {
    if (this.#closed) throw new OutboxError();
  }
}
