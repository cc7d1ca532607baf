// The schema, one migration per entry, applied in order. PRAGMA user_version holds how many
// have run, so a database from an older release is brought forward on open and a newer one
// is refused rather than misread. Never edit a released entry: append a new one.

export const PROGRESS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE learners (
     id TEXT PRIMARY KEY,
     display_name TEXT,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE step_progress (
     learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lesson TEXT NOT NULL,
     step TEXT NOT NULL,
     started_at INTEGER,
     completed_at INTEGER,
     spent_ms INTEGER,
     source TEXT CHECK (source IN ('checks', 'page')),
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (learner_id, lesson, step)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX step_progress_by_lesson ON step_progress (lesson, step);`,
  `CREATE TABLE workshops (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     lessons TEXT NOT NULL,
     capacity INTEGER NOT NULL,
     starts_at INTEGER NOT NULL,
     ends_at INTEGER NOT NULL,
     join_code TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE workshop_members (
     workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
     learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     display_name TEXT NOT NULL,
     joined_at INTEGER NOT NULL,
     PRIMARY KEY (workshop_id, learner_id)
   ) STRICT, WITHOUT ROWID;`,
  // Webhook events waiting for (or done with) delivery, one row per event and receiver; see
  // server/automation/README.md. Delivered rows stay a while so a repeated event is ignored.
  `CREATE TABLE webhook_outbox (
     event_id TEXT NOT NULL,
     url TEXT NOT NULL,
     type TEXT NOT NULL,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     delivered_at INTEGER,
     failed_at INTEGER,
     last_error TEXT,
     PRIMARY KEY (event_id, url)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;`,
  // Failed check runs per learner, lesson and step, for the instructor's dashboard ("stuck"
  // after many failures). A counter, not a log: the dashboard needs how many and the latest.
  `CREATE TABLE check_failures (
     learner_id TEXT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
     lesson TEXT NOT NULL,
     step TEXT NOT NULL,
     failures INTEGER NOT NULL,
     last_failed_at INTEGER NOT NULL,
     PRIMARY KEY (learner_id, lesson, step)
   ) STRICT, WITHOUT ROWID;`,
];
