import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LearnerCookie } from "../progress/learner-cookie.ts";
import { ProgressTracker } from "../progress/progress-tracker.ts";
import { SqliteProgressStore } from "../progress/sqlite-progress-store.ts";
import { CSRF_HEADER, createProgressApi } from "./progress-api.ts";

interface Harness {
  url: string;
  tracker: ProgressTracker;
  clock: { now: number };
  close(): Promise<void>;
}

async function start(t: { after(fn: () => Promise<void>): void }): Promise<Harness> {
  const clock = { now: 1_000_000 };
  const tracker = new ProgressTracker({
    store: new SqliteProgressStore(":memory:"),
    cookie: new LearnerCookie(randomBytes(32)),
    now: () => clock.now,
  });
  const api = createProgressApi({ tracker, allowedOrigins: [], headersFor: () => ({ "X-Test": "yes" }) });
  const server: Server = createServer((req, res) => {
    void api(req, res, (req.url ?? "/").split("?")[0] ?? "/").then((answered) => {
      if (!answered) res.writeHead(418).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      tracker.close();
    }));
  // A failed assertion must not leave the server holding the test process open.
  t.after(close);
  return { url, tracker, clock, close };
}

function write(h: Harness, path: string, body: unknown, options: { cookie?: string; origin?: string | null; csrf?: boolean; method?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.origin !== null) headers.origin = options.origin ?? h.url;
  if (options.csrf !== false) headers[CSRF_HEADER] = "1";
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  return fetch(`${h.url}${path}`, { method: options.method ?? (path.endsWith("/steps") ? "POST" : "PUT"), headers, body: JSON.stringify(body) });
}

function cookieOf(res: Response): string {
  const header = res.headers.get("set-cookie") ?? "";
  return header.split(";")[0] ?? "";
}

test("without a cookie, progress reads as empty and nothing is created", async (t) => {
  const h = await start(t);
  const res = await fetch(`${h.url}/api/progress`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("set-cookie"), null);
  assert.equal(res.headers.get("x-test"), "yes");
  assert.deepEqual(await res.json(), { learner: null, steps: [] });
  await h.close();
});

test("a first completion creates the learner, sets the signed cookie and is read back with time spent", async (t) => {
  const h = await start(t);
  const started = await write(h, "/api/progress/steps", { lesson: "gateways", step: "apply", event: "started" });
  assert.equal(started.status, 200);
  const setCookie = started.headers.get("set-cookie") ?? "";
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);
  const cookie = cookieOf(started);
  h.clock.now += 42_000;
  const passed = await write(h, "/api/progress/steps", { lesson: "gateways", step: "apply", event: "passed" }, { cookie });
  assert.equal(passed.status, 200);
  assert.deepEqual(await passed.json(), {
    step: { lesson: "gateways", step: "apply", startedAt: 1_000_000, completedAt: 1_042_000, spentMs: 42_000, source: "page" },
    firstTime: true,
  });
  const again = (await (await write(h, "/api/progress/steps", { lesson: "gateways", step: "apply", event: "passed" }, { cookie })).json()) as { firstTime: boolean };
  assert.equal(again.firstTime, false);
  const read = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie } })).json()) as { learner: unknown; steps: { step: string; completedAt: number }[] };
  assert.deepEqual(read.learner, { displayName: null });
  assert.deepEqual(read.steps.map((s) => [s.step, s.completedAt]), [["apply", 1_042_000]]);
  await h.close();
});

test("one learner cannot read another's progress, and a forged cookie is a stranger", async (t) => {
  const h = await start(t);
  const a = cookieOf(await write(h, "/api/progress/steps", { lesson: "l", step: "a-only", event: "passed" }));
  const b = cookieOf(await write(h, "/api/progress/steps", { lesson: "l", step: "b-only", event: "passed" }));
  assert.notEqual(a, b);
  const readA = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie: a } })).json()) as { steps: { step: string }[] };
  const readB = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie: b } })).json()) as { steps: { step: string }[] };
  assert.deepEqual(readA.steps.map((s) => s.step), ["a-only"]);
  assert.deepEqual(readB.steps.map((s) => s.step), ["b-only"]);
  // B's signature on A's id does not pass.
  const forged = `${a.split(".")[0]}.${b.split(".")[1]}`;
  const readForged = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie: forged } })).json()) as { learner: unknown };
  assert.equal(readForged.learner, null);
  await h.close();
});

test("writes need the site's Origin and the CSRF header", async (t) => {
  const h = await start(t);
  const body = { lesson: "l", step: "s", event: "passed" };
  const noOrigin = await write(h, "/api/progress/steps", body, { origin: null });
  assert.equal(noOrigin.status, 403);
  assert.equal(((await noOrigin.json()) as { error: { code: string } }).error.code, "ORIGIN_REQUIRED");
  const foreign = await write(h, "/api/progress/steps", body, { origin: "https://evil.example" });
  assert.equal(((await foreign.json()) as { error: { code: string } }).error.code, "ORIGIN_FORBIDDEN");
  const noHeader = await write(h, "/api/progress/steps", body, { csrf: false });
  assert.equal(((await noHeader.json()) as { error: { code: string } }).error.code, "CSRF_HEADER_MISSING");
  assert.equal(noHeader.headers.get("set-cookie"), null, "a refused write creates no learner");
  await h.close();
});

test("bad bodies, methods and paths are refused with a code", async (t) => {
  const h = await start(t);
  const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];
  assert.deepEqual(await code(await write(h, "/api/progress/steps", { lesson: "../etc", step: "s", event: "passed" })), [400, "BAD_REQUEST"]);
  assert.deepEqual(await code(await write(h, "/api/progress/steps", { lesson: "l", step: "s", event: "done" })), [400, "BAD_REQUEST"]);
  assert.deepEqual(await code(await write(h, "/api/progress/steps", { lesson: "l", step: "s", event: "passed", extra: 1 })), [400, "BAD_REQUEST"]);
  assert.deepEqual(await code(await write(h, "/api/progress/steps", { lesson: "l", step: "x".repeat(3000), event: "passed" })), [413, "BODY_TOO_LARGE"]);
  assert.deepEqual(await code(await write(h, "/api/progress/steps", {}, { method: "PUT" })), [405, "METHOD_NOT_ALLOWED"]);
  assert.deepEqual(await code(await fetch(`${h.url}/api/progress`, { method: "DELETE", headers: { origin: h.url } })), [405, "METHOD_NOT_ALLOWED"]);
  assert.deepEqual(await code(await fetch(`${h.url}/api/progress/other`)), [404, "NOT_FOUND"]);
  assert.equal((await fetch(`${h.url}/api/sessions`)).status, 418, "other API paths are left to the next handler");
  await h.close();
});

test("a display name is stored verbatim as text, cleared with null, and limited", async (t) => {
  const h = await start(t);
  const name = `<img src=x onerror="alert(1)"> & <script>`;
  const set = await write(h, "/api/progress/learner", { displayName: `  ${name}  ` });
  assert.equal(set.status, 200);
  assert.deepEqual(await set.json(), { learner: { displayName: name } });
  assert.equal(set.headers.get("content-type"), "application/json; charset=utf-8");
  const cookie = cookieOf(set);
  const read = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie } })).json()) as { learner: { displayName: string } };
  assert.equal(read.learner.displayName, name);
  assert.equal((await write(h, "/api/progress/learner", { displayName: "x".repeat(61) }, { cookie })).status, 400);
  assert.equal((await write(h, "/api/progress/learner", { displayName: "a\u202eb" }, { cookie })).status, 400);
  const cleared = (await (await write(h, "/api/progress/learner", { displayName: null }, { cookie })).json()) as { learner: unknown };
  assert.deepEqual(cleared.learner, { displayName: null });
  await h.close();
});

test("the checks path's hook records a completion for the learner behind the request's cookie", async (t) => {
  const h = await start(t);
  const cookie = cookieOf(await write(h, "/api/progress/steps", { lesson: "l", step: "one", event: "started" }));
  const completion = h.tracker.recordStepPassedFor({ cookie }, "l", "one");
  assert.equal(completion?.progress.source, "checks");
  assert.equal(h.tracker.recordStepPassedFor({}, "l", "one"), undefined, "no cookie, no learner to credit");
  const read = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie } })).json()) as { steps: { source: string }[] };
  assert.equal(read.steps[0]?.source, "checks");
  await h.close();
});
