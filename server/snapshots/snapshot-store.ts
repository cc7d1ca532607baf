// Session snapshots on disk: one JSON file per session in DATA_DIR/sandboxes/, written
// atomically (a temporary file renamed over the old one, so a crash mid-write leaves the
// previous snapshot whole) and readable by the server's user only. The session token is
// kept only as its SHA-256, as the session manager keeps it in memory.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { SANDBOX_STARTS, type SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Logger } from "../log/logger.ts";

export const SNAPSHOT_FORMAT = "mesh-academy-session/v1";
export const SNAPSHOTS_FOLDER = "sandboxes";

export interface SessionSnapshotRecord {
  format: typeof SNAPSHOT_FORMAT;
  id: string;
  /** SHA-256 of the session token, base64url. */
  tokenHash: string;
  learnerId?: string;
  clientKey: string;
  quotaKey: string;
  start: SandboxStart;
  /** Milliseconds since the epoch. */
  savedAt: number;
  /** The session's output offset when saved: a restored session's output starts past it. */
  outputEnd: number;
  sandbox: { kind: string; data: unknown };
}

// Session ids are UUIDs; nothing else may become a file name.
const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FILE_PATTERN = /^([0-9a-f-]{36})\.json$/;
const TEMPORARY_PATTERN = /\.json\.tmp-[0-9a-f]+$/;

const recordSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  id: z.string().regex(ID_PATTERN),
  tokenHash: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  learnerId: z.string().optional(),
  clientKey: z.string(),
  quotaKey: z.string(),
  start: z.enum(SANDBOX_STARTS),
  savedAt: z.number().int().min(0),
  outputEnd: z.number().int().min(0),
  sandbox: z.strictObject({ kind: z.string(), data: z.unknown() }),
});

export interface SnapshotStoreOptions {
  /** The folder holding the snapshot files (created when missing). */
  dir: string;
  logger: Logger;
}

export class SnapshotStore {
  readonly dir: string;
  readonly #logger: Logger;

  constructor(options: SnapshotStoreOptions) {
    this.dir = options.dir;
    this.#logger = options.logger;
  }

  static isSessionId(id: string): boolean {
    return ID_PATTERN.test(id);
  }

  #file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** Writes (or replaces) a session's snapshot atomically, mode 0600. */
  async save(record: SessionSnapshotRecord): Promise<void> {
    if (!ID_PATTERN.test(record.id)) throw new RangeError(`not a session id: ${record.id}`);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.#file(record.id);
    const temporary = `${file}.tmp-${randomBytes(6).toString("hex")}`;
    try {
      await writeFile(temporary, JSON.stringify(record), { mode: 0o600, flag: "wx" });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /**
   * The snapshot of session `id`, or undefined when there is none. A file that cannot be read
   * or is not a snapshot is logged and deleted: it can never be restored. Synchronous, so a
   * session lookup can restore in the same step; it happens once per session after a restart.
   */
  load(id: string): SessionSnapshotRecord | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    const file = this.#file(id);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ENOENT") this.#logger.warn("snapshot unreadable, ignored", { session: id, error });
      return undefined;
    }
    let parsed: ReturnType<typeof recordSchema.safeParse>;
    try {
      parsed = recordSchema.safeParse(JSON.parse(text));
    } catch (error) {
      this.#logger.warn("snapshot is not JSON, deleted", { session: id, error });
      this.#removeSync(file);
      return undefined;
    }
    if (!parsed.success || parsed.data.id !== id) {
      this.#logger.warn("snapshot malformed, deleted", { session: id, problem: parsed.error?.issues[0]?.message ?? "id does not match its file" });
      this.#removeSync(file);
      return undefined;
    }
    return parsed.data as SessionSnapshotRecord;
  }

  /** Deletes a session's snapshot; a missing one is fine. */
  async remove(id: string): Promise<void> {
    if (!ID_PATTERN.test(id)) return;
    await rm(this.#file(id), { force: true });
  }

  /**
   * At start and from time to time: deletes snapshots last written longer ago than `maxAgeMs`
   * (their sessions would have expired) and temporary files a crash left, except those of
   * the sessions in `live`. Never throws.
   */
  async sweep(maxAgeMs: number, now: number = Date.now(), live: ReadonlySet<string> = new Set()): Promise<number> {
    let names: string[];
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      names = await readdir(this.dir);
    } catch (error) {
      this.#logger.warn("snapshot folder unreadable", { dir: this.dir, error });
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.dir, name);
      try {
        const leftover = TEMPORARY_PATTERN.test(name);
        const snapshotOf = FILE_PATTERN.exec(name)?.[1];
        if (!leftover && (snapshotOf === undefined || live.has(snapshotOf))) continue;
        const info = await stat(file);
        // A temporary file may belong to a save in progress: only old ones are leftovers.
        if (now - info.mtimeMs <= maxAgeMs && !(leftover && now - info.mtimeMs > 60_000)) continue;
        await rm(file, { force: true });
        removed += 1;
      } catch (error) {
        this.#logger.warn("snapshot sweep skipped a file", { file, error });
      }
    }
    return removed;
  }

  #removeSync(file: string): void {
    try {
      rmSync(file, { force: true });
    } catch (error) {
      this.#logger.warn("snapshot could not be deleted", { file, error });
    }
  }
}
