// The progress store on SQLite through node:sqlite (no native addon), the embedded default.
//
// Durability: journal_mode=WAL with synchronous=FULL. In WAL mode a commit is appended to the
// -wal file; with FULL the file is fsynced before the commit returns, so a completion the
// server has acknowledged survives a kill -9 *and* a power cut or kernel panic. NORMAL would
// survive kill -9 too (the appended pages sit in the OS page cache, which outlives the
// process) but could lose the last commits on power loss, which breaks "acknowledged means
// kept" on a laptop that runs out of battery mid-workshop. One fsync per completion is cheap
// next to a learner's pace; busy_timeout lets several processes (tests, a CLI) share a file.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { PROGRESS_MIGRATIONS } from "./progress-migrations.ts";
import {
  ProgressError,
  type CheckFailures,
  type CompletionSource,
  type Learner,
  type ProgressStore,
  type StepCompletion,
  type StepProgress,
} from "./progress-store.ts";
import { WorkshopError, type Workshop, type WorkshopInput, type WorkshopMember, type WorkshopStore } from "./workshop-store.ts";

/** The database file inside the data directory. */
export const PROGRESS_DATABASE_FILE = "progress.sqlite";

interface StepRow {
  lesson: string;
  step: string;
  started_at: number | null;
  completed_at: number | null;
  spent_ms: number | null;
  source: string | null;
}

interface WorkshopRow {
  id: string;
  title: string;
  lessons: string;
  capacity: number;
  starts_at: number;
  ends_at: number;
  join_code: string;
  created_at: number;
}

interface MemberRow {
  learner_id: string;
  display_name: string;
  joined_at: number;
}

interface FailureRow {
  lesson: string;
  step: string;
  failures: number;
  last_failed_at: number;
}

interface LearnerRow {
  id: string;
  display_name: string | null;
  created_at: number;
}

export class SqliteProgressStore implements ProgressStore, WorkshopStore {
  readonly #db: DatabaseSync;
  readonly #statements: Record<
    | "insertLearner"
    | "selectLearner"
    | "updateName"
    | "upsertStarted"
    | "selectStep"
    | "upsertPassed"
    | "selectProgress"
    | "insertWorkshop"
    | "selectWorkshop"
    | "selectWorkshopByCode"
    | "selectWorkshops"
    | "selectMember"
    | "countMembers"
    | "upsertMember"
    | "selectMembers"
    | "upsertFailure"
    | "selectFailure"
    | "selectFailures",
    StatementSync
  >;
  #closed = false;

  /** Opens (creating if needed) the database at `file`; ":memory:" for a throwaway store. */
  constructor(file: string) {
    if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file, { timeout: 5000 });
    this.#db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
    migrate(this.#db);
    const prepare = (sql: string) => this.#db.prepare(sql);
    this.#statements = {
      insertLearner: prepare("INSERT INTO learners (id, display_name, created_at) VALUES (?, NULL, ?) ON CONFLICT (id) DO NOTHING"),
      selectLearner: prepare("SELECT id, display_name, created_at FROM learners WHERE id = ?"),
      updateName: prepare("UPDATE learners SET display_name = ? WHERE id = ?"),
      upsertStarted: prepare(
        `INSERT INTO step_progress (learner_id, lesson, step, started_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (learner_id, lesson, step) DO UPDATE SET
           started_at = ?4, updated_at = ?4
         WHERE started_at IS NULL AND completed_at IS NULL`,
      ),
      selectStep: prepare(
        "SELECT lesson, step, started_at, completed_at, spent_ms, source FROM step_progress WHERE learner_id = ? AND lesson = ? AND step = ?",
      ),
      // The first completion wins; a later one from the checks only upgrades the source.
      upsertPassed: prepare(
        `INSERT INTO step_progress (learner_id, lesson, step, completed_at, source, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?4)
         ON CONFLICT (learner_id, lesson, step) DO UPDATE SET
           completed_at = coalesce(completed_at, ?4),
           spent_ms = CASE WHEN completed_at IS NULL AND started_at IS NOT NULL THEN max(0, ?4 - started_at) ELSE spent_ms END,
           source = CASE WHEN source = 'checks' OR ?5 = 'checks' THEN 'checks' ELSE ?5 END,
           updated_at = CASE WHEN completed_at IS NULL THEN ?4 ELSE updated_at END`,
      ),
      selectProgress: prepare(
        `SELECT lesson, step, started_at, completed_at, spent_ms, source FROM step_progress
         WHERE learner_id = ? ORDER BY updated_at, lesson, step`,
      ),
      insertWorkshop: prepare(
        "INSERT INTO workshops (id, title, lessons, capacity, starts_at, ends_at, join_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      selectWorkshop: prepare("SELECT * FROM workshops WHERE id = ?"),
      selectWorkshopByCode: prepare("SELECT * FROM workshops WHERE join_code = ?"),
      selectWorkshops: prepare("SELECT * FROM workshops ORDER BY starts_at, created_at"),
      selectMember: prepare("SELECT learner_id, display_name, joined_at FROM workshop_members WHERE workshop_id = ? AND learner_id = ?"),
      countMembers: prepare("SELECT count(*) AS n FROM workshop_members WHERE workshop_id = ?"),
      upsertMember: prepare(
        `INSERT INTO workshop_members (workshop_id, learner_id, display_name, joined_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (workshop_id, learner_id) DO UPDATE SET display_name = ?3`,
      ),
      selectMembers: prepare("SELECT learner_id, display_name, joined_at FROM workshop_members WHERE workshop_id = ? ORDER BY joined_at, learner_id"),
      upsertFailure: prepare(
        `INSERT INTO check_failures (learner_id, lesson, step, failures, last_failed_at) VALUES (?1, ?2, ?3, 1, ?4)
         ON CONFLICT (learner_id, lesson, step) DO UPDATE SET failures = failures + 1, last_failed_at = max(last_failed_at, ?4)`,
      ),
      selectFailure: prepare("SELECT lesson, step, failures, last_failed_at FROM check_failures WHERE learner_id = ? AND lesson = ? AND step = ?"),
      selectFailures: prepare("SELECT lesson, step, failures, last_failed_at FROM check_failures WHERE learner_id = ? ORDER BY lesson, step"),
    };
  }

  ensureLearner(id: string, at: number): Learner {
    this.#open();
    this.#statements.insertLearner.run(id, at);
    return this.#learnerOrThrow(id);
  }

  learner(id: string): Learner | undefined {
    this.#open();
    const row = this.#statements.selectLearner.get(id) as LearnerRow | undefined;
    return row === undefined ? undefined : toLearner(row);
  }

  setDisplayName(id: string, displayName: string | undefined): Learner {
    this.#open();
    const { changes } = this.#statements.updateName.run(displayName ?? null, id);
    if (Number(changes) === 0) throw new ProgressError("LEARNER_NOT_FOUND", `No learner with id ${id}.`);
    return this.#learnerOrThrow(id);
  }

  recordStepStarted(learnerId: string, lesson: string, step: string, at: number): StepProgress {
    this.#open();
    this.#requireLearner(learnerId);
    this.#statements.upsertStarted.run(learnerId, lesson, step, at);
    return this.#step(learnerId, lesson, step);
  }

  recordStepPassed(learnerId: string, lesson: string, step: string, at: number, source: CompletionSource): StepCompletion {
    this.#open();
    this.#requireLearner(learnerId);
    // Read and write in one transaction so "first time" is exact under concurrent writers.
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const before = this.#statements.selectStep.get(learnerId, lesson, step) as StepRow | undefined;
      this.#statements.upsertPassed.run(learnerId, lesson, step, at, source);
      const progress = this.#step(learnerId, lesson, step);
      this.#db.exec("COMMIT");
      return { progress, firstTime: before?.completed_at == null };
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  progressOf(learnerId: string): StepProgress[] {
    this.#open();
    return (this.#statements.selectProgress.all(learnerId) as unknown as StepRow[]).map(toStep);
  }

  recordCheckFailed(learnerId: string, lesson: string, step: string, at: number): CheckFailures {
    this.#open();
    this.#requireLearner(learnerId);
    // One statement is atomic on its own; the read after it sees this connection's write.
    this.#statements.upsertFailure.run(learnerId, lesson, step, at);
    return toFailures(this.#statements.selectFailure.get(learnerId, lesson, step) as unknown as FailureRow);
  }

  checkFailuresOf(learnerId: string): CheckFailures[] {
    this.#open();
    return (this.#statements.selectFailures.all(learnerId) as unknown as FailureRow[]).map(toFailures);
  }

  createWorkshop(id: string, input: WorkshopInput, at: number): Workshop {
    this.#open();
    try {
      this.#statements.insertWorkshop.run(id, input.title, JSON.stringify(input.lessons), input.capacity, input.startsAt, input.endsAt, input.joinCode, at);
    } catch (error) {
      if (/UNIQUE constraint failed: workshops\.join_code/.test(String((error as Error).message))) {
        throw new WorkshopError("JOIN_CODE_TAKEN", `Another workshop already uses the join code ${input.joinCode}.`);
      }
      throw error;
    }
    return this.#workshopOrThrow(id);
  }

  workshop(id: string): Workshop | undefined {
    this.#open();
    const row = this.#statements.selectWorkshop.get(id) as WorkshopRow | undefined;
    return row === undefined ? undefined : toWorkshop(row);
  }

  workshopByJoinCode(joinCode: string): Workshop | undefined {
    this.#open();
    const row = this.#statements.selectWorkshopByCode.get(joinCode) as WorkshopRow | undefined;
    return row === undefined ? undefined : toWorkshop(row);
  }

  workshops(): Workshop[] {
    this.#open();
    return (this.#statements.selectWorkshops.all() as unknown as WorkshopRow[]).map(toWorkshop);
  }

  joinWorkshop(workshopId: string, learnerId: string, displayName: string, at: number): WorkshopMember {
    this.#open();
    this.#requireLearner(learnerId);
    // IMMEDIATE takes the write lock first, so two joins cannot both see one free seat.
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const workshop = this.#workshopOrThrow(workshopId);
      if (at < workshop.startsAt) throw new WorkshopError("WORKSHOP_NOT_STARTED", `"${workshop.title}" opens at ${new Date(workshop.startsAt).toISOString()}.`);
      if (at >= workshop.endsAt) throw new WorkshopError("WORKSHOP_ENDED", `"${workshop.title}" ended at ${new Date(workshop.endsAt).toISOString()}.`);
      const member = this.#statements.selectMember.get(workshopId, learnerId);
      const { n } = this.#statements.countMembers.get(workshopId) as { n: number };
      if (member === undefined && Number(n) >= workshop.capacity) {
        throw new WorkshopError("WORKSHOP_FULL", `"${workshop.title}" is full (${workshop.capacity} learners).`);
      }
      this.#statements.upsertMember.run(workshopId, learnerId, displayName, at);
      const row = this.#statements.selectMember.get(workshopId, learnerId) as unknown as MemberRow;
      this.#db.exec("COMMIT");
      return toMember(row);
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  members(workshopId: string): WorkshopMember[] {
    this.#open();
    return (this.#statements.selectMembers.all(workshopId) as unknown as MemberRow[]).map(toMember);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #step(learnerId: string, lesson: string, step: string): StepProgress {
    const row = this.#statements.selectStep.get(learnerId, lesson, step) as StepRow | undefined;
    if (row === undefined) throw new ProgressError("LEARNER_NOT_FOUND", `No progress for ${lesson}/${step}.`);
    return toStep(row);
  }

  #workshopOrThrow(id: string): Workshop {
    const row = this.#statements.selectWorkshop.get(id) as WorkshopRow | undefined;
    if (row === undefined) throw new WorkshopError("WORKSHOP_NOT_FOUND", `No workshop with id ${id}.`);
    return toWorkshop(row);
  }

  #requireLearner(id: string): void {
    if (this.#statements.selectLearner.get(id) === undefined) {
      throw new ProgressError("LEARNER_NOT_FOUND", `No learner with id ${id}.`);
    }
  }

  #learnerOrThrow(id: string): Learner {
    const learner = this.learner(id);
    if (learner === undefined) throw new ProgressError("LEARNER_NOT_FOUND", `No learner with id ${id}.`);
    return learner;
  }

  #open(): void {
    if (this.#closed) throw new ProgressError("STORE_CLOSED", "The progress store is closed.");
  }
}

function migrate(db: DatabaseSync): void {
  const current = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
  if (current > PROGRESS_MIGRATIONS.length) {
    throw new ProgressError(
      "SCHEMA_TOO_NEW",
      `The progress database is at schema version ${current}, newer than this release knows (${PROGRESS_MIGRATIONS.length}); run a newer Mesh Academy or restore a backup.`,
    );
  }
  for (let version = current; version < PROGRESS_MIGRATIONS.length; version++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      // Another process may have migrated while this one waited for the lock.
      const now = Number((db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version);
      if (now === version) {
        db.exec(PROGRESS_MIGRATIONS[version] ?? "");
        db.exec(`PRAGMA user_version = ${version + 1}`);
      }
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }
}

function toLearner(row: LearnerRow): Learner {
  return { id: row.id, displayName: row.display_name ?? undefined, createdAt: Number(row.created_at) };
}

function toStep(row: StepRow): StepProgress {
  return {
    lesson: row.lesson,
    step: row.step,
    startedAt: row.started_at ?? undefined,
    completedAt: row.completed_at ?? undefined,
    spentMs: row.spent_ms ?? undefined,
    source: row.source === "checks" || row.source === "page" ? row.source : undefined,
  };
}

function toWorkshop(row: WorkshopRow): Workshop {
  return {
    id: row.id,
    title: row.title,
    lessons: JSON.parse(row.lessons) as string[],
    capacity: Number(row.capacity),
    startsAt: Number(row.starts_at),
    endsAt: Number(row.ends_at),
    joinCode: row.join_code,
    createdAt: Number(row.created_at),
  };
}

function toMember(row: MemberRow): WorkshopMember {
  return { learnerId: row.learner_id, displayName: row.display_name, joinedAt: Number(row.joined_at) };
}

function toFailures(row: FailureRow): CheckFailures {
  return { lesson: row.lesson, step: row.step, failures: Number(row.failures), lastFailedAt: Number(row.last_failed_at) };
}
