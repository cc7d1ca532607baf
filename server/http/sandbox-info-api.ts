// GET /api/sandbox → 200 {provider}: what runs this server's sandboxes, for pages that must
// know before any session exists (the lesson list marks lessons that need a cluster of their
// own when learners share one). Public: it says nothing a learner's first session would not.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, sendJsonError } from "./json-response.ts";

export const SANDBOX_INFO_PATH = "/api/sandbox";

export interface SandboxInfoOptions {
  /** "embedded" (a cluster of one's own per learner) or "cluster" (a namespace of a shared cluster). */
  provider: () => string;
  headersFor?: (req: IncomingMessage) => Record<string, string>;
}

export function createSandboxInfoHandler(options: SandboxInfoOptions): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean> {
  return async (req, res, pathname) => {
    if (pathname !== SANDBOX_INFO_PATH) return false;
    const headers = options.headersFor?.(req) ?? {};
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "Use GET to read what runs the sandboxes.", { ...headers, Allow: "GET, HEAD" });
      return true;
    }
    sendJson(res, 200, { provider: options.provider() }, headers);
    return true;
  };
}
