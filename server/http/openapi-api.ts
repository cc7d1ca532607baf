// GET /api/openapi.json: the hand-written description of the JSON API
// (server/automation/openapi-document.ts), for API clients and code generators.
import type { IncomingMessage, ServerResponse } from "node:http";
import { OPENAPI_DOCUMENT } from "../automation/openapi-document.ts";
import { sendJsonError } from "./json-response.ts";

export const OPENAPI_PATH = "/api/openapi.json";

export interface OpenApiHandlerOptions {
  headersFor?: (req: IncomingMessage) => Record<string, string>;
}

export function createOpenApiHandler(options: OpenApiHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean> {
  // Serialised once: the document never changes while the server runs.
  const text = JSON.stringify(OPENAPI_DOCUMENT);
  return async (req, res, pathname) => {
    if (pathname !== OPENAPI_PATH) return false;
    const headers = options.headersFor?.(req) ?? {};
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendJsonError(res, 405, "METHOD_NOT_ALLOWED", "Use GET to read the API description.", { ...headers, Allow: "GET, HEAD" });
      return true;
    }
    res.writeHead(200, {
      ...headers,
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
      "Cache-Control": "no-cache",
    });
    res.end(req.method === "HEAD" ? undefined : text);
    return true;
  };
}
