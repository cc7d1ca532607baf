// Workshops over HTTP.
//
// Instructor (Authorization: Bearer <ADMIN_TOKEN>):
//   POST /api/workshops  {title, lessons: [id…], capacity, startsAt, endsAt, joinCode?}
//        (times as ISO 8601) → 201 {workshop}
//   GET  /api/workshops            → 200 {workshops: [workshop…]}
//   GET  /api/workshops/:id        → 200 {workshop, members: [{displayName, joinedAt, steps}]}
// Learner:
//   POST /api/join  {code, displayName}  → 200 {workshop: {id, title, lessons, startsAt, endsAt}}
//        sets the learner cookie. Same CSRF rule as the progress API (allowed Origin and
//        X-Mesh-Academy: 1); attempts are limited per client address (429 with Retry-After).
// Errors: WORKSHOP_NOT_FOUND 404, WORKSHOP_NOT_STARTED 409, WORKSHOP_FULL 409, WORKSHOP_ENDED
// 410, JOIN_CODE_TAKEN 409, ADMIN_TOKEN_REQUIRED 401, ADMIN_NOT_CONFIGURED 403.
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { z } from "zod";
import { JOIN_CODE_ALPHABET } from "../progress/join-code.ts";
import { WorkshopError, type Workshop } from "../progress/workshop-store.ts";
import { JoinRateLimitedError, type Workshops } from "../progress/workshops.ts";
import { sendJson, sendJsonError } from "./json-response.ts";
import { isOriginAllowed } from "./origin-policy.ts";
import { CSRF_HEADER, DISPLAY_NAME_MAX_LENGTH } from "./progress-api.ts";
import { clientKeyOf } from "./sessions-api.ts";

export interface WorkshopsApiOptions {
  workshops: Workshops;
  /** Unset: the instructor API refuses every request (403 ADMIN_NOT_CONFIGURED). */
  adminToken: string | undefined;
  allowedOrigins: readonly string[];
  headersFor?: (req: IncomingMessage) => Record<string, string>;
}

export type WorkshopsApiHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

const MAX_BODY_BYTES = 8192;
const ITEM = /^\/api\/workshops\/([A-Za-z0-9_-]{1,64})$/;
const slug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/);
const isoTime = z.iso.datetime({ offset: true }).transform((text) => Date.parse(text));
const createSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(120),
    lessons: z.array(slug).min(1).max(50),
    capacity: z.number().int().min(1).max(10_000),
    startsAt: isoTime,
    endsAt: isoTime,
    joinCode: z
      .string()
      .trim()
      .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}${JOIN_CODE_ALPHABET.toLowerCase()}-]{4,16}$`), "letters and digits without 0, 1, I, L or O")
      .optional(),
  })
  .refine((w) => w.endsAt > w.startsAt, { message: "endsAt must be after startsAt" });
const joinSchema = z.strictObject({
  code: z.string().max(32),
  displayName: z
    .string()
    .trim()
    .min(1)
    .max(DISPLAY_NAME_MAX_LENGTH)
    .refine((name) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name), "no control characters"),
});

export function createWorkshopsApi(options: WorkshopsApiOptions): WorkshopsApiHandler {
  const adminDigest = options.adminToken === undefined ? undefined : digest(options.adminToken);
  return async (req, res, pathname) => {
    const isJoin = pathname === "/api/join";
    if (!isJoin && pathname !== "/api/workshops" && !pathname.startsWith("/api/workshops/")) return false;
    const headers = options.headersFor?.(req) ?? {};
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}) => {
      sendJsonError(res, status, code, message, { ...headers, ...extra });
      return true;
    };
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, req.headers.host, options.allowedOrigins)) {
      return fail(403, "ORIGIN_FORBIDDEN", "This origin may not use the workshops API of this server.");
    }
    try {
      if (isJoin) {
        if (req.method !== "POST") return fail(405, "METHOD_NOT_ALLOWED", "Use POST to join a workshop.", { Allow: "POST" });
        if (origin === undefined) return fail(403, "ORIGIN_REQUIRED", "Joining must happen from the site's own join page.");
        if (req.headers[CSRF_HEADER] !== "1") return fail(403, "CSRF_HEADER_MISSING", `Joining needs the header ${CSRF_HEADER}: 1.`);
        const body = parseJson(await readBody(req));
        if (body === TOO_LARGE) return fail(413, "BODY_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
        const parsed = joinSchema.safeParse(body);
        if (!parsed.success) return fail(400, "BAD_REQUEST", `Expected {"code", "displayName"} with a name of 1 to ${DISPLAY_NAME_MAX_LENGTH} characters.`);
        const secure = (req.socket as TLSSocket).encrypted === true || req.headers["x-forwarded-proto"] === "https";
        const joined = options.workshops.join(clientKeyOf(req), req.headers, secure, parsed.data.code, parsed.data.displayName);
        const { id, title, lessons, startsAt, endsAt } = joined.workshop;
        sendJson(res, 200, { workshop: { id, title, lessons, startsAt: iso(startsAt), endsAt: iso(endsAt) } }, { ...headers, "Set-Cookie": joined.setCookie });
        return true;
      }

      if (adminDigest === undefined) return fail(403, "ADMIN_NOT_CONFIGURED", "Set ADMIN_TOKEN on the server to manage workshops.");
      const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
      if (token === undefined || !timingSafeEqual(digest(token), adminDigest)) {
        return fail(401, "ADMIN_TOKEN_REQUIRED", "Send the instructor's token as Authorization: Bearer <ADMIN_TOKEN>.", { "WWW-Authenticate": "Bearer" });
      }
      if (pathname === "/api/workshops") {
        if (req.method === "GET") {
          sendJson(res, 200, { workshops: options.workshops.list().map(publicWorkshop) }, headers);
          return true;
        }
        if (req.method !== "POST") return fail(405, "METHOD_NOT_ALLOWED", "Use GET or POST.", { Allow: "GET, POST" });
        const body = parseJson(await readBody(req));
        if (body === TOO_LARGE) return fail(413, "BODY_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
        const parsed = createSchema.safeParse(body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return fail(400, "BAD_REQUEST", `Invalid workshop: ${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "see the API description"}.`);
        }
        const workshop = options.workshops.create(parsed.data);
        sendJson(res, 201, { workshop: publicWorkshop(workshop) }, { ...headers, Location: `/api/workshops/${workshop.id}` });
        return true;
      }
      const match = ITEM.exec(pathname);
      if (match?.[1] === undefined) return fail(404, "NOT_FOUND", `No API at ${pathname}.`);
      if (req.method !== "GET") return fail(405, "METHOD_NOT_ALLOWED", "Use GET.", { Allow: "GET" });
      const detail = options.workshops.detail(match[1]);
      sendJson(
        res,
        200,
        {
          workshop: publicWorkshop(detail.workshop),
          members: detail.members.map((m) => ({
            displayName: m.displayName,
            joinedAt: iso(m.joinedAt),
            steps: m.steps.map((s) => ({ lesson: s.lesson, step: s.step, startedAt: s.startedAt ?? null, completedAt: s.completedAt ?? null, spentMs: s.spentMs ?? null })),
          })),
        },
        headers,
      );
      return true;
    } catch (error) {
      if (error instanceof WorkshopError) return fail(error.status, error.code, error.message);
      if (error instanceof JoinRateLimitedError) {
        return fail(error.status, error.code, error.message, { "Retry-After": String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) });
      }
      throw error;
    }
  };
}

function publicWorkshop(w: Workshop) {
  return {
    id: w.id,
    title: w.title,
    lessons: w.lessons,
    capacity: w.capacity,
    startsAt: iso(w.startsAt),
    endsAt: iso(w.endsAt),
    joinCode: w.joinCode,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// Compared as digests so the comparison takes the same time whatever the token's length.
function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

const TOO_LARGE = Symbol("too large");

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return TOO_LARGE;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

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
