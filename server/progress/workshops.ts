// Workshop rules over the store: codes are generated (or checked) on creation, joins are
// counted per client before the code is even looked up, and a joining learner is the
// cookie's learner (created if new) under the name they gave.
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { AttemptLimiter } from "./attempt-limiter.ts";
import { generateJoinCode, normalizeJoinCode } from "./join-code.ts";
import type { ProgressTracker } from "./progress-tracker.ts";
import type { StepProgress } from "./progress-store.ts";
import { WorkshopError, type Workshop, type WorkshopInput, type WorkshopMember, type WorkshopStore } from "./workshop-store.ts";

export interface WorkshopsOptions {
  store: WorkshopStore;
  tracker: ProgressTracker;
  joinAttemptsPerMinute: number;
  now?: () => number;
}

export interface JoinResult {
  workshop: Workshop;
  member: WorkshopMember;
  setCookie: string;
}

/** Refused because the client tried too many codes; `retryAfterMs` says when to try again. */
export class JoinRateLimitedError extends Error {
  readonly code = "JOIN_RATE_LIMITED";
  readonly status = 429;
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super(`Too many join attempts from this address; try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
    this.name = "JoinRateLimitedError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** Told after a learner joined (or rejoined under a new name); the live dashboard listens. */
export type JoinedListener = (workshop: Workshop, member: WorkshopMember) => void;

export class Workshops {
  readonly #joinedListeners = new Set<JoinedListener>();
  readonly #store: WorkshopStore;
  readonly #tracker: ProgressTracker;
  readonly #limiter: AttemptLimiter;
  readonly #now: () => number;

  constructor(options: WorkshopsOptions) {
    this.#store = options.store;
    this.#tracker = options.tracker;
    this.#now = options.now ?? Date.now;
    this.#limiter = new AttemptLimiter({ limit: options.joinAttemptsPerMinute, windowMs: 60_000, now: this.#now });
  }

  /** Creates a workshop; without a join code one is generated (retrying the rare collision). */
  create(input: Omit<WorkshopInput, "joinCode"> & { joinCode?: string | undefined }): Workshop {
    const id = randomBytes(9).toString("base64url");
    if (input.joinCode !== undefined) return this.#store.createWorkshop(id, { ...input, joinCode: normalizeJoinCode(input.joinCode) }, this.#now());
    for (let attempt = 0; ; attempt++) {
      try {
        return this.#store.createWorkshop(id, { ...input, joinCode: generateJoinCode() }, this.#now());
      } catch (error) {
        if (!(error instanceof WorkshopError && error.code === "JOIN_CODE_TAKEN") || attempt >= 5) throw error;
      }
    }
  }

  list(): Workshop[] {
    return this.#store.workshops();
  }

  /** The workshop with its members and each member's progress in the workshop's lessons. */
  detail(id: string): { workshop: Workshop; members: (WorkshopMember & { steps: StepProgress[] })[] } {
    const workshop = this.#store.workshop(id);
    if (workshop === undefined) throw new WorkshopError("WORKSHOP_NOT_FOUND", `No workshop with id ${id}.`);
    const lessons = new Set(workshop.lessons);
    const members = this.#store.members(id).map((member) => ({
      ...member,
      steps: this.#tracker.progressOf(member.learnerId).filter((step) => lessons.has(step.lesson)),
    }));
    return { workshop, members };
  }

  join(client: string, headers: IncomingHttpHeaders, secure: boolean, typedCode: string, displayName: string): JoinResult {
    const verdict = this.#limiter.take(client);
    if (!verdict.allowed) throw new JoinRateLimitedError(verdict.retryAfterMs);
    const workshop = this.#store.workshopByJoinCode(normalizeJoinCode(typedCode));
    if (workshop === undefined) throw new WorkshopError("WORKSHOP_NOT_FOUND", "No workshop has this join code; check it with your instructor.");
    const { learner, setCookie } = this.#tracker.learnerFor(headers, secure);
    const member = this.#store.joinWorkshop(workshop.id, learner.id, displayName, this.#now());
    this.#tracker.setDisplayName(learner.id, displayName);
    for (const listener of this.#joinedListeners) listener(workshop, member);
    return { workshop, member, setCookie };
  }

  onJoined(listener: JoinedListener): () => void {
    this.#joinedListeners.add(listener);
    return () => this.#joinedListeners.delete(listener);
  }

  workshop(id: string): Workshop | undefined {
    return this.#store.workshop(id);
  }

  members(id: string): WorkshopMember[] {
    return this.#store.members(id);
  }
}
