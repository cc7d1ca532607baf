// The session API:
//   POST   /api/sessions       → 201 {id, token}   (body, optional: {"start": "<starting state>"})
//          429 SESSION_RATE_LIMITED with Retry-After past SESSION_CREATES_PER_MINUTE per address;
//          429 SESSION_LIMIT_CLIENT past SESSIONS_PER_CLIENT live sessions per learner (signed
//          cookie), or per address for requests without one
//   GET    /api/sessions/:id   → 200 {id, state, preview, provider}   (Authorization: Bearer <token>);
//          provider is "embedded" (a cluster of one's own) or "cluster" (a namespace of a shared cluster)
//   DELETE /api/sessions/:id   → 204               (Authorization: Bearer <token>)
//   GET    /api/sessions/:id/mesh → 200 {edges, requests}   (Authorization: Bearer <token>):
//          traffic per edge and the latest requests with their hop-by-hop traces
// After a server restart a session comes back from its snapshot when there is one (embedded
// sandboxes, SANDBOX_SNAPSHOTS on: see server/sessions/README.md); otherwise it is gone and
// GET answers 404: that is how the browser tells "session ended" from "server down" (no
// answer at all).
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { SANDBOX_STARTS, type SandboxStart } from "../../src/lessons/sandbox-starts.ts";
import type { Logger } from "../log/logger.ts";
import { AttemptLimiter } from "../progress/attempt-limiter.ts";
import { SessionError } from "../sessions/session-error.ts";
import type { SessionManager } from "../sessions/session-manager.ts";
import { sendJson, sendJsonError } from "./json-response.ts";
import { isOriginAllowed } from "./origin-policy.ts";

export interface SessionsApiOptions {
  sessions: SessionManager;
  allowedOrigins: readonly string[];
  logger: Logger;
  /** Headers every response carries. */
  headersFor: (req: IncomingMessage) => Record<string, string>;
  /**
   * The learner the request's signed cookie names, if any: the live-session quota then
   * counts per learner instead of per address (a workshop room behind one NAT).
   */
  learnerOf?: (req: IncomingMessage) => string | undefined;
  /** Sessions one client address may create per minute; unlimited when unset. */
  createsPerMinute?: number;
  now?: () => number;
  /** Told after a session was created (webhooks announce it). Must not throw or block. */
  onSessionCreated?: (req: IncomingMessage, sessionId: string) => void;
}

const COLLECTION = "/api/sessions";
const ITEM = /^\/api\/sessions\/([^/]+)$/;
const MESH = /^\/api\/sessions\/([^/]+)\/mesh$/;
// The API takes no request bodies worth reading; anything bigger than this is refused.
const MAX_BODY_BYTES = 4096;

export class SessionsApi {
  #options: SessionsApiOptions;
  // Counts every creation attempt, successful or not, so a refused quota cannot be hammered.
  #creates: AttemptLimiter | undefined;

  constructor(options: SessionsApiOptions) {
    this.#options = options;
    this.#creates =
      options.createsPerMinute === undefined
        ? undefined
        : new AttemptLimiter({ limit: options.createsPerMinute, windowMs: 60_000, ...(options.now ? { now: options.now } : {}) });
  }

  /** Answers requests under /api/; the caller routes only those here. */
  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const headers = this.#options.headersFor(req);
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}) =>
      sendJsonError(res, status, code, message, { ...headers, ...extra });

    // Browsers always send Origin on these methods from another site; tools like curl do not.
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, req.headers.host, this.#options.allowedOrigins)) {
      return fail(403, "ORIGIN_FORBIDDEN", "This origin may not use the session API of this server.");
    }
    const body = await readBody(req);
    if (body === undefined) {
      return fail(413, "BODY_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    }

    try {
      if (pathname === COLLECTION) {
        if (req.method !== "POST") return fail(405, "METHOD_NOT_ALLOWED", "Use POST to create a session.", { Allow: "POST" });
        const verdict = this.#creates?.take(clientKeyOf(req));
        if (verdict !== undefined && !verdict.allowed) {
          const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
          return fail(429, "SESSION_RATE_LIMITED", `Too many new sessions from this address; try again in ${seconds} s.`, { "Retry-After": String(seconds) });
        }
        const request = parseCreateRequest(body);
        if (typeof request === "string") return fail(400, "BAD_REQUEST", request);
        const learnerId = this.#options.learnerOf?.(req);
        const { session, token } = this.#options.sessions.create(clientKeyOf(req), {
          ...request,
          ...(learnerId !== undefined ? { learnerId } : {}),
        });
        this.#options.onSessionCreated?.(req, session.id);
        return sendJson(res, 201, { id: session.id, token }, { ...headers, Location: `${COLLECTION}/${session.id}` });
      }
      const match = ITEM.exec(pathname);
      if (match?.[1]) {
        const id = decodeURIComponent(match[1]);
        if (req.method !== "GET" && req.method !== "DELETE") {
          return fail(405, "METHOD_NOT_ALLOWED", "Use GET or DELETE on a session.", { Allow: "GET, DELETE" });
        }
        const session = this.#options.sessions.authenticate(id, bearerToken(req));
        if (req.method === "GET") {
          const provider = this.#options.sessions.providerName;
          return sendJson(res, 200, { id: session.id, state: session.state, preview: this.#options.sessions.previewPath(id), provider }, headers);
        }
        await this.#options.sessions.end(id, "The session was closed.");
        res.writeHead(204, { ...headers, "Cache-Control": "no-store" });
        res.end();
        return;
      }
      const mesh = MESH.exec(pathname);
      if (mesh?.[1]) {
        if (req.method !== "GET") return fail(405, "METHOD_NOT_ALLOWED", "Use GET to read the mesh's traffic.", { Allow: "GET" });
        const sandbox = this.#options.sessions.authenticate(decodeURIComponent(mesh[1]), bearerToken(req)).sandbox;
        if (sandbox === undefined) return fail(409, "SANDBOX_NOT_READY", "The sandbox is not running yet.");
        if (sandbox.telemetry === undefined) return fail(501, "NO_TELEMETRY", "This kind of sandbox does not report its traffic.");
        return sendJson(res, 200, sandbox.telemetry(), headers);
      }
      return fail(404, "NOT_FOUND", `No API at ${pathname}.`);
    } catch (error) {
      if (error instanceof SessionError) {
        const extra: Record<string, string> = error.status === 401 ? { "WWW-Authenticate": "Bearer" } : {};
        return fail(error.status, error.code, error.message, extra);
      }
      if (error instanceof URIError) return fail(400, "BAD_REQUEST", "Malformed session id.");
      throw error;
    }
  }
}

/**
 * The remote address: the creation rate limit counts per address, and so does the live-session
 * quota of requests without a learner cookie (one browser, or one NAT, shares it).
 */
export function clientKeyOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The body's text, or undefined when it is over the limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const createRequestSchema = z.strictObject({ start: z.enum(SANDBOX_STARTS).optional() });

/** An empty body or `{}` asks for an empty sandbox; otherwise the message says what is wrong. */
function parseCreateRequest(body: string): { start?: SandboxStart } | string {
  if (body.trim() === "") return {};
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return "The request body must be JSON, e.g. {\"start\": \"istio\"}.";
  }
  const parsed = createRequestSchema.safeParse(json);
  if (!parsed.success) return `Unknown session options: "start" must be one of ${SANDBOX_STARTS.join(", ")}, and nothing else is accepted.`;
  return parsed.data.start === undefined ? {} : { start: parsed.data.start };
}
