// The terminal WebSocket endpoint, GET /api/sessions/:id/terminal. Every check (origin,
// subprotocol, session, token) runs on the plain HTTP request before the upgrade: a refused
// request gets a short HTTP answer and its socket is destroyed, and no shell is ever made.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Logger } from "../log/logger.ts";
import { isOriginAllowed } from "../http/origin-policy.ts";
import { refuseUpgrade } from "../http/refuse-upgrade.ts";
import { SocketHeartbeat } from "../http/socket-heartbeat.ts";
import { SessionError } from "../sessions/session-error.ts";
import type { SessionManager } from "../sessions/session-manager.ts";
import type { Session } from "../sessions/session.ts";
import { CLOSE_REPLACED, TerminalConnection } from "./terminal-connection.ts";
import { TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX } from "./protocol.ts";

export interface TerminalGatewayOptions {
  sessions: SessionManager;
  allowedOrigins: readonly string[];
  maxPayloadBytes: number;
  heartbeatMs: number;
  highWaterMarkBytes: number;
  logger: Logger;
  /**
   * Told when a terminal socket was accepted for a session, with the upgrade request (its
   * cookies say which learner's page this is). Must be quick and must not throw.
   */
  onAttached?: (session: Session, request: IncomingMessage) => void;
}

const TERMINAL_PATH = /^\/api\/sessions\/([^/]+)\/terminal$/;

export class TerminalGateway {
  #options: TerminalGatewayOptions;
  #logger: Logger;
  #wss: WebSocketServer;
  #connections = new Map<string, TerminalConnection>();
  #heartbeat: SocketHeartbeat;
  #closing = false;

  constructor(options: TerminalGatewayOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes,
      // Compression costs CPU and memory per socket for small, latency-bound frames.
      perMessageDeflate: false,
      handleProtocols: () => TERMINAL_SUBPROTOCOL,
    });
    // A dead socket is terminated, so its session starts counting idle time.
    this.#heartbeat = new SocketHeartbeat(this.#wss, options.heartbeatMs);
  }

  /** True when `path` belongs to this gateway (the caller should hand the upgrade over). */
  matches(pathname: string): boolean {
    return TERMINAL_PATH.test(pathname);
  }

  /** Number of open terminal sockets. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", (error) => this.#logger.debug("upgrade socket error", { error }));
    if (this.#closing) return refuseUpgrade(socket, 503, "The server is shutting down.");
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    const match = TERMINAL_PATH.exec(pathname);
    if (!match?.[1]) return refuseUpgrade(socket, 404, "Not found.");
    let sessionId: string;
    try {
      sessionId = decodeURIComponent(match[1]);
    } catch {
      return refuseUpgrade(socket, 400, "Malformed session id.");
    }
    const log = this.#logger.child({ session: sessionId });
    if (!isOriginAllowed(request.headers.origin, request.headers.host, this.#options.allowedOrigins)) {
      log.warn("terminal refused: origin not allowed", { origin: request.headers.origin ?? null });
      return refuseUpgrade(socket, 403, "This origin may not open terminals on this server.");
    }
    const protocols = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    if (!protocols.includes(TERMINAL_SUBPROTOCOL)) {
      return refuseUpgrade(socket, 400, `Expected the WebSocket subprotocol ${TERMINAL_SUBPROTOCOL}.`);
    }
    const token = protocols.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX))?.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
    let session;
    try {
      session = this.#options.sessions.authenticate(sessionId, token);
    } catch (error) {
      if (!(error instanceof SessionError)) throw error;
      log.warn("terminal refused", { code: error.code });
      return refuseUpgrade(socket, error.status, error.message);
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      if (this.#closing) {
        ws.close(1001, "server shutting down");
        return;
      }
      const connection = new TerminalConnection({
        ws,
        session,
        highWaterMarkBytes: this.#options.highWaterMarkBytes,
        logger: log,
      });
      // One terminal per session: the newest socket wins (a second tab, or a reconnect
      // that raced the old socket's timeout).
      const previous = this.#connections.get(sessionId);
      if (previous) previous.close(CLOSE_REPLACED, "replaced by a newer connection");
      this.#connections.set(sessionId, connection);
      this.#heartbeat.watch(ws);
      ws.on("close", () => {
        if (this.#connections.get(sessionId) === connection) this.#connections.delete(sessionId);
      });
      log.info("terminal connected");
      this.#options.onAttached?.(session, request);
      connection.open();
    });
  }

  /** Shutdown: refuse new upgrades and close every socket with `code`. */
  closeAll(code = 1001, reason = "server shutting down"): void {
    this.#closing = true;
    this.#heartbeat.stop();
    for (const connection of this.#connections.values()) connection.close(code, reason);
    this.#connections.clear();
    for (const ws of this.#wss.clients) ws.close(code, reason);
  }

  /** Resolves when every socket has finished closing (or was cut off after `graceMs`). */
  async close(graceMs = 2000): Promise<void> {
    this.closeAll();
    const deadline = setTimeout(() => {
      for (const ws of this.#wss.clients) ws.terminate();
    }, graceMs);
    deadline.unref();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    await Promise.all(
      [...this.#wss.clients].map((ws) => new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) resolve();
        else ws.once("close", () => resolve());
      })),
    );
    clearTimeout(deadline);
  }
}
