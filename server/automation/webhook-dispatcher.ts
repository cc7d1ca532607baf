// Delivers the outbox's rows in the background: at most `concurrency` requests at a time,
// each signed at the moment it is sent, with exponential back-off between attempts. Nothing
// here runs on a learner's request path: events are queued by WebhookEvents and this loop
// picks them up.
//
// Only the receivers in `urls` (WEBHOOK_URLS) are ever contacted: a row for an address no
// longer configured is given up, and redirects are not followed (a 3xx counts as a failure),
// so a receiver cannot point the server at an internal address.
import type { Logger } from "../log/logger.ts";
import type { OutboxDelivery, WebhookOutbox } from "./webhook-outbox.ts";
import { signWebhook } from "./webhook-signature.ts";

export const EVENT_HEADER = "X-Mesh-Academy-Event";
export const DELIVERY_HEADER = "X-Mesh-Academy-Delivery";

export interface WebhookDispatcherOptions {
  outbox: WebhookOutbox;
  urls: readonly string[];
  secret: string;
  logger: Logger;
  /** Requests in flight at once; default 4. */
  concurrency?: number;
  /** Per request; default 10 s. */
  timeoutMs?: number;
  /** First retry after this long, doubling each time; default 1 s. */
  retryBaseMs?: number;
  /** The longest wait between two attempts; default 1 hour. */
  retryMaxMs?: number;
  /** Attempts before a delivery is given up; default 15 (about 8 hours with the defaults). */
  maxAttempts?: number;
  /** How often the outbox is looked at when nothing kicks the loop; default 1 s. */
  pollMs?: number;
  /** Delivered and failed rows are forgotten after this long; default 1 day. */
  retentionMs?: number;
  now?: () => number;
  /** In [0, 1); spreads retries so receivers coming back up are not hit all at once. */
  random?: () => number;
}

export class WebhookDispatcher {
  readonly #options: Required<Omit<WebhookDispatcherOptions, "outbox" | "urls" | "secret" | "logger">>;
  readonly #outbox: WebhookOutbox;
  readonly #urls: ReadonlySet<string>;
  readonly #secret: string;
  readonly #logger: Logger;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #aborter = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #lastPrune = 0;

  constructor(options: WebhookDispatcherOptions) {
    this.#outbox = options.outbox;
    this.#urls = new Set(options.urls);
    this.#secret = options.secret;
    this.#logger = options.logger;
    this.#options = {
      concurrency: options.concurrency ?? 4,
      timeoutMs: options.timeoutMs ?? 10_000,
      retryBaseMs: options.retryBaseMs ?? 1000,
      retryMaxMs: options.retryMaxMs ?? 3_600_000,
      maxAttempts: options.maxAttempts ?? 15,
      pollMs: options.pollMs ?? 1000,
      retentionMs: options.retentionMs ?? 86_400_000,
      now: options.now ?? Date.now,
      random: options.random ?? Math.random,
    };
  }

  /** Starts the loop (deliveries left from before a restart go out first). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.kick();
  }

  /** Looks at the outbox now instead of at the next poll (called after an enqueue). */
  kick(): void {
    if (!this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#tick(), 0);
    this.#timer.unref();
  }

  /** Stops the loop and abandons requests in flight (their rows stay pending). */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#aborter.abort();
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  /** Resolves when nothing is in flight (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
  }

  /** Backoff before attempt `attempts + 1`, with ±20 % jitter. */
  retryDelay(attempts: number): number {
    const base = Math.min(this.#options.retryMaxMs, this.#options.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.8 + 0.4 * this.#options.random()));
  }

  #tick(): void {
    if (!this.#running) return;
    const now = this.#options.now();
    try {
      if (now - this.#lastPrune > 60_000) {
        this.#lastPrune = now;
        this.#outbox.prune(now - this.#options.retentionMs);
      }
      const free = this.#options.concurrency - this.#inFlight.size;
      if (free > 0) {
        // Ask for more than the free slots: rows already in flight come back too.
        for (const delivery of this.#outbox.due(now, free + this.#inFlight.size)) {
          const key = `${delivery.id} ${delivery.url}`;
          if (this.#inFlight.has(key) || this.#inFlight.size >= this.#options.concurrency) continue;
          const sending = this.#deliver(delivery).finally(() => {
            this.#inFlight.delete(key);
            this.kick();
          });
          this.#inFlight.set(key, sending);
        }
      }
    } catch (error) {
      this.#logger.error("reading the webhook outbox failed", { error });
    }
    if (this.#running) {
      this.#timer = setTimeout(() => this.#tick(), this.#options.pollMs);
      this.#timer.unref();
    }
  }

  async #deliver(delivery: OutboxDelivery): Promise<void> {
    const { id, url } = delivery;
    if (!this.#urls.has(url)) {
      this.#outbox.markFailed(id, url, this.#options.now(), "this address is no longer in WEBHOOK_URLS");
      return;
    }
    let problem: string;
    try {
      const response = await fetch(url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.any([this.#aborter.signal, AbortSignal.timeout(this.#options.timeoutMs)]),
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "MeshAcademy-Webhooks/1",
          [EVENT_HEADER]: delivery.type,
          [DELIVERY_HEADER]: id,
          "X-Mesh-Academy-Signature": signWebhook(this.#secret, delivery.body, Math.floor(this.#options.now() / 1000)),
        },
        body: delivery.body,
      });
      // The answer's body is of no interest; reading it frees the connection for reuse.
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        this.#outbox.markDelivered(id, url, this.#options.now());
        this.#logger.debug("webhook delivered", { event: id, type: delivery.type, url, status: response.status });
        return;
      }
      problem = `HTTP ${response.status}${response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : ""}`;
    } catch (error) {
      if (this.#aborter.signal.aborted) return;
      problem = error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error);
    }
    const attempts = delivery.attempts + 1;
    if (attempts >= this.#options.maxAttempts) {
      this.#outbox.markFailed(id, url, this.#options.now(), problem);
      this.#logger.warn("webhook given up", { event: id, type: delivery.type, url, attempts, problem });
      return;
    }
    this.#outbox.markRetry(id, url, this.#options.now() + this.retryDelay(attempts), problem);
    this.#logger.debug("webhook will be retried", { event: id, url, attempts, problem });
  }
}
