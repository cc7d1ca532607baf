// The dashboard's two sockets. Each opens with a fresh one-time ticket (browsers cannot set an
// Authorization header on a WebSocket), sent as the second subprotocol.
import type { DashboardClientMessage, DashboardMessage, StuckRules, WatchMessage } from "../../../server/dashboard/dashboard-protocol.ts";
import type { AdminClient } from "./admin-client.ts";

// The same strings as server/dashboard/dashboard-protocol.ts (the page imports types only).
export const DASHBOARD_SUBPROTOCOL = "mesh-academy.dashboard.v1";
export const WATCH_SUBPROTOCOL = "mesh-academy.watch.v1";
export const TICKET_SUBPROTOCOL_PREFIX = "ticket.";

export type LiveState = "connecting" | "live" | "reconnecting" | "refused";

export interface LiveGridOptions {
  client: AdminClient;
  workshopId: string;
  pageUrl: string;
  /** The instructor's own stuck rules, sent on every connect; undefined keeps the server's. */
  rules: () => StuckRules | undefined;
  onMessage: (message: DashboardMessage) => void;
  onState: (state: LiveState, detail?: string) => void;
}

/** Keeps the live grid socket open, reconnecting with a growing pause (1 s up to 15 s). */
export class LiveGrid {
  readonly #options: LiveGridOptions;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(options: LiveGridOptions) {
    this.#options = options;
  }

  start(): void {
    void this.#connect();
  }

  sendRules(rules: StuckRules): void {
    const message: DashboardClientMessage = { type: "rules", afterMs: rules.afterMs, afterFailedChecks: rules.afterFailedChecks };
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, "page closed");
  }

  async #connect(): Promise<void> {
    if (this.#stopped) return;
    this.#options.onState(this.#attempt === 0 ? "connecting" : "reconnecting");
    let ticket: string;
    try {
      ticket = await this.#options.client.ticket(this.#options.workshopId);
    } catch (error) {
      const { status, message } = error as { status?: number; message?: string };
      if (status === 401 || status === 403 || status === 404) {
        this.#options.onState("refused", message);
        return;
      }
      this.#retry();
      return;
    }
    const socket = new WebSocket(socketUrl(this.#options.pageUrl, `/api/workshops/${encodeURIComponent(this.#options.workshopId)}/live`), [
      DASHBOARD_SUBPROTOCOL,
      `${TICKET_SUBPROTOCOL_PREFIX}${ticket}`,
    ]);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#options.onState("live");
      const rules = this.#options.rules();
      if (rules !== undefined) this.sendRules(rules);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== "string") return;
      const message = parse<DashboardMessage>(event.data, ["grid", "row", "error"]);
      if (message) this.#options.onMessage(message);
    };
    socket.onclose = () => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#retry();
    };
  }

  #retry(): void {
    if (this.#stopped) return;
    this.#options.onState("reconnecting");
    const delay = Math.min(15_000, 1000 * 2 ** this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }
}

/** Opens the read-only terminal socket of one learner; `onMessage` gets output and status. */
export async function openWatch(
  client: AdminClient,
  workshopId: string,
  learnerKey: string,
  pageUrl: string,
  onMessage: (message: WatchMessage) => void,
  onClose: (code: number) => void,
): Promise<WebSocket> {
  const ticket = await client.ticket(workshopId);
  const socket = new WebSocket(
    socketUrl(pageUrl, `/api/workshops/${encodeURIComponent(workshopId)}/learners/${encodeURIComponent(learnerKey)}/terminal`),
    [WATCH_SUBPROTOCOL, `${TICKET_SUBPROTOCOL_PREFIX}${ticket}`],
  );
  socket.onmessage = (event: MessageEvent) => {
    if (typeof event.data !== "string") return;
    const message = parse<WatchMessage>(event.data, ["data", "status"]);
    if (message) onMessage(message);
  };
  socket.onclose = (event: CloseEvent) => onClose(event.code);
  return socket;
}

export function socketUrl(pageUrl: string, pathname: string): string {
  const url = new URL(pathname, pageUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

// Frames come from this site's own server after authentication; a frame of an unknown type
// (a newer server) is skipped rather than trusted.
function parse<M extends { type: string }>(frame: string, types: readonly string[]): M | null {
  try {
    const value: unknown = JSON.parse(frame);
    if (typeof value !== "object" || value === null) return null;
    const type = (value as { type?: unknown }).type;
    return typeof type === "string" && types.includes(type) ? (value as M) : null;
  } catch {
    return null;
  }
}
