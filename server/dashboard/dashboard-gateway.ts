// The dashboard's WebSockets:
//   /api/workshops/:id/live                     the grid, pushed (subprotocol mesh-academy.dashboard.v1)
//   /api/workshops/:id/learners/:key/terminal   a learner's terminal, read-only (mesh-academy.watch.v1)
// Both need an allowed Origin and a one-time ticket from POST /api/workshops/:id/tickets,
// sent as the second subprotocol `ticket.<ticket>`. Every check runs on the plain HTTP request
// before the upgrade, as for the terminal: a refused request never gets a socket.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { z } from "zod";
import { isOriginAllowed } from "../http/origin-policy.ts";
import { refuseUpgrade } from "../http/refuse-upgrade.ts";
import { SocketHeartbeat } from "../http/socket-heartbeat.ts";
import type { Logger } from "../log/logger.ts";
import type { Session } from "../sessions/session.ts";
import { clampRules } from "./dashboard-api.ts";
import { DashboardError, type DashboardHub, type DashboardSubscription } from "./dashboard-hub.ts";
import { DASHBOARD_SUBPROTOCOL, TICKET_SUBPROTOCOL_PREFIX, WATCH_SUBPROTOCOL, type DashboardMessage, type WatchMessage } from "./dashboard-protocol.ts";
import type { DashboardTickets } from "./dashboard-tickets.ts";
import { watchTerminal } from "./terminal-watch.ts";

export interface DashboardGatewayOptions {
  hub: DashboardHub;
  tickets: DashboardTickets;
  /** The live session a learner's page used last. */
  sessionOf(learnerId: string): Session | undefined;
  allowedOrigins: readonly string[];
  /** The dashboard only ever sends small rule changes. Default 4 KiB. */
  maxPayloadBytes?: number;
  heartbeatMs?: number;
  logger: Logger;
}

/** An instructor's open watch of one learner's terminal. */
interface Watch {
  readonly learnerId: string;
  readonly session: Session;
  readonly ws: WebSocket;
  readonly stop: () => void;
}

const LIVE_PATH = /^\/api\/workshops\/([A-Za-z0-9_-]{1,64})\/live$/;
const WATCH_PATH = /^\/api\/workshops\/([A-Za-z0-9_-]{1,64})\/learners\/([A-Za-z0-9_-]{1,64})\/terminal$/;
const rulesMessage = z.strictObject({
  type: z.literal("rules"),
  afterMs: z.number().finite(),
  afterFailedChecks: z.number().finite(),
});

export class DashboardGateway {
  readonly #options: DashboardGatewayOptions;
  readonly #wss: WebSocketServer;
  readonly #heartbeat: SocketHeartbeat;
  readonly #watches = new Set<Watch>();
  #closing = false;

  constructor(options: DashboardGatewayOptions) {
    this.#options = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes ?? 4096,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(DASHBOARD_SUBPROTOCOL) ? DASHBOARD_SUBPROTOCOL : WATCH_SUBPROTOCOL),
    });
    this.#heartbeat = new SocketHeartbeat(this.#wss, options.heartbeatMs ?? 30_000);
  }

  matches(pathname: string): boolean {
    return LIVE_PATH.test(pathname) || WATCH_PATH.test(pathname);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const log = this.#options.logger;
    socket.on("error", (error) => log.debug("upgrade socket error", { error }));
    if (this.#closing) return refuseUpgrade(socket, 503, "The server is shutting down.");
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    const live = LIVE_PATH.exec(pathname);
    const watch = live ? null : WATCH_PATH.exec(pathname);
    const workshopId = (live ?? watch)?.[1];
    if (workshopId === undefined) return refuseUpgrade(socket, 404, "Not found.");
    if (!isOriginAllowed(request.headers.origin, request.headers.host, this.#options.allowedOrigins)) {
      log.warn("dashboard socket refused: origin not allowed", { origin: request.headers.origin ?? null });
      return refuseUpgrade(socket, 403, "This origin may not open dashboard sockets on this server.");
    }
    const protocols = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    const expected = live ? DASHBOARD_SUBPROTOCOL : WATCH_SUBPROTOCOL;
    if (!protocols.includes(expected)) return refuseUpgrade(socket, 400, `Expected the WebSocket subprotocol ${expected}.`);
    const ticket = protocols.find((p) => p.startsWith(TICKET_SUBPROTOCOL_PREFIX))?.slice(TICKET_SUBPROTOCOL_PREFIX.length);
    if (!this.#options.tickets.redeem(ticket, workshopId)) {
      log.warn("dashboard socket refused: no valid ticket", { workshop: workshopId });
      return refuseUpgrade(socket, 401, "A dashboard socket needs a fresh ticket from POST /api/workshops/:id/tickets.");
    }

    if (watch) {
      const learnerId = this.#options.hub.learnerIdOf(workshopId, watch[2] ?? "");
      if (learnerId === undefined) return refuseUpgrade(socket, 404, "This learner is not in the workshop.");
      const session = this.#options.sessionOf(learnerId);
      if (session === undefined) return refuseUpgrade(socket, 404, "This learner has no terminal open right now.");
      this.#accept(request, socket, head, (ws) => {
        log.info("instructor watching a terminal", { workshop: workshopId, session: session.id });
        const watch: Watch = { learnerId, session, ws, stop: watchTerminal({ ws, session, logger: log }) };
        this.#watches.add(watch);
        ws.on("close", () => this.#watches.delete(watch));
      });
      return;
    }

    this.#accept(request, socket, head, (ws) => {
      let subscription: DashboardSubscription | undefined;
      let closed = false;
      const send = (message: DashboardMessage): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      };
      ws.on("close", () => {
        closed = true;
        subscription?.close();
      });
      ws.on("error", (error) => log.debug("dashboard socket error", { error }));
      ws.on("message", (raw, isBinary) => {
        let parsed;
        try {
          parsed = isBinary ? undefined : rulesMessage.safeParse(JSON.parse(String(raw)));
        } catch {
          parsed = undefined;
        }
        if (!parsed?.success) {
          send({ type: "error", message: 'Expected {"type": "rules", "afterMs", "afterFailedChecks"}.' });
          return;
        }
        subscription?.setRules(clampRules(parsed.data));
      });
      this.#options.hub.subscribe(workshopId, send).then(
        (sub) => {
          if (closed) {
            sub.close();
            return;
          }
          subscription = sub;
          send({ type: "grid", grid: sub.grid });
        },
        (error: unknown) => {
          if (!(error instanceof DashboardError)) log.error("dashboard subscription failed", { error });
          send({ type: "error", message: error instanceof DashboardError ? error.message : "The dashboard could not be loaded." });
          ws.close(1011, "dashboard unavailable");
        },
      );
    });
  }

  /**
   * A learner's page attached to `session`: watches of their other terminals end with
   * `moved`, so the dashboard reconnects and follows them rather than staring at a terminal
   * they left.
   */
  followLearner(learnerId: string, session: Session): void {
    for (const watch of this.#watches) {
      if (watch.learnerId !== learnerId || watch.session === session) continue;
      this.#watches.delete(watch);
      watch.stop();
      if (watch.ws.readyState !== watch.ws.OPEN) continue;
      const moved: WatchMessage = { type: "status", state: "moved", message: "The learner opened another terminal." };
      watch.ws.send(JSON.stringify(moved));
      watch.ws.close(1000, "learner moved");
    }
  }

  /** Shutdown: refuse new upgrades and close every socket. */
  async close(): Promise<void> {
    this.#closing = true;
    this.#heartbeat.stop();
    for (const ws of this.#wss.clients) ws.close(1001, "server shutting down");
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  get connectionCount(): number {
    return this.#wss.clients.size;
  }

  #accept(request: IncomingMessage, socket: Duplex, head: Buffer, onOpen: (ws: WebSocket) => void): void {
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      if (this.#closing) {
        ws.close(1001, "server shutting down");
        return;
      }
      this.#heartbeat.watch(ws);
      onOpen(ws);
    });
  }
}
