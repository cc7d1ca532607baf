// One-time tickets for the dashboard's WebSockets. A browser cannot put an Authorization
// header on a WebSocket, and the admin token itself must not travel in a URL or a
// subprotocol that proxies log, so the page trades the token (in a POST with the header) for
// a ticket: random, bound to one workshop, good for one upgrade within a short time.
import { randomBytes } from "node:crypto";

export interface DashboardTicketsOptions {
  /** How long a ticket stays good; default 30 s (the page uses it at once). */
  ttlMs?: number;
  /** Tickets outstanding at most; the oldest are dropped beyond it. Default 1000. */
  max?: number;
  now?: () => number;
}

interface Ticket {
  workshopId: string;
  expiresAt: number;
}

export class DashboardTickets {
  readonly ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;
  // Insertion order is issue order, so the first entries are the oldest.
  readonly #tickets = new Map<string, Ticket>();

  constructor(options: DashboardTicketsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.#max = options.max ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** A new ticket for `workshopId`; call only after the admin token was checked. */
  issue(workshopId: string): string {
    this.#prune();
    while (this.#tickets.size >= this.#max) {
      const oldest = this.#tickets.keys().next().value;
      if (oldest === undefined) break;
      this.#tickets.delete(oldest);
    }
    const ticket = randomBytes(24).toString("base64url");
    this.#tickets.set(ticket, { workshopId, expiresAt: this.#now() + this.ttlMs });
    return ticket;
  }

  /** True once for a ticket issued for `workshopId` that has not expired; it is spent either way. */
  redeem(ticket: string | undefined, workshopId: string): boolean {
    if (ticket === undefined) return false;
    const entry = this.#tickets.get(ticket);
    if (entry === undefined) return false;
    this.#tickets.delete(ticket);
    return entry.workshopId === workshopId && this.#now() < entry.expiresAt;
  }

  get size(): number {
    return this.#tickets.size;
  }

  #prune(): void {
    const now = this.#now();
    for (const [ticket, entry] of this.#tickets) if (entry.expiresAt <= now) this.#tickets.delete(ticket);
  }
}
