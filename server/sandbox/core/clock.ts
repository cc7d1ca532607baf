// Time is injected so the whole cluster can run on virtual time in tests and on the wall
// clock when serving learners.

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The wall clock. Timers are unref'd so a forgotten timer never keeps a process alive. */
export function createSystemClock(): Clock {
  let nextId = 1;
  const timers = new Map<number, NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    setTimeout(callback, delayMs) {
      const id = nextId++;
      const timer = globalThis.setTimeout(() => {
        timers.delete(id);
        callback();
      }, Math.max(0, delayMs));
      timer.unref();
      timers.set(id, timer);
      return { id };
    },
    clearTimeout(handle) {
      const timer = timers.get(handle.id);
      if (timer !== undefined) {
        globalThis.clearTimeout(timer);
        timers.delete(handle.id);
      }
    },
  };
}
