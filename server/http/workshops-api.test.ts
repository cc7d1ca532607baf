import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LearnerCookie } from "../progress/learner-cookie.ts";
import { ProgressTracker } from "../progress/progress-tracker.ts";
import { SqliteProgressStore } from "../progress/sqlite-progress-store.ts";
import { Workshops } from "../progress/workshops.ts";
import { createProgressApi } from "./progress-api.ts";
import { createWorkshopsApi } from "./workshops-api.ts";

const ADMIN = "admin-token-for-tests-0123456789";
const HOUR = 3_600_000;

async function start(t: { after(fn: () => Promise<void>): void }, options: { adminToken?: string; attempts?: number } = {}) {
  const clock = { now: Date.parse("2026-03-01T09:00:00Z") };
  const store = new SqliteProgressStore(":memory:");
  const tracker = new ProgressTracker({ store, cookie: new LearnerCookie(randomBytes(32)), now: () => clock.now });
  const workshops = new Workshops({ store, tracker, joinAttemptsPerMinute: options.attempts ?? 10, now: () => clock.now });
  const adminToken = "adminToken" in options ? options.adminToken : ADMIN;
  const api = createWorkshopsApi({ workshops, adminToken, allowedOrigins: [] });
  const progress = createProgressApi({ tracker, allowedOrigins: [] });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    void api(req, res, path)
      .then((done) => done || progress(req, res, path))
      .then((done) => {
        if (!done) res.writeHead(418).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const admin = (method: string, path: string, body?: unknown, token = ADMIN) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const join = (code: string, displayName: string, cookie?: string) =>
    fetch(`${url}/api/join`, {
      method: "POST",
      headers: { origin: url, "x-mesh-academy": "1", "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ code, displayName }),
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      store.close();
    });
  let closed = false;
  t.after(async () => {
    if (!closed) await close();
  });
  return {
    url,
    clock,
    admin,
    join,
    close: async () => {
      closed = true;
      await close();
    },
  };
}

const workshopBody = (clockNow: number, extra: Record<string, unknown> = {}) => ({
  title: "Istio on a Tuesday",
  lessons: ["welcome", "gateways"],
  capacity: 2,
  startsAt: new Date(clockNow - HOUR).toISOString(),
  endsAt: new Date(clockNow + 2 * HOUR).toISOString(),
  ...extra,
});

async function errorCode(res: Response): Promise<[number, string]> {
  return [res.status, ((await res.json()) as { error: { code: string } }).error.code];
}

test("an instructor creates a workshop with a generated code; learners join up to capacity", async (t) => {
  const h = await start(t);
  const created = await h.admin("POST", "/api/workshops", workshopBody(h.clock.now));
  assert.equal(created.status, 201);
  const { workshop } = (await created.json()) as { workshop: { id: string; joinCode: string; capacity: number } };
  assert.match(workshop.joinCode, /^[A-Z2-9]{6}$/);

  const ann = await h.join(workshop.joinCode.toLowerCase(), "Ann");
  assert.equal(ann.status, 200);
  assert.match(ann.headers.get("set-cookie") ?? "", /HttpOnly/);
  const annCookie = (ann.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  h.clock.now += 1000;
  assert.equal((await h.join(workshop.joinCode, "<b>Bob</b>")).status, 200);
  assert.deepEqual(await errorCode(await h.join(workshop.joinCode, "Cy")), [409, "WORKSHOP_FULL"]);
  // A member joining again (a second tab) is not a newcomer.
  assert.equal((await h.join(workshop.joinCode, "Ann B.", annCookie)).status, 200);

  // Ann's progress in the workshop's lessons shows on the instructor's view.
  await fetch(`${h.url}/api/progress/steps`, {
    method: "POST",
    headers: { origin: h.url, "x-mesh-academy": "1", cookie: annCookie },
    body: JSON.stringify({ lesson: "welcome", step: "create-namespace", event: "passed" }),
  });
  const detail = (await (await h.admin("GET", `/api/workshops/${workshop.id}`)).json()) as {
    members: { displayName: string; steps: { step: string }[] }[];
  };
  assert.deepEqual(detail.members.map((m) => [m.displayName, m.steps.map((s) => s.step)]), [["Ann B.", ["create-namespace"]], ["<b>Bob</b>", []]]);
  const learner = (await (await fetch(`${h.url}/api/progress`, { headers: { cookie: annCookie } })).json()) as { learner: { displayName: string } };
  assert.equal(learner.learner.displayName, "Ann B.");
  await h.close();
});

test("joining before the start or after the end says so", async (t) => {
  const h = await start(t);
  const later = (await (await h.admin("POST", "/api/workshops", workshopBody(h.clock.now, { startsAt: new Date(h.clock.now + HOUR).toISOString(), joinCode: "PATER2" }))).json()) as { workshop: { joinCode: string } };
  assert.equal(later.workshop.joinCode, "PATER2");
  assert.deepEqual(await errorCode(await h.join("PATER2", "Ann")), [409, "WORKSHOP_NOT_STARTED"]);
  await h.admin("POST", "/api/workshops", workshopBody(h.clock.now, { joinCode: "ENDS22" }));
  h.clock.now += 2 * HOUR;
  assert.deepEqual(await errorCode(await h.join("ENDS22", "Ann")), [410, "WORKSHOP_ENDED"]);
  assert.deepEqual(await errorCode(await h.join("NOPE22", "Ann")), [404, "WORKSHOP_NOT_FOUND"]);
  await h.close();
});

test("join codes cannot be guessed past the per-client limit", async (t) => {
  const h = await start(t, { attempts: 5 });
  await h.admin("POST", "/api/workshops", workshopBody(h.clock.now, { joinCode: "QWERTY" }));
  for (let i = 0; i < 5; i++) assert.equal((await h.join(`WRONG${i + 2}`, "Mallory")).status, 404);
  const limited = await h.join("QWERTY", "Mallory");
  assert.deepEqual(await errorCode(limited.clone()), [429, "JOIN_RATE_LIMITED"]);
  assert.equal(limited.headers.get("retry-after"), "60");
  h.clock.now += 60_000;
  assert.equal((await h.join("QWERTY", "Mallory")).status, 200);
  await h.close();
});

test("the instructor API needs the admin token; it is off without one", async (t) => {
  const h = await start(t);
  assert.deepEqual(await errorCode(await h.admin("GET", "/api/workshops", undefined, "wrong")), [401, "ADMIN_TOKEN_REQUIRED"]);
  assert.deepEqual(await errorCode(await fetch(`${h.url}/api/workshops`)), [401, "ADMIN_TOKEN_REQUIRED"]);
  assert.deepEqual(await errorCode(await h.admin("POST", "/api/workshops", { ...workshopBody(h.clock.now), capacity: 0 })), [400, "BAD_REQUEST"]);
  assert.deepEqual(await errorCode(await h.admin("POST", "/api/workshops", workshopBody(h.clock.now, { endsAt: new Date(h.clock.now - 2 * HOUR).toISOString() }))), [400, "BAD_REQUEST"]);
  await h.admin("POST", "/api/workshops", workshopBody(h.clock.now, { joinCode: "TAKEN2" }));
  assert.deepEqual(await errorCode(await h.admin("POST", "/api/workshops", workshopBody(h.clock.now, { joinCode: "taken2" }))), [409, "JOIN_CODE_TAKEN"]);
  const list = (await (await h.admin("GET", "/api/workshops")).json()) as { workshops: unknown[] };
  assert.equal(list.workshops.length, 1);
  await h.close();
  const off = await start(t, { adminToken: undefined });
  assert.deepEqual(await errorCode(await off.admin("GET", "/api/workshops")), [403, "ADMIN_NOT_CONFIGURED"]);
  await off.close();
});

test("joining needs the site's origin and the CSRF header", async (t) => {
  const h = await start(t);
  const res = await fetch(`${h.url}/api/join`, { method: "POST", headers: { "x-mesh-academy": "1" }, body: JSON.stringify({ code: "X", displayName: "A" }) });
  assert.deepEqual(await errorCode(res), [403, "ORIGIN_REQUIRED"]);
  const noHeader = await fetch(`${h.url}/api/join`, { method: "POST", headers: { origin: h.url }, body: JSON.stringify({ code: "X", displayName: "A" }) });
  assert.deepEqual(await errorCode(noHeader), [403, "CSRF_HEADER_MISSING"]);
  await h.close();
});
