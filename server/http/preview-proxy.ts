// The preview panel's pages: `/preview/<session>/<key>/<path>` answers with what the
// learner's ingress gateway serves at `<path>`. The pages are the learner's applications,
// not ours, so they are served as an opaque origin (CSP sandbox): scripts in them can never
// reach the site's storage or the session's terminal.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../log/logger.ts";
import type { PreviewRequest } from "../providers/sandbox-provider.ts";
import { SessionError } from "../sessions/session-error.ts";
import type { SessionManager } from "../sessions/session-manager.ts";

export const PREVIEW_PREFIX = "/preview/";
const PATTERN = /^\/preview\/([^/]+)\/([^/]+)(\/.*)?$/;
const MAX_BODY_BYTES = 64 * 1024;
// Request headers a browser sends that the application may care about.
const FORWARDED = ["accept", "accept-language", "content-type", "cookie", "user-agent"];
// Response headers that describe the body as it is passed on; hop-by-hop ones are dropped.
const DROPPED = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"]);

export interface PreviewProxyOptions {
  sessions: SessionManager;
  logger: Logger;
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto"><h1>${title}</h1><p>${text}</p></body></html>`;
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": "sandbox", "Referrer-Policy": "no-referrer" });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Root-relative links in the application's HTML point under the preview prefix instead. */
export function rewriteHtml(html: string, prefix: string): string {
  return html.replace(/(\s(?:href|src|action)\s*=\s*["'])\/(?!\/)/gi, `$1${prefix}/`);
}

/** Cookies the application sets apply to its preview path, not to the whole site. */
export function rewriteCookie(cookie: string, prefix: string): string {
  const withoutDomain = cookie.replace(/;\s*domain=[^;]*/gi, "");
  return /;\s*path=/i.test(withoutDomain)
    ? withoutDomain.replace(/;\s*path=\/?([^;]*)/i, (_match, rest: string) => `; Path=${prefix}/${rest}`)
    : `${withoutDomain}; Path=${prefix}/`;
}

export class PreviewProxy {
  readonly #options: PreviewProxyOptions;

  constructor(options: PreviewProxyOptions) {
    this.#options = options;
  }

  matches(pathname: string): boolean {
    return pathname.startsWith(PREVIEW_PREFIX);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://preview.invalid");
    const match = PATTERN.exec(url.pathname);
    if (match === null) return page(res, 404, "Not found", "This is not a preview address.");
    const [, id = "", key = "", rest = "/"] = match;
    let sandbox;
    try {
      sandbox = this.#options.sessions.authenticatePreview(decodeURIComponent(id), decodeURIComponent(key)).sandbox;
    } catch (error) {
      if (error instanceof SessionError) return page(res, error.status, "No preview", error.message);
      throw error;
    }
    if (sandbox === undefined) return page(res, 409, "The sandbox is not running", "Open the terminal first: the preview shows your sandbox's ingress gateway.");
    if (sandbox.preview === undefined) return page(res, 501, "No preview here", "This kind of sandbox cannot show its ingress gateway in the page.");
    const body = req.method === "GET" || req.method === "HEAD" ? "" : await readBody(req);
    if (body === undefined) return page(res, 413, "Request too large", `Preview requests are limited to ${MAX_BODY_BYTES / 1024} KiB.`);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const request: PreviewRequest = { method: req.method ?? "GET", path: `${rest}${url.search}`, headers };
    if (body !== "") request.body = body;
    const aborter = new AbortController();
    res.once("close", () => aborter.abort());
    const response = await sandbox.preview(request, aborter.signal);
    const prefix = `${PREVIEW_PREFIX}${id}/${key}`;
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (DROPPED.has(name)) continue;
      if (name === "set-cookie") out[name] = value.split(/\n/).map((cookie) => rewriteCookie(cookie, prefix));
      else if (name === "location" && value.startsWith("/")) out[name] = `${prefix}${value}`;
      else out[name] = value;
    }
    const html = (response.headers["content-type"] ?? "").includes("text/html");
    const text = html ? rewriteHtml(response.body, prefix) : response.body;
    out["content-security-policy"] = "sandbox allow-forms allow-popups; frame-ancestors 'self'";
    out["x-content-type-options"] = "nosniff";
    out["referrer-policy"] = "no-referrer";
    out["cache-control"] = "no-store";
    res.writeHead(response.status, out);
    res.end(req.method === "HEAD" ? undefined : text);
    this.#options.logger.debug("preview", { session: id, status: response.status });
  }
}
