// The progress API, for the learner behind the signed cookie (never anyone else):
//
//   GET  /api/progress
//        → 200 {learner: {displayName} | null, steps: [{lesson, step, startedAt, completedAt, spentMs, source}]}
//   POST /api/progress/steps      {"lesson", "step", "event": "started" | "passed"}
//        → 200 {step: {…}, firstTime?}   (creates the learner and sets the cookie when new)
//   PUT  /api/progress/learner    {"displayName": "…" | null}
//        → 200 {learner: {displayName}}
//
// Times are milliseconds since the epoch. A 200 to a write means it is on disk.
// CSRF: a state-changing request must come from an allowed Origin *and* carry the header
// `X-Mesh-Academy: 1`. A cross-site form cannot set that header, and a cross-site fetch that
// sets it needs a CORS preflight this server never grants; the Origin check covers old
// browsers and the SameSite=Lax cookie is a third line.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { z } from "zod";
import type { Learner, StepProgress } from "../progress/progress-store.ts";
import type { ProgressTracker } from "../progress/progress-tracker.ts";
import { sendJson, sendJsonError } from "./json-response.ts";
import { isOriginAllowed } from "./origin-policy.ts";

export const CSRF_HEADER = "x-mesh-academy";
export const DISPLAY_NAME_MAX_LENGTH = 60;

export interface ProgressApiOptions {
  tracker: ProgressTracker;
  allowedOrigins: readonly string[];
  headersFor?: (req: IncomingMessage) => Record<string, string>;
}

/** Resolves to true when the request was for this API (and has been answered). */
export type ProgressApiHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

const MAX_BODY_BYTES = 2048;
const slug = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/, "a lesson or step id: letters, digits, - and _, at most 80");
const stepEventSchema = z.strictObject({ lesson: slug, step: slug, event: z.enum(["started", "passed"]) });
const learnerSchema = z.strictObject({
  displayName: z
    .string()
    .trim()
    .max(DISPLAY_NAME_MAX_LENGTH)
    // Control characters (and bidi overrides) would let a name disguise itself in a list.
    .refine((name) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name), "no control characters")
    .nullable(),
});

export function createProgressApi(options: ProgressApiOptions): ProgressApiHandler {
  const { tracker } = options;
  return async (req, res, pathname) => {
    if (pathname !== "/api/progress" && !pathname.startsWith("/api/progress/")) return false;
    const headers = options.headersFor?.(req) ?? {};
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}) => {
      sendJsonError(res, status, code, message, { ...headers, ...extra });
      return true;
    };
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, req.headers.host, options.allowedOrigins)) {
      return fail(403, "ORIGIN_FORBIDDEN", "This origin may not use the progress API of this server.");
    }

    if (pathname === "/api/progress") {
      if (req.method !== "GET") return fail(405, "METHOD_NOT_ALLOWED", "Use GET to read your progress.", { Allow: "GET" });
      const id = tracker.learnerIdOf(req.headers);
      const learner = id === undefined ? undefined : tracker.learner(id);
      // No cookie yet: nothing is created for a mere read, so crawlers leave no rows behind.
      sendJson(res, 200, { learner: learner ? publicLearner(learner) : null, steps: learner ? tracker.progressOf(learner.id).map(publicStep) : [] }, headers);
      return true;
    }

    const write =
      pathname === "/api/progress/steps" ? "POST" : pathname === "/api/progress/learner" ? "PUT" : undefined;
    if (write === undefined) return fail(404, "NOT_FOUND", `No API at ${pathname}.`);
    if (req.method !== write) return fail(405, "METHOD_NOT_ALLOWED", `Use ${write} here.`, { Allow: write });
    if (origin === undefined) {
      return fail(403, "ORIGIN_REQUIRED", "Changes to progress must come from the site's own pages (the request had no Origin header).");
    }
    if (req.headers[CSRF_HEADER] !== "1") {
      return fail(403, "CSRF_HEADER_MISSING", `Changes to progress need the header ${CSRF_HEADER}: 1.`);
    }
    const text = await readBody(req);
    if (text === undefined) return fail(413, "BODY_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(400, "BAD_REQUEST", "The request body must be JSON.");
    }

    const { learner, setCookie } = tracker.learnerFor(req.headers, isHttps(req));
    const withCookie = { ...headers, "Set-Cookie": setCookie };
    if (write === "POST") {
      const parsed = stepEventSchema.safeParse(json);
      if (!parsed.success) return fail(400, "BAD_REQUEST", `Expected {"lesson", "step", "event": "started" | "passed"}: ${parsed.error.issues[0]?.message ?? "invalid"}.`);
      const { lesson, step, event } = parsed.data;
      if (event === "started") {
        sendJson(res, 200, { step: publicStep(tracker.recordStepStarted(learner.id, lesson, step)) }, withCookie);
      } else {
        const completion = tracker.recordStepPassed(learner.id, lesson, step, "page");
        sendJson(res, 200, { step: publicStep(completion.progress), firstTime: completion.firstTime }, withCookie);
      }
      return true;
    }
    const parsed = learnerSchema.safeParse(json);
    if (!parsed.success) {
      return fail(400, "BAD_REQUEST", `Expected {"displayName": "…" | null}, at most ${DISPLAY_NAME_MAX_LENGTH} characters without control characters.`);
    }
    const name = parsed.data.displayName === null || parsed.data.displayName === "" ? undefined : parsed.data.displayName;
    sendJson(res, 200, { learner: publicLearner(tracker.setDisplayName(learner.id, name)) }, withCookie);
    return true;
  };
}

// The learner id stays out of answers: the cookie is the credential, the id is internal.
function publicLearner(learner: Learner): { displayName: string | null } {
  return { displayName: learner.displayName ?? null };
}

function publicStep(step: StepProgress) {
  return {
    lesson: step.lesson,
    step: step.step,
    startedAt: step.startedAt ?? null,
    completedAt: step.completedAt ?? null,
    spentMs: step.spentMs ?? null,
    source: step.source ?? null,
  };
}

// Secure cookies when the browser reached us over https, directly or through a proxy that says so.
function isHttps(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).encrypted === true || req.headers["x-forwarded-proto"] === "https";
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
