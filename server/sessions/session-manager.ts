// Owns every live session: creation under quotas, token checks, idle expiry, shutdown.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Logger } from "../log/logger.ts";
import type { SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { SandboxProvider } from "../providers/sandbox-provider.ts";
import { Session } from "./session.ts";
import { SessionError } from "./session-error.ts";

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

  constructor(options: SessionManagerOptions) {
    this.#provider = options.provider;
    this.#limits = options.limits;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
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
    this.#entries.set(id, { session, tokenHash: hashToken(token) });
    // However a session ends (shell exit, failure, API, expiry), it leaves the table.
    session.onEnd((end) => {
      this.#entries.delete(id);
      this.#logger.info("session ended", { session: id, reason: end.reason, code: end.code });
    });
    this.#logger.info("session created", { session: id, client: clientKey, sessions: this.#entries.size });
    return { session, token };
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

  /** The session if `token` is its token; a SessionError saying why not otherwise. */
  authenticate(id: string, token: string | undefined): Session {
    const entry = this.#entries.get(id);
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

  /** Shutdown: refuse new sessions, end and dispose every one. */
  async disposeAll(reason = "The server is shutting down."): Promise<void> {
    this.#closed = true;
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    this.#sweepTimer = undefined;
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
