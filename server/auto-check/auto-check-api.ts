// Auto-check: the lesson page asks to be told when the current step is done, and the server
// runs the step's checks again each time the learner's cluster changes (see
// cluster-changes.ts) until they all pass:
//
//   GET /api/sessions/:id/lessons/:lesson/steps/:step/auto   (Authorization: Bearer <token>)
//     → 200 application/x-ndjson: {"type":"result",…} for each check of each run, then
//       {"type":"end","passed":true} when the step is done (or the time limit ends the wait).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CheckTarget } from "../checks/check-types.ts";
import { loadLesson } from "../checks/load-lesson.ts";
import { runChecks } from "../checks/run-checks.ts";
import { sendJsonError } from "../http/json-response.ts";
import { watchClusterChanges } from "./cluster-changes.ts";

const AUTO = /^\/api\/sessions\/([^/]+)\/lessons\/([^/]+)\/steps\/([^/]+)\/auto$/;

export interface AutoCheckApiOptions {
  lessonsDir: string;
  /** Authenticates (throwing a SessionError to refuse) and returns the running sandbox. */
  sandboxFor(sessionId: string, bearerToken: string | undefined): CheckTarget | undefined;
  headersFor?: (req: IncomingMessage) => Record<string, string>;
  /** How long one request waits for the step before it ends unpassed; default 10 minutes. */
  maxWaitMs?: number;
  /** Told when the step's checks all passed (progress records the completion). */
  onStepPassed?: (req: IncomingMessage, lesson: string, step: string) => void;
}

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
}

export function createAutoCheckApi(options: AutoCheckApiOptions): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean> {
  return async (req, res, pathname) => {
    const match = AUTO.exec(pathname);
    if (match === null) return false;
    const headers = options.headersFor?.(req) ?? {};
    if (req.method !== "GET") {
      sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "Use GET to wait for a step.", { ...headers, Allow: "GET" });
      return true;
    }
    const [sessionId = "", slug = "", stepId = ""] = match.slice(1).map((part) => decodeURIComponent(part));
    let target: CheckTarget | undefined;
    try {
      target = options.sandboxFor(sessionId, bearer(req));
    } catch (error) {
      const { status, code, message } = error as { status?: unknown; code?: unknown; message?: unknown };
      if (typeof status !== "number" || typeof code !== "string") throw error;
      sendJsonError(res, status, code, String(message), headers);
      return true;
    }
    if (target === undefined) {
      sendJsonError(res, 409, "SANDBOX_NOT_READY", "Your sandbox is still starting.", headers);
      return true;
    }
    const step = await loadLesson(options.lessonsDir, slug).then(
      (lesson) => lesson.steps.find((candidate) => candidate.id === stepId),
      () => undefined,
    );
    if (step === undefined) {
      sendJsonError(res, 404, "STEP_NOT_FOUND", `Lesson ${slug} has no step "${stepId}".`, headers);
      return true;
    }
    const sandbox = target;
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    res.writeHead(200, { ...headers, "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
    const line = (value: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(value)}\n`);
    };
    const finish = (passed: boolean): void => {
      if (controller.signal.aborted || res.writableEnded) return;
      if (passed) options.onStepPassed?.(req, slug, step.id);
      line({ type: "end", passed });
      res.end();
      controller.abort();
    };
    let running = false;
    let again = false;
    const check = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      do {
        again = false;
        const results = await runChecks(step.checks, sandbox, { signal: controller.signal, onResult: (result, index) => line({ type: "result", index, ...result }) });
        if (results.every((result) => result.status === "passed")) {
          finish(true);
          again = false;
        }
      } while (again && !controller.signal.aborted);
      running = false;
    };
    const limit = setTimeout(() => finish(false), options.maxWaitMs ?? 10 * 60_000);
    controller.signal.addEventListener("abort", () => clearTimeout(limit), { once: true });
    watchClusterChanges(sandbox.kubeconfig, () => void check(), controller.signal);
    await check();
    return true;
  };
}
