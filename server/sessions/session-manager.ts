// Owns every live session: creation under quotas, token checks, idle expiry, shutdown.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Logger } from "../log/logger.ts";
import type { SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Sandbox, SandboxProvider, SandboxSnapshot, StartProgress } from "../providers/sandbox-provider.ts";
import { SNAPSHOT_FORMAT, type SessionSnapshotRecord, type SnapshotStore } from "../snapshots/snapshot-store.ts";
import { Session } from "./session.ts";
import { SessionError } from "./session-error.ts";

/** A provider that can rebuild a sandbox from one of its snapshots (the embedded one). */
export interface RestorableProvider extends SandboxProvider {
  restore(snapshot: SandboxSnapshot, options: { onProgress?: StartProgress; signal?: AbortSignal }): Promise<Sandbox>;
}

export function isRestorableProvider(provider: SandboxProvider): provider is RestorableProvider {
  return typeof (provider as Partial<RestorableProvider>).restore === "function";
}

// A restored session's output starts this far past what its original had produced when it
// was saved: further than any browser can have received before the restart, so the page
// writes the new screen instead of skipping it as already shown.
const RESTORED_OUTPUT_GAP = 2 ** 32;

/** The first output of a restored session: a clean screen and one line saying why. */
export const RESTORED_NOTICE = "\x1b[H\x1b[2J\x1b[3J\x1b[2mYour sandbox was restored after a server restart.\x1b[0m\r\n";

export interface SessionLimits {
  perClient: number;
  max: number;
  idleMs: number;
  outputBufferUnits: number;
}

export interface SessionManagerOptions {
  provider: SandboxProvider;
  limits: SessionLimits;
  logger: Logger;
  /** Milliseconds since the epoch; injected so idle expiry is testable without waiting. */
  now?: () => number;
  /**
   * Where live sessions' sandboxes are saved (periodically and at shutdown) so they survive a
   * server restart; only used when the provider can restore. Without it nothing is saved.
   */
  snapshots?: SnapshotStore;
}

interface Entry {
  session: Session;
  tokenHash: Buffer;
}

export class SessionManager {
  #provider: SandboxProvider;
  #limits: SessionLimits;
  #logger: Logger;
  #now: () => number;
  #entries = new Map<string, Entry>();
  #sweepTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  #snapshots: SnapshotStore | undefined;
  #restorable: RestorableProvider | undefined;
  /** Per session, the output offset and time of its last save: unchanged output, nothing to save. */
  #saved = new Map<string, { outputEnd: number; at: number }>();
  #saving: Promise<void> | undefined;
  #snapshotTimer: ReturnType<typeof setInterval> | undefined;
  /** Shutting down: sessions end, their snapshots stay for the next process. */
  #keepSnapshots = false;

  constructor(options: SessionManagerOptions) {
    this.#provider = options.provider;
    this.#limits = options.limits;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    if (options.snapshots !== undefined && isRestorableProvider(options.provider)) {
      this.#snapshots = options.snapshots;
      this.#restorable = options.provider;
    }
  }

  /** Whether sessions are saved for restoring after a restart. */
  get snapshotting(): boolean {
    return this.#snapshots !== undefined;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Which provider runs the sandboxes (`embedded`, `cluster`): the page adapts lessons to it. */
  get providerName(): string {
    return this.#provider.name;
  }

  /** Live sessions counted against a quota key (see quotaKeyOf). */
  countFor(quotaKey: string): number {
    let count = 0;
    for (const { session } of this.#entries.values()) if (session.quotaKey === quotaKey) count += 1;
    return count;
  }

  /**
   * Creates a session for a client (its remote address) and, when the request named one by
   * its signed cookie, a learner. The live-session quota counts per learner when there is
   * one, so a room of learners behind one NAT address is not refused after a handful; only
   * cookie-less clients share their address's quota. The token is returned once and only
   * its hash is kept, so a heap dump or log line cannot hand out sessions.
   */
  create(clientKey: string, options: { start?: SandboxStart; learnerId?: string } = {}): { session: Session; token: string } {
    if (this.#closed) throw new SessionError("SESSION_LIMIT_GLOBAL", "The server is shutting down.");
    if (this.#entries.size >= this.#limits.max) {
      throw new SessionError(
        "SESSION_LIMIT_GLOBAL",
        `The server is running its maximum of ${this.#limits.max} sessions. Try again in a few minutes.`,
      );
    }
    const quotaKey = quotaKeyOf(clientKey, options.learnerId);
    if (this.countFor(quotaKey) >= this.#limits.perClient) {
      throw new SessionError(
        "SESSION_LIMIT_CLIENT",
        `You already have ${this.#limits.perClient} open sessions. Close a lesson tab (or wait for it to expire) and try again.`,
      );
    }
    const id = randomUUID();
    const token = randomBytes(32).toString("base64url");
    const session = new Session({
      id,
      clientKey,
      quotaKey,
      provider: this.#provider,
      ...(options.start !== undefined ? { start: options.start } : {}),
      outputBufferUnits: this.#limits.outputBufferUnits,
      logger: this.#logger.child({ session: id }),
      now: this.#now,
    });
    if (options.learnerId !== undefined) session.linkLearner(options.learnerId);
    this.#register(session, hashToken(token));
    this.#logger.info("session created", { session: id, client: clientKey, sessions: this.#entries.size });
    return { session, token };
  }

  #register(session: Session, tokenHash: Buffer): void {
    const id = session.id;
    this.#entries.set(id, { session, tokenHash });
    // However a session ends (shell exit, failure, API, expiry), it leaves the table, and
    // its snapshot goes with it, except at shutdown, when the snapshot is the point.
    session.onEnd((end) => {
      this.#entries.delete(id);
      this.#saved.delete(id);
      if (!this.#keepSnapshots) this.#removeSnapshot(id);
      this.#logger.info("session ended", { session: id, reason: end.reason, code: end.code });
    });
  }

  #removeSnapshot(id: string): void {
    this.#snapshots?.remove(id).catch((error: unknown) => this.#logger.warn("snapshot could not be deleted", { session: id, error }));
  }

  /**
   * A session that is not live but was saved by an earlier server process: rebuilt when the
   * token matches the saved hash and the snapshot is younger than the idle expiry (an older
   * one is deleted: its session would have expired). The sandbox itself is restored when a
   * terminal attaches, like any session's start. Undefined when there is nothing to restore.
   */
  #restoreSession(id: string, token: string | undefined): Entry | undefined {
    const store = this.#snapshots;
    const provider = this.#restorable;
    if (store === undefined || provider === undefined || this.#closed) return undefined;
    const record = store.load(id);
    if (record === undefined) return undefined;
    if (this.#now() - record.savedAt > this.#limits.idleMs) {
      this.#logger.info("snapshot older than the idle expiry, deleted", { session: id });
      this.#removeSnapshot(id);
      return undefined;
    }
    if (!token) throw new SessionError("SESSION_UNAUTHORIZED", "The session token is missing.");
    const tokenHash = Buffer.from(record.tokenHash, "base64url");
    const presented = hashToken(token);
    if (presented.length !== tokenHash.length || !timingSafeEqual(presented, tokenHash)) {
      throw new SessionError("SESSION_FORBIDDEN", "The session token does not match.");
    }
    if (this.#entries.size >= this.#limits.max) {
      throw new SessionError("SESSION_LIMIT_GLOBAL", `The server is running its maximum of ${this.#limits.max} sessions. Try again in a few minutes.`);
    }
    const session = new Session({
      id,
      clientKey: record.clientKey,
      quotaKey: record.quotaKey,
      provider,
      start: record.start,
      outputBufferUnits: this.#limits.outputBufferUnits,
      logger: this.#logger.child({ session: id }),
      now: this.#now,
      restore: { snapshot: record.sandbox, from: (snapshot, options) => provider.restore(snapshot, options) },
      outputOrigin: record.outputEnd + RESTORED_OUTPUT_GAP,
      notice: RESTORED_NOTICE,
    });
    if (record.learnerId !== undefined) session.linkLearner(record.learnerId);
    this.#register(session, tokenHash);
    this.#logger.info("session restored from its snapshot", { session: id, savedAt: new Date(record.savedAt).toISOString() });
    return this.#entries.get(id);
  }

  /**
   * Saves the sandbox of every running session whose terminal has produced output since its
   * last save (all of them with `force`, and attached ones whose snapshot is half an idle
   * expiry old); resolves to how many were saved. A save that fails
   * is logged and tried again next time. Calls overlap into one.
   */
  saveSnapshots(options: { force?: boolean } = {}): Promise<number> {
    const force = options.force === true;
    const run = (this.#saving ?? Promise.resolve()).then(() => this.#saveAll(force));
    const tracked = run.then(() => undefined, () => undefined);
    this.#saving = tracked;
    void tracked.then(() => {
      if (this.#saving === tracked) this.#saving = undefined;
    });
    return run;
  }

  async #saveAll(force: boolean): Promise<number> {
    const store = this.#snapshots;
    if (store === undefined) return 0;
    let saved = 0;
    for (const [id, entry] of [...this.#entries]) {
      const { session } = entry;
      const sandbox = session.sandbox;
      if (sandbox === undefined || session.state !== "ready") continue;
      const outputEnd = session.output.end;
      const last = this.#saved.get(id);
      // A page left open without typing keeps its session alive: its snapshot is renewed before
      // it would count as expired, so a crash then still restores it.
      const attachedAndAging = session.idleSince() === undefined && last !== undefined && this.#now() - last.at > this.#limits.idleMs / 2;
      if (!force && last?.outputEnd === outputEnd && !attachedAndAging) continue;
      try {
        const snapshot = await sandbox.snapshot();
        const record: SessionSnapshotRecord = {
          format: SNAPSHOT_FORMAT,
          id,
          tokenHash: entry.tokenHash.toString("base64url"),
          clientKey: session.clientKey,
          quotaKey: session.quotaKey,
          start: session.startState,
          savedAt: this.#now(),
          outputEnd,
          sandbox: snapshot,
          ...(session.learnerId !== undefined ? { learnerId: session.learnerId } : {}),
        };
        await store.save(record);
        // Ended while it was being written (and not for a shutdown): it must not come back.
        if (session.ended !== undefined && !this.#keepSnapshots) {
          await store.remove(id);
          continue;
        }
        this.#saved.set(id, { outputEnd, at: record.savedAt });
        saved += 1;
      } catch (error) {
        this.#logger.warn("snapshot failed", { session: id, error });
      }
    }
    return saved;
  }

  /** Saves changed sessions on a timer and sweeps expired snapshots; never keeps the process alive. */
  startSnapshotting(everyMs = 30_000): void {
    if (this.#snapshotTimer || this.#snapshots === undefined) return;
    const store = this.#snapshots;
    this.#snapshotTimer = setInterval(() => {
      this.saveSnapshots()
        .then(() => store.sweep(this.#limits.idleMs, this.#now(), new Set(this.#entries.keys())))
        .catch((error: unknown) => this.#logger.error("snapshot round failed", { error }));
    }, everyMs);
    this.#snapshotTimer.unref();
  }

  get(id: string): Session | undefined {
    return this.#entries.get(id)?.session;
  }

  /** The live session this learner's page used last (linked by Session.linkLearner), if any. */
  latestSessionOf(learnerId: string): Session | undefined {
    let latest: Session | undefined;
    for (const { session } of this.#entries.values()) {
      if (session.learnerId !== learnerId || session.ended) continue;
      if (latest === undefined || session.lastAttachedAt >= latest.lastAttachedAt) latest = session;
    }
    return latest;
  }

  /** The learners who have a live session linked to them. */
  learnersWithSessions(): Set<string> {
    const learners = new Set<string>();
    for (const { session } of this.#entries.values()) if (session.learnerId !== undefined && !session.ended) learners.add(session.learnerId);
    return learners;
  }

  /**
   * The session if `token` is its token; a SessionError saying why not otherwise. A session
   * an earlier server process saved is restored here (see #restoreSession).
   */
  authenticate(id: string, token: string | undefined): Session {
    const entry = this.#entries.get(id) ?? this.#restoreSession(id, token);
    if (!entry) throw new SessionError("SESSION_NOT_FOUND", "No such session: it has ended or never existed.");
    if (!token) throw new SessionError("SESSION_UNAUTHORIZED", "The session token is missing.");
    if (!timingSafeEqual(hashToken(token), entry.tokenHash)) {
      throw new SessionError("SESSION_FORBIDDEN", "The session token does not match.");
    }
    return entry.session;
  }

  /**
   * The session whose preview key this is. The key is the SHA-256 of the session token
   * (base64url): the browser computes it, it can open the preview panel's pages (an iframe
   * cannot send an Authorization header) and it cannot open the terminal.
   */
  authenticatePreview(id: string, key: string): Session {
    const entry = this.#entries.get(id);
    if (!entry) throw new SessionError("SESSION_NOT_FOUND", "No such session: it has ended or never existed.");
    const presented = Buffer.from(key, "base64url");
    if (presented.length !== entry.tokenHash.length || !timingSafeEqual(presented, entry.tokenHash)) {
      throw new SessionError("SESSION_FORBIDDEN", "The preview key does not match this session.");
    }
    return entry.session;
  }

  /** Where the session's preview pages live (see authenticatePreview); ask only after authenticate. */
  previewPath(id: string): string | undefined {
    const entry = this.#entries.get(id);
    return entry === undefined ? undefined : `/preview/${encodeURIComponent(id)}/${entry.tokenHash.toString("base64url")}/`;
  }

  async end(id: string, reason: string): Promise<void> {
    await this.#entries.get(id)?.session.end(reason);
  }

  /** Ends sessions nobody has been attached to for the idle time; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = this.#now() - this.#limits.idleMs;
    const idle = [...this.#entries.values()]
      .map((entry) => entry.session)
      .filter((session) => {
        const since = session.idleSince();
        return since !== undefined && since <= cutoff;
      });
    for (const session of idle) this.#logger.info("session idle, ending it", { session: session.id });
    await Promise.all(idle.map((session) => session.end("The session was idle for too long.")));
    return idle.length;
  }

  /** Sweeps on a timer; the timer never keeps the process alive on its own. */
  startSweeping(everyMs = Math.min(60_000, Math.max(1000, Math.floor(this.#limits.idleMs / 4)))): void {
    if (this.#sweepTimer) return;
    this.#sweepTimer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.#logger.error("idle sweep failed", { error }));
    }, everyMs);
    this.#sweepTimer.unref();
  }

  /**
   * Shutdown: refuse new sessions, save every running sandbox (when snapshots are on), then
   * end and dispose every session, keeping the snapshots for the next process.
   */
  async disposeAll(reason = "The server is shutting down."): Promise<void> {
    this.#closed = true;
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
    if (this.#snapshotTimer) clearInterval(this.#snapshotTimer);
    this.#snapshotTimer = undefined;
    if (this.#snapshots !== undefined) {
      const saved = await this.saveSnapshots({ force: true });
      this.#keepSnapshots = true;
      this.#logger.info("sandboxes saved for the next start", { saved });
    }
    await Promise.all([...this.#entries.values()].map((entry) => entry.session.end(reason)));
  }
}

/** What a session counts against: its learner when known, otherwise its client address. */
export function quotaKeyOf(clientKey: string, learnerId: string | undefined): string {
  return learnerId !== undefined ? `learner:${learnerId}` : `address:${clientKey}`;
}

function hashToken(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}
