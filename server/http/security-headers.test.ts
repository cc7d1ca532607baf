import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer } from "../main.ts";
import type { PreviewRequest, PreviewResponse } from "../providers/sandbox-provider.ts";
import { FakeSandbox, FakeSandboxProvider } from "../sessions/fake-sandbox-provider.ts";
import { securityHeaders } from "./security-headers.ts";

const logger = createLogger({ level: "silent" });

/** Sandboxes whose ingress gateway answers with a page that sets no security headers of its own. */
class PreviewingProvider extends FakeSandboxProvider {
  override async create(options: Parameters<FakeSandboxProvider["create"]>[0]): Promise<FakeSandbox> {
    const sandbox = await super.create(options);
    return Object.assign(sandbox, {
      preview: async (request: PreviewRequest): Promise<PreviewResponse> =>
        request.path.startsWith("/missing")
          ? { status: 404, headers: { "content-type": "text/plain" }, body: "no route" }
          : { status: 200, headers: { "content-type": "text/html" }, body: "<html><script>alert(1)</script></html>" },
    });
  }
}

async function setup(t: TestContext) {
  const base = await mkdtemp(path.join(tmpdir(), "mesh-academy-headers-"));
  const siteRoot = path.join(base, "dist");
  await mkdir(path.join(siteRoot, "lessons", "welcome"), { recursive: true });
  await writeFile(path.join(siteRoot, "index.html"), "<!doctype html><title>Home</title>");
  await writeFile(path.join(siteRoot, "404.html"), "<!doctype html><title>Lost</title>");
  await writeFile(path.join(siteRoot, "lessons", "welcome", "index.html"), "<!doctype html><title>Welcome</title>");
  await writeFile(path.join(siteRoot, "app.js"), "export {};");
  const running = await startServer({
    config: loadConfig({ PORT: "0", DATA_DIR: path.join(base, "data"), ADMIN_TOKEN: "admin-token-for-header-tests", SESSION_CREATES_PER_MINUTE: "3" }),
    logger,
    siteRoot,
    provider: new PreviewingProvider(),
  });
  t.after(() => running.shutdown());
  return running;
}

/** The site's own pages and API: the full policy. */
function assertSiteHeaders(what: string, headers: Headers): void {
  const csp = headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'self'/, `${what}: CSP`);
  assert.match(csp, /frame-ancestors 'none'/, `${what}: frame-ancestors`);
  assert.match(csp, /object-src 'none'/, `${what}: object-src`);
  assert.equal(headers.get("x-content-type-options"), "nosniff", `${what}: nosniff`);
  assert.equal(headers.get("referrer-policy"), "strict-origin-when-cross-origin", `${what}: referrer policy`);
  assert.equal(headers.get("x-frame-options"), "DENY", `${what}: X-Frame-Options`);
}

/** Previewed pages are the learner's application: sandboxed, framable by the site only. */
function assertPreviewHeaders(what: string, headers: Headers): void {
  const csp = headers.get("content-security-policy") ?? "";
  assert.match(csp, /(^|;\s*)sandbox\b/, `${what}: CSP sandbox`);
  const framing = /frame-ancestors 'self'/.test(csp) || headers.get("x-frame-options") === "SAMEORIGIN";
  assert.ok(framing, `${what}: only the site may frame it (CSP ${csp}, X-Frame-Options ${headers.get("x-frame-options")})`);
  assert.doesNotMatch(csp, /frame-ancestors \*/, what);
  assert.equal(headers.get("x-content-type-options"), "nosniff", `${what}: nosniff`);
  assert.equal(headers.get("referrer-policy"), "no-referrer", `${what}: referrer policy`);
}

test("every page and API answer carries the security headers, errors and 404s included", async (t) => {
  const running = await setup(t);
  const url = running.url;
  const admin = { Authorization: "Bearer admin-token-for-header-tests" };
  const samples: [string, () => Promise<Response>][] = [
    ["home page", () => fetch(`${url}/`)],
    ["lesson page", () => fetch(`${url}/lessons/welcome/`)],
    ["redirect to the slashed URL", () => fetch(`${url}/lessons/welcome`, { redirect: "manual" })],
    ["script", () => fetch(`${url}/app.js`)],
    ["site 404", () => fetch(`${url}/no/such/page`)],
    ["site 405", () => fetch(`${url}/`, { method: "POST" })],
    ["OpenAPI document", () => fetch(`${url}/api/openapi.json`)],
    ["API 404", () => fetch(`${url}/api/no-such-api`)],
    ["API 405", () => fetch(`${url}/api/sessions`)],
    ["API 400", () => fetch(`${url}/api/sessions`, { method: "POST", body: "not json" })],
    ["API 401", () => fetch(`${url}/api/workshops`)],
    ["API 403 origin", () => fetch(`${url}/api/progress`, { headers: { Origin: "https://evil.example" } })],
    ["API 403 CSRF", () => fetch(`${url}/api/progress/steps`, { method: "POST", headers: { Origin: url }, body: "{}" })],
    ["API 404 session", () => fetch(`${url}/api/sessions/nope`, { headers: { Authorization: "Bearer x" } })],
    ["API 404 lesson", () => fetch(`${url}/api/lessons/no-such-lesson/steps`)],
    ["API 413", () => fetch(`${url}/api/sessions`, { method: "POST", body: "x".repeat(10_000) })],
    ["progress read", () => fetch(`${url}/api/progress`)],
    ["workshops list", () => fetch(`${url}/api/workshops`, { headers: admin })],
  ];
  for (const [what, answer] of samples) assertSiteHeaders(what, (await answer()).headers);

  // 429: the fourth session creation of this address in a minute (the budget is 3 here).
  const sessions = [];
  for (let i = 0; i < 3; i++) sessions.push((await (await fetch(`${url}/api/sessions`, { method: "POST" })).json()) as { id: string; token: string });
  const limited = await fetch(`${url}/api/sessions`, { method: "POST" });
  assert.equal(limited.status, 429);
  assertSiteHeaders("API 429", limited.headers);

  const session = sessions[0];
  assert.ok(session);
  const info = (await (await fetch(`${url}/api/sessions/${session.id}`, { headers: { Authorization: `Bearer ${session.token}` } })).json()) as { preview: string };
  await new Promise((resolve) => setTimeout(resolve, 50));
  const previews: [string, string][] = [
    ["preview page", info.preview],
    ["preview page the application answers 404", `${info.preview}missing`],
    ["preview with a wrong key", `/preview/${session.id}/wrong-key/`],
    ["preview of an unknown session", "/preview/nope/key/"],
    ["not a preview address", "/preview/"],
  ];
  for (const [what, previewPath] of previews) assertPreviewHeaders(what, (await fetch(`${url}${previewPath}`)).headers);
});

test("the policy itself: no inline scripts without a hash, sockets only to this host", () => {
  const headers = securityHeaders("learn.example.com:8443", ["sha256-abc"]);
  const csp = headers["Content-Security-Policy"] ?? "";
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-abc'(;|$)/);
  assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
  assert.match(csp, /connect-src 'self' ws:\/\/learn\.example\.com:8443 wss:\/\/learn\.example\.com:8443/);
  // A Host header that is not a host name never reaches the policy.
  assert.doesNotMatch(securityHeaders("evil.example; script-src *")["Content-Security-Policy"] ?? "", /evil/);
});
