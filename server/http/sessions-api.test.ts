import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer } from "../main.ts";
import { FakeSandboxProvider } from "../sessions/fake-sandbox-provider.ts";
import { verifyWebhookSignature } from "../automation/webhook-signature.ts";
import { LearnerCookie, LEARNER_COOKIE_NAME } from "../progress/learner-cookie.ts";

const logger = createLogger({ level: "silent" });

async function setup(t: TestContext, env: Record<string, string>) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "mesh-academy-sessions-api-"));
  const siteRoot = await mkdtemp(path.join(tmpdir(), "mesh-academy-site-"));
  const running = await startServer({ config: loadConfig({ PORT: "0", DATA_DIR: dataDir, ...env }), logger, siteRoot, provider: new FakeSandboxProvider() });
  t.after(() => running.shutdown());
  return running;
}

test("session creation past the per-address budget answers 429 with Retry-After", async (t) => {
  const running = await setup(t, { SESSION_CREATES_PER_MINUTE: "2", SESSIONS_PER_CLIENT: "10" });
  const create = () => fetch(`${running.url}/api/sessions`, { method: "POST" });
  assert.equal((await create()).status, 201);
  assert.equal((await create()).status, 201);
  const refused = await create();
  assert.equal(refused.status, 429);
  const retryAfter = Number(refused.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  const body = (await refused.json()) as { error: { code: string } };
  assert.equal(body.error.code, "SESSION_RATE_LIMITED");
  assert.equal(refused.headers.get("x-content-type-options"), "nosniff");
  // Reading a session is not creation: it stays possible.
  assert.equal(running.sessions.size, 2);
});

const COOKIE_SECRET = "sessions-api-test-cookie-secret-0123456789";

/** A Cookie header naming `learnerId`, signed as the server under test signs it. */
function learnerCookie(learnerId: string): string {
  const setCookie = new LearnerCookie(Buffer.from(COOKIE_SECRET, "utf8")).setCookieHeader(learnerId, false);
  return setCookie.split(";")[0] ?? "";
}

test("live sessions are counted per learner cookie, so a room behind one address is not refused after a few", async (t) => {
  const running = await setup(t, { SESSIONS_PER_CLIENT: "2", PROGRESS_SECRET: COOKIE_SECRET });
  const create = (cookie?: string) =>
    fetch(`${running.url}/api/sessions`, { method: "POST", ...(cookie !== undefined ? { headers: { cookie } } : {}) });
  // Five learners on one address (127.0.0.1), two sessions each: all allowed.
  const learners = Array.from({ length: 5 }, () => LearnerCookie.newLearnerId());
  for (const learner of learners) {
    assert.equal((await create(learnerCookie(learner))).status, 201);
    assert.equal((await create(learnerCookie(learner))).status, 201);
  }
  // Each learner's own quota still holds.
  const third = await create(learnerCookie(learners[0] ?? ""));
  assert.equal(third.status, 429);
  assert.equal(((await third.json()) as { error: { code: string } }).error.code, "SESSION_LIMIT_CLIENT");
  // A forged cookie names nobody: the request counts against its address like any cookie-less one.
  const forged = `${LEARNER_COOKIE_NAME}=${LearnerCookie.newLearnerId()}.AAAA`;
  assert.equal((await create(forged)).status, 201);
  assert.equal((await create()).status, 201);
  const cookieless = await create();
  assert.equal(cookieless.status, 429);
  assert.equal(((await cookieless.json()) as { error: { code: string } }).error.code, "SESSION_LIMIT_CLIENT");
  assert.equal(running.sessions.size, 12);
  // The session remembers its learner (the dashboard finds the terminal through it).
  assert.equal(running.sessions.latestSessionOf(learners[1] ?? "")?.learnerId, learners[1]);
});

test("the default budget lets a room behind one address start hundreds of sessions", () => {
  assert.ok(loadConfig({}).sessions.createsPerMinute >= 1000);
});

test("a created session is announced to the configured webhook receivers", async (t) => {
  const received: { signature: string; body: string }[] = [];
  const hook = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += String(chunk)));
    req.on("end", () => {
      received.push({ signature: String(req.headers["x-mesh-academy-signature"]), body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    hook.closeAllConnections();
    hook.close();
  });
  const secret = "server-webhook-secret-0123456789";
  const running = await setup(t, { WEBHOOK_URLS: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/in`, WEBHOOK_SECRET: secret });
  const created = (await (await fetch(`${running.url}/api/sessions`, { method: "POST" })).json()) as { id: string };
  const deadline = Date.now() + 5000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(received.length, 1);
  const event = JSON.parse(received[0]?.body ?? "{}") as { type: string; session: string; learner: unknown };
  assert.equal(event.type, "session.started");
  assert.equal(event.session, created.id);
  assert.equal(event.learner, null, "no cookie, no learner");
  assert.ok(verifyWebhookSignature(secret, received[0]?.signature, received[0]?.body ?? ""));
});
