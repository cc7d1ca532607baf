// Completion must answer while the learner waits: a lookup that takes too long counts as
// having found nothing, and is told to stop.

/**
 * Runs `work` with a signal that aborts after `ms`; resolves with its result, or with
 * `fallback` if it fails or has not finished by then.
 */
export function withDeadline<T>(ms: number, fallback: T, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => {
      controller.abort(new Error("completion lookup timed out"));
      resolve(fallback);
    }, ms);
    let started: Promise<T>;
    try {
      started = work(controller.signal);
    } catch {
      started = Promise.resolve(fallback);
    }
    started.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}
