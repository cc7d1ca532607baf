// The checks HTTP API, a handler the server mounts in front of the session API:
//
//   GET  /api/lessons/:lesson/steps
//        → 200 {lesson, steps: [{id, title, hints, solution, checks: [name…]}]}
//   POST /api/sessions/:id/lessons/:lesson/steps/:step/checks    (Authorization: Bearer <token>)
//        → 200 application/x-ndjson, one JSON object per line as the checks finish:
//          {"type":"start","lesson":…,"step":…,"checks":[name…]}
//          {"type":"result","index":0,"check":…,"status":"passed"|"failed"|"error","message"?,"code"?}
//          {"type":"end","passed":true|false}
//
// Errors before the stream starts have the API's shape {error: {code, message}}.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, sendJsonError } from "../http/json-response.ts";
import { isOriginAllowed } from "../http/origin-policy.ts";
import type { CheckTarget, Step } from "./check-types.ts";
import { loadLesson, type Lesson } from "./load-lesson.ts";
import { runChecks } from "./run-checks.ts";
import { StepsError } from "./steps-error.ts";

export interface ChecksApiOptions {
  lessonsDir: string;
  /**
   * Authenticates the request for the session and returns its sandbox, or undefined while
   * the sandbox has not started. Throw an error with a numeric `status` and a string `code`
   * (a SessionError) to refuse: it is answered as is.
   */
  sandboxFor(sessionId: string, bearerToken: string | undefined): Promise<CheckTarget | undefined> | CheckTarget | undefined;
  /** Origins besides the server's own that may call the API (as for the session API). */
  allowedOrigins?: readonly string[];
  /** Headers every response carries (security headers). */
  headersFor?: (req: IncomingMessage) => Record<string, string>;
  /** Per-check time limit; default 20 s. */
  checkTimeoutMs?: number;
  /** Told when every check of a step passed (progress records the completion). */
  onStepPassed?: (req: IncomingMessage, lesson: string, step: string) => void;
  /** Told when a run finished with a check not passed (the dashboard counts failed runs). */
  onStepFailed?: (req: IncomingMessage, lesson: string, step: string) => void;
}

/** Resolves to true when the request was for this API (and has been answered). */
export type ChecksApiHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

const STEPS = /^\/api\/lessons\/([^/]+)\/steps$/;
const RUN = /^\/api\/sessions\/([^/]+)\/lessons\/([^/]+)\/steps\/([^/]+)\/checks$/;
const MAX_BODY_BYTES = 1024;

export function createChecksApi(options: ChecksApiOptions): ChecksApiHandler {
  const lessons = new Map<string, Promise<Lesson>>();
  // One run at a time per session: a second click while checks run is refused, not queued.
  const running = new Set<string>();

  const lessonFor = (slug: string): Promise<Lesson> => {
    let loading = lessons.get(slug);
    if (loading === undefined) {
      loading = loadLesson(options.lessonsDir, slug);
      // A lesson that failed to load is tried again next time (it may have been fixed).
      loading.catch(() => lessons.delete(slug));
      lessons.set(slug, loading);
    }
    return loading;
  };

  return async (req, res, pathname) => {
    const stepsMatch = STEPS.exec(pathname);
    const runMatch = stepsMatch ? null : RUN.exec(pathname);
    if (!stepsMatch && !runMatch) return false;
    const headers = options.headersFor?.(req) ?? {};
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}): true => {
      sendJsonError(res, status, code, message, { ...headers, ...extra });
      return true;
    };
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, req.headers.host, options.allowedOrigins ?? [])) {
      return fail(403, "ORIGIN_FORBIDDEN", "This origin may not use the checks API of this server.");
    }
    if (!(await drainBody(req))) return fail(413, "BODY_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);

    const lessonOrFail = async (lessonSlug: string): Promise<Lesson | undefined> => {
      try {
        return await lessonFor(lessonSlug);
      } catch (error) {
        if (error instanceof StepsError && error.code === "LESSON_NOT_FOUND") {
          fail(404, "LESSON_NOT_FOUND", `There is no lesson "${lessonSlug}".`);
          return undefined;
        }
        if (error instanceof StepsError) {
          fail(500, error.code, `Lesson ${lessonSlug} cannot be checked: ${error.message}`);
          return undefined;
        }
        throw error;
      }
    };

    let ids: string[];
    try {
      ids = (stepsMatch ?? runMatch ?? []).slice(1).map((part) => decodeURIComponent(part));
    } catch {
      return fail(400, "BAD_REQUEST", "Malformed path.");
    }

    if (stepsMatch) {
      if (req.method !== "GET") return fail(405, "METHOD_NOT_ALLOWED", "Use GET to read a lesson's steps.", { Allow: "GET" });
      const lesson = await lessonOrFail(ids[0] ?? "");
      if (lesson === undefined) return true;
      sendJson(res, 200, { lesson: lesson.slug, steps: lesson.steps.map(describeStep) }, headers);
      return true;
    }

    const [sessionId = "", slug = "", stepId = ""] = ids;
    if (req.method !== "POST") return fail(405, "METHOD_NOT_ALLOWED", "Use POST to run a step's checks.", { Allow: "POST" });
    let target: CheckTarget | undefined;
    try {
      target = await options.sandboxFor(sessionId, bearerToken(req));
    } catch (error) {
      const { status, code, message } = error as { status?: unknown; code?: unknown; message?: unknown };
      if (typeof status === "number" && typeof code === "string") {
        return fail(status, code, String(message), status === 401 ? { "WWW-Authenticate": "Bearer" } : {});
      }
      throw error;
    }
    const lesson = await lessonOrFail(slug);
    if (lesson === undefined) return true;
    const step = lesson.steps.find((candidate) => candidate.id === stepId);
    if (step === undefined) {
      return fail(404, "STEP_NOT_FOUND", `Lesson ${slug} has no step "${stepId}" (steps: ${lesson.steps.map((s) => s.id).join(", ") || "none"}).`);
    }
    if (target === undefined) return fail(409, "SANDBOX_NOT_READY", "Your sandbox is still starting. Check again once the terminal shows a prompt.");
    if (running.has(sessionId)) return fail(429, "CHECKS_RUNNING", "This session's checks are already running; wait for their results.");

    running.add(sessionId);
    const controller = new AbortController();
    // The learner navigated away or pressed Check again after a reload: stop probing.
    res.on("close", () => controller.abort());
    try {
      res.writeHead(200, { ...headers, "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
      const line = (value: unknown): void => {
        if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(value)}\n`);
      };
      line({ type: "start", lesson: slug, step: step.id, checks: step.checks.map((c) => c.name) });
      const results = await runChecks(step.checks, target, {
        signal: controller.signal,
        ...(options.checkTimeoutMs !== undefined ? { timeoutMs: options.checkTimeoutMs } : {}),
        onResult: (result, index) => line({ type: "result", index, ...result }),
      });
      const passed = results.every((result) => result.status === "passed");
      if (passed) options.onStepPassed?.(req, slug, step.id);
      // A run cut short because the learner left is not a failure of theirs.
      else if (!controller.signal.aborted) options.onStepFailed?.(req, slug, step.id);
      line({ type: "end", passed });
      res.end();
    } finally {
      running.delete(sessionId);
    }
    return true;
  };
}

function describeStep(step: Step) {
  return { id: step.id, title: step.title, hints: step.hints, solution: step.solution, checks: step.checks.map((c) => c.name) };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

async function drainBody(req: IncomingMessage): Promise<boolean> {
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES) return false;
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) return false;
  }
  return true;
}
