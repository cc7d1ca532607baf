import type { Clock, TimerHandle } from '../core/clock.ts';

/**
 * Deduplicating, clock-driven work: each key runs at most once per scheduled time, never
 * inside the change notification that asked for it (controllers must not write re-entrantly).
 */
export class WorkQueue {
  #clock: Clock;
  #pending = new Map<string, { handle: TimerHandle; due: number }>();
  #onError: (key: string, error: unknown) => void;
  #stopped = false;

  constructor(clock: Clock, onError: (key: string, error: unknown) => void) {
    this.#clock = clock;
    this.#onError = onError;
  }

  /** Runs `work` after `delayMs`, unless the key is already due no later than that. */
  add(key: string, work: () => void, delayMs = 0): void {
    if (this.#stopped) return;
    const due = this.#clock.now() + delayMs;
    const existing = this.#pending.get(key);
    if (existing !== undefined) {
      if (existing.due <= due) return;
      this.#clock.clearTimeout(existing.handle);
    }
    const handle = this.#clock.setTimeout(() => {
      this.#pending.delete(key);
      if (this.#stopped) return;
      try {
        work();
      } catch (error) {
        this.#onError(key, error);
      }
    }, delayMs);
    this.#pending.set(key, { handle, due });
  }

  get size(): number {
    return this.#pending.size;
  }

  stop(): void {
    this.#stopped = true;
    for (const { handle } of this.#pending.values()) this.#clock.clearTimeout(handle);
    this.#pending.clear();
  }
}
