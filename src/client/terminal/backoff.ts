// How long to wait before the next reconnect attempt. Pure so it can be tested without timers.

export interface BackoffPolicy {
  /** Ceiling of the first delay, in milliseconds. */
  baseMs: number;
  /** No delay ever exceeds this, however many attempts failed. */
  maxMs: number;
  /** Growth of the ceiling per failed attempt. */
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 250, maxMs: 5000, factor: 2 });

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential growth up to
 * `maxMs`, with "equal jitter" — half of the ceiling is fixed, half is random. The fixed
 * half keeps a failing server from being hammered; the random half spreads out the
 * reconnects of every open tab when a server restarts.
 *
 * `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelay(
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const step = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * policy.factor ** step);
  const jitter = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (jitter * ceiling) / 2);
}
