// Per-client attempt counting for join codes: at most `limit` attempts per client in each
// window. Every attempt counts, right or wrong, so a guesser learns nothing from the limit
// itself; with 6-character codes over 31 symbols (~8.9e8) and 10 attempts a minute, guessing
// one live code takes on the order of a century.

export interface AttemptLimiterOptions {
  limit: number;
  windowMs: number;
  now?: () => number;
  /** Clients remembered at once; the oldest windows are dropped beyond it (memory bound). */
  maxClients?: number;
}

export interface AttemptVerdict {
  allowed: boolean;
  /** When refused: how long until the client may try again. */
  retryAfterMs: number;
}

export class AttemptLimiter {
  readonly #options: Required<AttemptLimiterOptions>;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(options: AttemptLimiterOptions) {
    this.#options = { now: Date.now, maxClients: 100_000, ...options };
  }

  take(client: string): AttemptVerdict {
    const now = this.#options.now();
    let window = this.#windows.get(client);
    if (window === undefined || now - window.start >= this.#options.windowMs) {
      window = { start: now, count: 0 };
      this.#windows.delete(client);
      this.#windows.set(client, window);
      this.#prune(now);
    }
    if (window.count >= this.#options.limit) {
      return { allowed: false, retryAfterMs: window.start + this.#options.windowMs - now };
    }
    window.count++;
    return { allowed: true, retryAfterMs: 0 };
  }

  // Map order is insertion order, and a new window is re-inserted, so the first entries are oldest.
  #prune(now: number): void {
    for (const [client, window] of this.#windows) {
      if (this.#windows.size <= this.#options.maxClients && now - window.start < this.#options.windowMs) return;
      this.#windows.delete(client);
    }
  }
}
