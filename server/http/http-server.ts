// One Node HTTP server for everything: the session API, the terminal WebSocket upgrade and
// the built site. Security headers go on every answer, errors included.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { Logger } from "../log/logger.ts";
import type { SessionManager } from "../sessions/session-manager.ts";
import type { TerminalGateway } from "../terminal/terminal-gateway.ts";
import { sendJsonError } from "./json-response.ts";
import { createAutoCheckApi } from "../auto-check/auto-check-api.ts";
import { createChecksApi } from "../checks/checks-api.ts";
import { createMeshGraphApi } from "../mesh-graph/mesh-graph-api.ts";
import type { ProgressTracker } from "../progress/progress-tracker.ts";
import type { Dashboard } from "../dashboard/dashboard.ts";
import { createProgressApi } from "./progress-api.ts";
import type { Workshops } from "../progress/workshops.ts";
import { createWorkshopsApi } from "./workshops-api.ts";
import { createOpenApiHandler } from "./openapi-api.ts";
import { createSandboxInfoHandler } from "./sandbox-info-api.ts";
import { PreviewProxy } from "./preview-proxy.ts";
import { previewSecurityHeaders, securityHeaders } from "./security-headers.ts";
import { SessionsApi } from "./sessions-api.ts";
import { StaticSite } from "./static-site.ts";

export interface HttpServerOptions {
  siteRoot: string;
  /** Where the lessons (and their steps) live, for the checks API. */
  lessonsDir: string;
  allowedOrigins: readonly string[];
  sessions: SessionManager;
  gateway: TerminalGateway;
  logger: Logger;
  /** Learners' progress; without it /api/progress answers 404 like any unknown path. */
  progress?: ProgressTracker;
  /** Workshops and the instructors' token; without it /api/workshops and /api/join answer 404. */
  workshops?: { workshops: Workshops; adminToken: string | undefined };
  /** The instructor's live dashboard (its API and sockets); without it those paths answer 404. */
  dashboard?: Pick<Dashboard, "api" | "gateway">;
  /** Sessions one client address may create per minute (SESSION_CREATES_PER_MINUTE); unlimited when unset. */
  sessionCreatesPerMinute?: number;
  /** Told when a session was created (webhooks' session.started). */
  onSessionCreated?: (req: IncomingMessage, sessionId: string) => void;
}

export function createHttpServer(options: HttpServerOptions): Server {
  const { logger, gateway } = options;
  const headersFor = (req: IncomingMessage, hashes: readonly string[] = []) => securityHeaders(req.headers.host, hashes);
  const site = new StaticSite({ root: options.siteRoot, logger: logger.child({ component: "static" }), headersFor });
  const api = new SessionsApi({
    sessions: options.sessions,
    allowedOrigins: options.allowedOrigins,
    logger: logger.child({ component: "api" }),
    headersFor,
    ...(options.sessionCreatesPerMinute !== undefined ? { createsPerMinute: options.sessionCreatesPerMinute } : {}),
    ...(options.onSessionCreated ? { onSessionCreated: options.onSessionCreated } : {}),
    // With a learner cookie the live-session quota is the learner's, not their address's.
    ...(options.progress !== undefined ? { learnerOf: (req: IncomingMessage) => options.progress?.learnerIdOf(req.headers) } : {}),
  });

  // A step whose checks pass is a completion for the learner the request's cookie names.
  const onStepPassed = (req: IncomingMessage, lesson: string, step: string): void => {
    try {
      options.progress?.recordStepPassedFor(req.headers, lesson, step);
    } catch (error) {
      logger.error("recording a completion failed", { lesson, step, error });
    }
  };
  // A Check press that did not pass counts against the learner's step (the dashboard's "stuck").
  const onStepFailed = (req: IncomingMessage, lesson: string, step: string): void => {
    try {
      options.progress?.recordCheckFailedFor(req.headers, lesson, step);
    } catch (error) {
      logger.error("recording a failed check run failed", { lesson, step, error });
    }
  };
  const checks = createChecksApi({
    lessonsDir: options.lessonsDir,
    allowedOrigins: options.allowedOrigins,
    headersFor,
    onStepPassed,
    onStepFailed,
    // Checks read the cluster the learner's sandbox uses; a refused token is answered as is.
    sandboxFor: (id, token) => options.sessions.authenticate(id, token).sandbox,
  });
  const autoCheck = createAutoCheckApi({
    lessonsDir: options.lessonsDir,
    headersFor,
    onStepPassed,
    sandboxFor: (id, token) => options.sessions.authenticate(id, token).sandbox,
  });
  const progress = options.progress
    ? createProgressApi({ tracker: options.progress, allowedOrigins: options.allowedOrigins, headersFor })
    : async () => false;
  const workshops = options.workshops
    ? createWorkshopsApi({ ...options.workshops, allowedOrigins: options.allowedOrigins, headersFor })
    : async () => false;
  const meshGraph = createMeshGraphApi({
    headersFor,
    sandboxFor: (id, token) => options.sessions.authenticate(id, token).sandbox,
  });
  const openApi = createOpenApiHandler({ headersFor });
  const sandboxInfo = createSandboxInfoHandler({ headersFor, provider: () => options.sessions.providerName });
  const preview = new PreviewProxy({ sessions: options.sessions, logger: logger.child({ component: "preview" }) });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const pathname = pathnameOf(req);
    const started = performance.now();
    // A floor under every answer, whichever handler writes it: headers a handler passes to
    // writeHead take precedence, the rest stay.
    const floor = preview.matches(pathname) ? previewSecurityHeaders() : headersFor(req);
    for (const [name, value] of Object.entries(floor)) res.setHeader(name, value);
    res.once("finish", () =>
      logger.debug("request", {
        method: req.method,
        // A preview address carries a capability; it stays out of the logs.
        path: preview.matches(pathname) ? pathname.replace(/^(\/preview\/[^/]+\/)[^/]+/, "$1…") : pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      }),
    );
    const handled =
      pathname === "/api" || pathname.startsWith("/api/")
        ? openApi(req, res, pathname)
            .then((answered) => answered || sandboxInfo(req, res, pathname))
            .then((answered) => answered || progress(req, res, pathname))
            .then((answered) => answered || (options.dashboard?.api(req, res, pathname) ?? false))
            .then((answered) => answered || workshops(req, res, pathname))
            .then((answered) => answered || autoCheck(req, res, pathname))
            .then((answered) => answered || checks(req, res, pathname))
            .then((answered) => answered || meshGraph(req, res, pathname))
            .then((answered) => (answered ? undefined : api.handle(req, res, pathname)))
        : preview.matches(pathname)
          ? preview.handle(req, res)
          : site.handle(req, res);
    handled.catch((error: unknown) => {
      logger.error("request failed", { method: req.method, path: pathname, error });
      if (!res.headersSent) sendJsonError(res, 500, "INTERNAL", "The server failed to answer this request.", headersFor(req));
      else res.destroy();
    });
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (gateway.matches(pathnameOf(req))) {
      gateway.handleUpgrade(req, socket, head);
      return;
    }
    if (options.dashboard?.gateway.matches(pathnameOf(req))) {
      options.dashboard.gateway.handleUpgrade(req, socket, head);
      return;
    }
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });

  server.on("clientError", (error, socket) => {
    logger.debug("malformed request", { error });
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    else socket.destroy();
  });

  return server;
}

function pathnameOf(req: IncomingMessage): string {
  return (req.url ?? "/").split("?")[0] ?? "/";
}
