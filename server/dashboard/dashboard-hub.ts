// Keeps a live grid per workshop that someone is watching and pushes changed rows to every
// subscriber. Events arrive from the progress tracker (a step started or passed, a check run
// failed), from joins, and from sessions (a terminal appeared or ended); each names a learner,
// whose row is rebuilt from the store and sent. Rebuilds are coalesced per turn of the event
// loop, so a burst of events for one learner costs one rebuild, and the request that caused
// the event is not held up by the fan-out.
import type { Logger } from "../log/logger.ts";
import type { ProgressTracker } from "../progress/progress-tracker.ts";
import type { Workshop } from "../progress/workshop-store.ts";
import type { Workshops } from "../progress/workshops.ts";
import type { DashboardMessage, Grid, GridColumn, GridRow, StuckRules } from "./dashboard-protocol.ts";
import { DEFAULT_STUCK_RULES } from "./stuck-rules.ts";
import { buildGrid, buildRow, learnerKey, type GridMember, type LearnerActivity } from "./workshop-grid.ts";

/** What the hub needs to know about live sessions. */
export interface LearnerSessions {
  learnersWithSessions(): Set<string>;
}

export interface DashboardHubOptions {
  tracker: ProgressTracker;
  workshops: Workshops;
  sessions: LearnerSessions;
  /** A lesson's title and steps, in order; a lesson that fails to load gives no columns. */
  lessonOf(lesson: string): Promise<{ readonly title: string; readonly steps: readonly { id: string; title: string }[] }>;
  rules?: StuckRules;
  /** How often "stuck by time" is looked at again; default 1 s. */
  tickMs?: number;
  now?: () => number;
  logger?: Logger;
}

export interface DashboardSubscription {
  readonly grid: Grid;
  setRules(rules: StuckRules): void;
  close(): void;
}

type Listener = (message: DashboardMessage) => void;

interface Subscriber {
  send: Listener;
  rules: StuckRules;
  /** The last row sent per learner key, to notice a row turning stuck with time alone. */
  sent: Map<string, GridRow>;
}

interface LiveWorkshop {
  workshop: Workshop;
  columns: readonly GridColumn[];
  members: Map<string, GridMember>;
  subscribers: Set<Subscriber>;
}

/** A workshop the hub does not know; the API answers 404. */
export class DashboardError extends Error {
  readonly code: "WORKSHOP_NOT_FOUND" | "LEARNER_NOT_FOUND";
  readonly status = 404;

  constructor(code: DashboardError["code"], message: string) {
    super(message);
    this.name = "DashboardError";
    this.code = code;
  }
}

export class DashboardHub {
  readonly rules: StuckRules;
  readonly #options: DashboardHubOptions;
  readonly #now: () => number;
  readonly #live = new Map<string, LiveWorkshop>();
  // Workshops whose live state is being built: a second subscriber waits for the first build.
  readonly #building = new Map<string, Promise<LiveWorkshop>>();
  readonly #pending = new Set<string>();
  #flushScheduled = false;
  #tick: ReturnType<typeof setInterval> | undefined;
  readonly #unsubscribe: (() => void)[];

  constructor(options: DashboardHubOptions) {
    this.#options = options;
    this.rules = options.rules ?? DEFAULT_STUCK_RULES;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = [
      options.tracker.onStepPassed((learnerId) => this.touch(learnerId)),
      options.tracker.onStepStarted((learnerId) => this.touch(learnerId)),
      options.tracker.onCheckFailed((learnerId) => this.touch(learnerId)),
      options.workshops.onJoined((workshop, member) => {
        const live = this.#live.get(workshop.id);
        if (live === undefined) return;
        live.members.set(member.learnerId, member);
        this.touch(member.learnerId);
      }),
    ];
  }

  /** Something about this learner changed (progress, a session came or went): resend their rows. */
  touch(learnerId: string): void {
    if (this.#live.size === 0) return;
    this.#pending.add(learnerId);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  /** The whole grid now, for the HTTP API and the exports. */
  async grid(workshopId: string, rules: StuckRules = this.rules): Promise<Grid> {
    const workshop = this.#workshopOrThrow(workshopId);
    const columns = await this.#columnsOf(workshop);
    return this.#buildGrid(workshop, columns, this.#options.workshops.members(workshopId), rules);
  }

  /** The learner a dashboard key stands for, if they are a member of the workshop. */
  learnerIdOf(workshopId: string, key: string): string | undefined {
    const live = this.#live.get(workshopId);
    const members = live ? [...live.members.values()] : this.#options.workshops.members(workshopId);
    return members.find((member) => learnerKey(member.learnerId) === key)?.learnerId;
  }

  /** Starts pushing the workshop's rows to `send`; the first grid is in the answer. */
  async subscribe(workshopId: string, send: Listener, rules: StuckRules = this.rules): Promise<DashboardSubscription> {
    let live = await this.#liveWorkshop(workshopId);
    // The last subscriber left while this one waited for the build: build it again, fresh.
    if (this.#live.get(workshopId) !== live) live = await this.#liveWorkshop(workshopId);
    const subscriber: Subscriber = { send, rules, sent: new Map() };
    live.subscribers.add(subscriber);
    this.#startTicking();
    const grid = this.#buildGrid(live.workshop, live.columns, [...live.members.values()], rules);
    for (const row of grid.rows) subscriber.sent.set(row.key, row);
    return {
      grid,
      setRules: (next) => {
        subscriber.rules = next;
        const regrid = this.#buildGrid(live.workshop, live.columns, [...live.members.values()], next);
        for (const row of regrid.rows) subscriber.sent.set(row.key, row);
        send({ type: "grid", grid: regrid });
      },
      close: () => {
        live.subscribers.delete(subscriber);
        if (live.subscribers.size === 0 && this.#live.get(workshopId) === live) this.#live.delete(workshopId);
        if (this.#live.size === 0) this.#stopTicking();
      },
    };
  }

  /** Number of workshops with at least one live subscriber. */
  get liveWorkshops(): number {
    return this.#live.size;
  }

  close(): void {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#live.clear();
    this.#stopTicking();
  }

  #flush(): void {
    this.#flushScheduled = false;
    const learners = [...this.#pending];
    this.#pending.clear();
    if (learners.length === 0 || this.#live.size === 0) return;
    const withSessions = this.#options.sessions.learnersWithSessions();
    const now = this.#now();
    for (const learnerId of learners) {
      let activity: LearnerActivity | undefined;
      for (const live of this.#live.values()) {
        const member = live.members.get(learnerId);
        if (member === undefined) continue;
        activity ??= this.#activityOf(learnerId, withSessions);
        for (const subscriber of live.subscribers) this.#sendRow(subscriber, buildRow(live.columns, member, activity, subscriber.rules, now), now);
      }
    }
  }

  // Time alone turns a learner stuck: look again at rows that were not stuck by time.
  #onTick(): void {
    const now = this.#now();
    let withSessions: Set<string> | undefined;
    for (const live of this.#live.values()) {
      for (const subscriber of live.subscribers) {
        for (const [key, row] of subscriber.sent) {
          if (row.currentSince === null || row.stuck.includes("time") || now - row.currentSince < subscriber.rules.afterMs) continue;
          const member = [...live.members.values()].find((m) => learnerKey(m.learnerId) === key);
          if (member === undefined) continue;
          withSessions ??= this.#options.sessions.learnersWithSessions();
          const activity = this.#activityOf(member.learnerId, withSessions);
          this.#sendRow(subscriber, buildRow(live.columns, member, activity, subscriber.rules, now), now);
        }
      }
    }
  }

  #sendRow(subscriber: Subscriber, row: GridRow, now: number): void {
    subscriber.sent.set(row.key, row);
    try {
      subscriber.send({ type: "row", row, serverNow: now });
    } catch (error) {
      this.#options.logger?.warn("dashboard subscriber failed", { error });
    }
  }

  #activityOf(learnerId: string, withSessions: Set<string>): LearnerActivity {
    return {
      steps: this.#options.tracker.progressOf(learnerId),
      failures: this.#options.tracker.checkFailuresOf(learnerId),
      watchable: withSessions.has(learnerId),
    };
  }

  #buildGrid(workshop: Workshop, columns: readonly GridColumn[], members: readonly GridMember[], rules: StuckRules): Grid {
    const withSessions = this.#options.sessions.learnersWithSessions();
    return buildGrid({ workshop, columns, members, rules, now: this.#now(), activityOf: (id) => this.#activityOf(id, withSessions) });
  }

  async #liveWorkshop(workshopId: string): Promise<LiveWorkshop> {
    const live = this.#live.get(workshopId);
    if (live !== undefined) return live;
    let building = this.#building.get(workshopId);
    if (building === undefined) {
      building = (async () => {
        const workshop = this.#workshopOrThrow(workshopId);
        const columns = await this.#columnsOf(workshop);
        // Members are read after the await, so a join during the load is not missed.
        const entry: LiveWorkshop = {
          workshop,
          columns,
          members: new Map(this.#options.workshops.members(workshopId).map((m) => [m.learnerId, m])),
          subscribers: new Set(),
        };
        this.#live.set(workshopId, entry);
        return entry;
      })();
      this.#building.set(workshopId, building);
      building.finally(() => this.#building.delete(workshopId)).catch(() => {});
    }
    return building;
  }

  async #columnsOf(workshop: Workshop): Promise<GridColumn[]> {
    const perLesson = await Promise.all(
      workshop.lessons.map(async (lesson) => {
        try {
          const { title, steps } = await this.#options.lessonOf(lesson);
          return steps.map((step) => ({ lesson, lessonTitle: title, step: step.id, title: step.title }));
        } catch (error) {
          this.#options.logger?.warn("lesson steps unavailable for the dashboard", { lesson, error });
          return [];
        }
      }),
    );
    return perLesson.flat();
  }

  #workshopOrThrow(workshopId: string): Workshop {
    const workshop = this.#options.workshops.workshop(workshopId);
    if (workshop === undefined) throw new DashboardError("WORKSHOP_NOT_FOUND", `No workshop with id ${workshopId}.`);
    return workshop;
  }

  #startTicking(): void {
    if (this.#tick !== undefined) return;
    this.#tick = setInterval(() => this.#onTick(), this.#options.tickMs ?? 1000);
    this.#tick.unref();
  }

  #stopTicking(): void {
    if (this.#tick !== undefined) clearInterval(this.#tick);
    this.#tick = undefined;
  }
}
