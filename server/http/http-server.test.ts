import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer } from "../main.ts";
import { FakeSandboxProvider } from "../sessions/fake-sandbox-provider.ts";

const logger = createLogger({ level: "silent" });
const THEME_SCRIPT = "document.documentElement.dataset.theme = localStorage.theme ?? 'light';";

async function makeSite(): Promise<string> {
  const base = await mkdtemp(path.join(tmpdir(), "mesh-academy-http-"));
  const root = path.join(base, "dist");
  await mkdir(path.join(root, "lessons", "welcome"), { recursive: true });
  await mkdir(path.join(root, "_astro"), { recursive: true });
  await mkdir(path.join(root, "pagefind", "fragment"), { recursive: true });
  await writeFile(path.join(root, "index.html"), `<!doctype html><title>Home</title><script>${THEME_SCRIPT}</script><script type="module" src="/_astro/app.js"></script>`);
  await writeFile(path.join(root, "404.html"), "<!doctype html><title>Lost</title><h1>Page not found</h1>");
  await writeFile(path.join(root, "lessons", "welcome", "index.html"), "<!doctype html><title>Welcome</title>");
  await writeFile(path.join(root, "about.html"), "<!doctype html><title>About</title>");
  await writeFile(path.join(root, "_astro", "app.abc123.css"), "body{}");
  await writeFile(path.join(root, "_astro", "app.js"), "export {};");
  await writeFile(path.join(root, "pagefind", "pagefind.js"), "export {};");
  await writeFile(path.join(root, "pagefind", "wasm.en.pagefind"), Buffer.from([0, 97, 115, 109]));
  await writeFile(path.join(root, "pagefind", "fragment", "en_1.pf_fragment"), Buffer.from([1, 2, 3]));
  await writeFile(path.join(root, ".build-stamp"), "private");
  // A file beside the site root that traversal attempts aim for.
  await writeFile(path.join(base, "secret.txt"), "top secret");
  return root;
}

async function setup(t: TestContext, env: Record<string, string> = {}) {
  const provider = new FakeSandboxProvider();
  const siteRoot = await makeSite();
  const running = await startServer({ config: loadConfig({ PORT: "0", ...env }), logger, siteRoot, provider });
  t.after(() => running.shutdown());
  return { running, provider };
}

/** A request whose path is sent exactly as written (fetch would normalise "..").  */
function rawGet(base: string, rawPath: string, headers: Record<string, string> = {}) {
  const url = new URL(base);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: rawPath, method: "GET", headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += String(chunk)));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("serves files with their content types and sensible caching", async (t) => {
  const { running } = await setup(t);
  const home = await fetch(`${running.url}/`);
  assert.equal(home.status, 200);
  assert.equal(home.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(home.headers.get("cache-control"), "no-cache");
  assert.match(await home.text(), /<title>Home<\/title>/);

  const css = await fetch(`${running.url}/_astro/app.abc123.css`);
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  assert.equal(css.headers.get("cache-control"), "public, max-age=31536000, immutable");

  const js = await fetch(`${running.url}/pagefind/pagefind.js`);
  assert.equal(js.headers.get("content-type"), "text/javascript; charset=utf-8");
  const wasm = await fetch(`${running.url}/pagefind/wasm.en.pagefind`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-type"), "application/octet-stream");
  assert.deepEqual(new Uint8Array(await wasm.arrayBuffer()), new Uint8Array([0, 97, 115, 109]));
  const fragment = await fetch(`${running.url}/pagefind/fragment/en_1.pf_fragment`);
  assert.equal(fragment.status, 200);
});

test("directories serve index.html, and redirect to the slashed URL first", async (t) => {
  const { running } = await setup(t);
  const bare = await fetch(`${running.url}/lessons/welcome?x=1`, { redirect: "manual" });
  assert.equal(bare.status, 301);
  assert.equal(bare.headers.get("location"), "/lessons/welcome/?x=1");
  const slashed = await fetch(`${running.url}/lessons/welcome/`);
  assert.equal(slashed.status, 200);
  assert.match(await slashed.text(), /Welcome/);
  const file = await fetch(`${running.url}/about`);
  assert.equal(file.status, 200);
  assert.match(await file.text(), /About/);
});

test("unknown paths get the site's 404 page with status 404", async (t) => {
  const { running } = await setup(t);
  const res = await fetch(`${running.url}/no/such/page`);
  assert.equal(res.status, 404);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.match(await res.text(), /Page not found/);
});

test("path traversal in any spelling never leaves the site root", async (t) => {
  const { running } = await setup(t);
  for (const attempt of [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/..%2fsecret.txt",
    "/lessons/..%2f..%2fsecret.txt",
    "/%2e%2e%5csecret.txt",
    "/..\\secret.txt",
    "/index.html%00.txt",
    "/.build-stamp",
  ]) {
    const res = await rawGet(running.url, attempt);
    assert.ok(!res.body.includes("top secret") && !res.body.includes("private"), attempt);
    assert.ok(res.status === 404 || res.status === 400, `${attempt} → ${res.status}`);
  }
  const malformed = await rawGet(running.url, "/%E0%A4%A");
  assert.equal(malformed.status, 400);
});

test("every response carries the security headers; pages allow their own inline scripts", async (t) => {
  const { running } = await setup(t);
  const home = await fetch(`${running.url}/`);
  const csp = home.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'none'/);
  const host = new URL(running.url).host;
  assert.ok(csp.includes(`connect-src 'self' ws://${host} wss://${host}`), csp);
  const hash = createHash("sha256").update(THEME_SCRIPT).digest("base64");
  assert.ok(csp.includes(`'sha256-${hash}'`), csp);
  for (const res of [home, await fetch(`${running.url}/missing`), await fetch(`${running.url}/api/sessions/x`)]) {
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "strict-origin-when-cross-origin");
    assert.ok(res.headers.get("content-security-policy"));
  }
});

test("validators let the browser revalidate cheaply; HEAD has no body; other methods 405", async (t) => {
  const { running } = await setup(t);
  const first = await fetch(`${running.url}/about.html`);
  const etag = first.headers.get("etag") ?? "";
  assert.ok(etag);
  const again = await fetch(`${running.url}/about.html`, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  const head = await fetch(`${running.url}/about.html`, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), "");
  const post = await fetch(`${running.url}/about.html`, { method: "POST" });
  assert.equal(post.status, 405);
});

test("the session API creates, reports, and deletes sessions", async (t) => {
  const { running, provider } = await setup(t);
  const created = await fetch(`${running.url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(created.status, 201);
  const { id, token } = (await created.json()) as { id: string; token: string };
  assert.equal(typeof id, "string");
  assert.equal(typeof token, "string");
  assert.equal(created.headers.get("cache-control"), "no-store");

  const auth = { authorization: `Bearer ${token}` };
  const got = await fetch(`${running.url}/api/sessions/${id}`, { headers: auth });
  assert.equal(got.status, 200);
  const preview = `/preview/${id}/${createHash("sha256").update(token).digest("base64url")}/`;
  assert.deepEqual(await got.json(), { id, state: "starting", preview, provider: provider.name });

  const noToken = await fetch(`${running.url}/api/sessions/${id}`);
  assert.equal(noToken.status, 401);
  assert.equal(((await noToken.json()) as { error: { code: string } }).error.code, "SESSION_UNAUTHORIZED");
  const wrong = await fetch(`${running.url}/api/sessions/${id}`, { headers: { authorization: "Bearer nope" } });
  assert.equal(wrong.status, 403);

  const deleted = await fetch(`${running.url}/api/sessions/${id}`, { method: "DELETE", headers: auth });
  assert.equal(deleted.status, 204);
  const gone = await fetch(`${running.url}/api/sessions/${id}`, { headers: auth });
  assert.equal(gone.status, 404);
  const body = (await gone.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "SESSION_NOT_FOUND");
  assert.match(body.error.message, /ended or never existed/);
  assert.equal(provider.createCalls, 0);
});

test("the per-client limit answers 429 with a clear JSON error", async (t) => {
  const { running } = await setup(t, { SESSIONS_PER_CLIENT: "2" });
  for (let i = 0; i < 2; i += 1) assert.equal((await fetch(`${running.url}/api/sessions`, { method: "POST" })).status, 201);
  const refused = await fetch(`${running.url}/api/sessions`, { method: "POST" });
  assert.equal(refused.status, 429);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "SESSION_LIMIT_CLIENT");
  assert.match(body.error.message, /already have 2 open sessions/);
});

test("the global maximum answers 429 too", async (t) => {
  const { running } = await setup(t, { SESSIONS_MAX: "1" });
  assert.equal((await fetch(`${running.url}/api/sessions`, { method: "POST" })).status, 201);
  const refused = await fetch(`${running.url}/api/sessions`, { method: "POST" });
  assert.equal(refused.status, 429);
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "SESSION_LIMIT_GLOBAL");
});

test("the API refuses foreign origins, wrong methods and unknown routes with JSON errors", async (t) => {
  const { running } = await setup(t);
  const foreign = await fetch(`${running.url}/api/sessions`, { method: "POST", headers: { origin: "http://evil.example" } });
  assert.equal(foreign.status, 403);
  assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, "ORIGIN_FORBIDDEN");
  const own = await fetch(`${running.url}/api/sessions`, { method: "POST", headers: { origin: running.url } });
  assert.equal(own.status, 201);
  const list = await fetch(`${running.url}/api/sessions`);
  assert.equal(list.status, 405);
  const unknown = await fetch(`${running.url}/api/nothing`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "NOT_FOUND");
  const big = await fetch(`${running.url}/api/sessions`, { method: "POST", body: "x".repeat(10_000) });
  assert.equal(big.status, 413);
});

test("a session may ask for a lesson's starting state; anything else in the body is refused", async (t) => {
  const { running, provider } = await setup(t);
  const post = (body: string) => fetch(`${running.url}/api/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body });
  for (const body of ['{"start":"nowhere"}', '{"start":"istio","extra":1}', "not json"]) {
    const refused = await post(body);
    assert.equal(refused.status, 400, body);
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, "BAD_REQUEST");
    assert.match(error.message, body === "not json" ? /must be JSON/ : /"start" must be one of empty, istio/);
  }
  const created = await post('{"start":"istio"}');
  assert.equal(created.status, 201);
  const { id } = (await created.json()) as { id: string };
  const session = running.sessions.get(id);
  assert.ok(session);
  await session.start();
  // The state's script ran in the workstation before the terminal opened.
  assert.equal(session.state, "ready");
  const sandbox = provider.sandboxes.at(-1);
  assert.match(sandbox?.runs[0] ?? "", /^set -e\n# Istio installed[\s\S]*istioctl install --set profile=demo -y\n$/);
  assert.equal(sandbox?.ttys.length, 1);
});
