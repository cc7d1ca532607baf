import type { ProgressStorage } from "./lesson-progress.ts";

/**
 * Step events the server has not acknowledged yet, kept in the browser so a completion made
 * while the server restarts (or the network drops) is sent on the next try instead of lost.
 *
 * Key: `mesh-academy:progress-outbox`. Value: JSON array of {lesson, step, event}.
 */
export const PROGRESS_OUTBOX_KEY = "mesh-academy:progress-outbox";
// A page left open on a dead server must not grow storage without bound.
const MAX_PENDING = 200;

export interface StepEvent {
  lesson: string;
  step: string;
  event: "started" | "passed";
}

/**
 * Sends one event. "acknowledged": the server has it on disk. "refused": the server will never
 * take it (a 4xx such as a malformed id), so retrying is pointless. "unreachable": try later.
 */
export type SendOutcome = "acknowledged" | "refused" | "unreachable";
export type SendStepEvent = (event: StepEvent) => Promise<SendOutcome>;

export class ProgressOutbox {
  readonly #storage: ProgressStorage;
  readonly #send: SendStepEvent;
  #flushing: Promise<boolean> | undefined;

  constructor(storage: ProgressStorage, send: SendStepEvent) {
    this.#storage = storage;
    this.#send = send;
  }

  /** Queues the event and tries to send everything queued, oldest first. */
  async record(event: StepEvent): Promise<void> {
    const pending = this.pending().filter((p) => !(p.lesson === event.lesson && p.step === event.step && p.event === event.event));
    pending.push(event);
    this.#write(pending.slice(-MAX_PENDING));
    // A drain already finishing may have looked at the queue before this event was added.
    while ((await this.#drainShared()) && this.pending().length > 0);
  }

  /** Sends queued events until one cannot be sent (the rest wait for the next flush). */
  async flush(): Promise<void> {
    await this.#drainShared();
  }

  // One drain at a time; it is cleared only after being stored, since an empty outbox's
  // drain settles at once. Resolves false when the server was unreachable.
  #drainShared(): Promise<boolean> {
    if (this.#flushing !== undefined) return this.#flushing;
    const flushing = this.#drain().finally(() => {
      if (this.#flushing === flushing) this.#flushing = undefined;
    });
    this.#flushing = flushing;
    return flushing;
  }

  async #drain(): Promise<boolean> {
    for (;;) {
      const [first] = this.pending();
      if (first === undefined) return true;
      let outcome: SendOutcome;
      try {
        outcome = await this.#send(first);
      } catch {
        outcome = "unreachable";
      }
      if (outcome === "unreachable") return false;
      // Drop exactly what was sent; record() may have appended meanwhile.
      this.#write(this.pending().filter((p) => !(p.lesson === first.lesson && p.step === first.step && p.event === first.event)));
    }
  }

  pending(): StepEvent[] {
    try {
      const parsed: unknown = JSON.parse(this.#storage.getItem(PROGRESS_OUTBOX_KEY) ?? "[]");
      if (!Array.isArray(parsed)) return [];
      return parsed.filter(
        (p): p is StepEvent =>
          typeof p === "object" && p !== null && typeof p.lesson === "string" && typeof p.step === "string" && (p.event === "started" || p.event === "passed"),
      );
    } catch {
      return [];
    }
  }

  #write(pending: StepEvent[]): void {
    try {
      if (pending.length === 0) this.#storage.removeItem(PROGRESS_OUTBOX_KEY);
      else this.#storage.setItem(PROGRESS_OUTBOX_KEY, JSON.stringify(pending));
    } catch {
      // Full or blocked storage: the event is still sent now, just not kept for a retry.
    }
  }
}
