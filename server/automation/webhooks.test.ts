import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createLogger } from "../log/logger.ts";
import { LearnerCookie } from "../progress/learner-cookie.ts";
import { ProgressTracker } from "../progress/progress-tracker.ts";
import { SqliteProgressStore } from "../progress/sqlite-progress-store.ts";
import type { WebhookEventBody } from "./webhook-events.ts";
import { verifyWebhookSignature } from "./webhook-signature.ts";
import { startWebhooks, type Webhooks } from "./webhooks.ts";

const logger = createLogger({ level: "silent" });
const SECRET = "webhook-secret-for-the-tests-0123";
const LESSONS_DIR = fileURLToPath(new URL("../../lessons/", import.meta.url));

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1:0 that answers with `answer(n)` for its n-th request (0-based). */
async function receiver(t: TestContext, answer: (n: number) => { status: number; headers?: Record<string, string> } = () => ({ status: 204 })) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += String(chunk)));
    req.on("end", () => {
      const reply = answer(received.length);
      received.push({ headers: req.headers, body });
      res.writeHead(reply.status, reply.headers ?? {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

async function setup(t: TestContext, urls: string[], extra: { maxAttempts?: number; maxPending?: number; dir?: string } = {}) {
  const dir = extra.dir ?? (await mkdtemp(path.join(tmpdir(), "mesh-academy-webhooks-")));
  const databaseFile = path.join(dir, "progress.sqlite");
  const store = new SqliteProgressStore(databaseFile);
  const tracker = new ProgressTracker({ store, cookie: new LearnerCookie(Buffer.alloc(32, 7)) });
  const webhooks: Webhooks = startWebhooks({
    databaseFile,
    urls,
    secret: SECRET,
    tracker,
    lessonsDir: LESSONS_DIR,
    logger,
    delivery: { retryBaseMs: 20, retryMaxMs: 50, pollMs: 10, timeoutMs: 2000, maxAttempts: extra.maxAttempts ?? 5 },
    ...(extra.maxPending !== undefined ? { maxPending: extra.maxPending } : {}),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await webhooks.stop();
    tracker.close();
  };
  t.after(stop);
  return { dir, store, tracker, webhooks, stop };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const bodies = (received: Received[]) => received.map((r) => JSON.parse(r.body) as WebhookEventBody);

test("step and lesson completions arrive signed, with the learner's name and workshop", async (t) => {
  const hook = await receiver(t);
  const { store, tracker } = await setup(t, [hook.url]);
  const learner = "learner-one";
  store.ensureLearner(learner, Date.now());
  store.createWorkshop("ws1", { title: "Istio day", lessons: ["welcome"], capacity: 5, startsAt: 0, endsAt: Date.now() + 3_600_000, joinCode: "ABCDEF" }, 0);
  store.joinWorkshop("ws1", learner, "Ada <script>", Date.now());
  tracker.setDisplayName(learner, "Ada <script>");

  tracker.recordStepPassed(learner, "welcome", "create-namespace");
  tracker.recordStepPassed(learner, "welcome", "label-namespace");
  await waitFor(() => hook.received.length >= 3, "three deliveries");
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(hook.received.length, 3, "two steps and one lesson, nothing twice");

  for (const { headers, body } of hook.received) {
    assert.equal(headers["content-type"], "application/json");
    assert.ok(verifyWebhookSignature(SECRET, String(headers["x-mesh-academy-signature"]), body), "the signature verifies");
    assert.equal(verifyWebhookSignature("some-other-secret-value", String(headers["x-mesh-academy-signature"]), body), false);
    assert.equal(headers["x-mesh-academy-delivery"], (JSON.parse(body) as WebhookEventBody).id);
  }
  const events = bodies(hook.received);
  assert.deepEqual(
    events.map((e) => [e.type, e.lesson, e.step]).sort(),
    [
      ["lesson.completed", "welcome", null],
      ["step.completed", "welcome", "create-namespace"],
      ["step.completed", "welcome", "label-namespace"],
    ],
  );
  for (const event of events) {
    assert.deepEqual(event.workshop, { id: "ws1", title: "Istio day" });
    assert.equal(event.learner?.displayName, "Ada <script>");
    assert.match(event.learner?.id ?? "", /^[0-9a-f]{32}$/);
    assert.notEqual(event.learner?.id, learner, "the cookie's learner id stays inside the server");
    assert.ok(!Number.isNaN(Date.parse(event.time)));
  }
  assert.equal(new Set(events.map((e) => e.learner?.id)).size, 1, "one learner, one id");

  // The same step passing again (a retried request) is not a second event.
  tracker.recordStepPassed(learner, "welcome", "label-namespace");
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(hook.received.length, 3);
});

test("a session start names the cookie's learner, or none", async (t) => {
  const hook = await receiver(t);
  const { store, webhooks } = await setup(t, [hook.url]);
  const learner = LearnerCookie.newLearnerId();
  store.ensureLearner(learner, Date.now());
  const cookie = new LearnerCookie(Buffer.alloc(32, 7)).setCookieHeader(learner, false).split(";")[0] ?? "";
  webhooks.sessionStarted({ cookie }, "session-a");
  webhooks.sessionStarted({}, "session-b");
  await waitFor(() => hook.received.length >= 2, "two deliveries");
  const events = bodies(hook.received).sort((a, b) => String(a.session).localeCompare(String(b.session)));
  assert.equal(events[0]?.type, "session.started");
  assert.equal(events[0]?.session, "session-a");
  assert.ok(events[0]?.learner !== null);
  assert.equal(events[1]?.session, "session-b");
  assert.equal(events[1]?.learner, null);
});

test("a receiver answering 500 gets the same event again after a back-off", async (t) => {
  const hook = await receiver(t, (n) => ({ status: n === 0 ? 500 : 200 }));
  const { store, tracker, webhooks } = await setup(t, [hook.url]);
  store.ensureLearner("l3", Date.now());
  tracker.recordStepPassed("l3", "gateways", "no-such-step");
  await waitFor(() => hook.received.length >= 2, "the retry");
  const [first, second] = hook.received;
  assert.equal(first?.body, second?.body, "the body is fixed when the event happens");
  assert.equal(first?.headers["x-mesh-academy-delivery"], second?.headers["x-mesh-academy-delivery"]);
  await waitFor(() => webhooks.outbox.counts().delivered === 1, "the delivery to be recorded");
  assert.deepEqual(webhooks.outbox.counts(), { pending: 0, delivered: 1, failed: 0 });
});

test("only configured addresses are contacted: no redirects, no rows for removed receivers", async (t) => {
  const elsewhere = await receiver(t);
  const hook = await receiver(t, () => ({ status: 302, headers: { Location: elsewhere.url } }));
  const { store, tracker, webhooks } = await setup(t, [hook.url], { maxAttempts: 2 });
  store.ensureLearner("l4", Date.now());
  tracker.recordStepPassed("l4", "welcome", "create-namespace");
  // A row left by an earlier configuration that listed another receiver.
  webhooks.outbox.enqueue({ id: "evt_old", type: "step.completed", body: "{}" }, [elsewhere.url], Date.now(), 100);
  webhooks.dispatcher.kick();
  await waitFor(() => webhooks.outbox.counts().failed === 2, "both rows to be given up");
  assert.equal(hook.received.length, 2, "the configured receiver was tried maxAttempts times");
  assert.equal(elsewhere.received.length, 0, "the redirect target and the removed receiver were never contacted");
});

test("events queued before a restart are delivered after it", async (t) => {
  // Nothing listens on this address yet: deliveries fail and stay pending.
  const hook = await receiver(t);
  const down = `${hook.url.replace("/hooks", "")}/down`;
  const first = await setup(t, [down]);
  first.store.ensureLearner("l5", Date.now());
  first.tracker.recordStepPassed("l5", "welcome", "create-namespace");
  assert.equal(first.webhooks.outbox.counts().pending, 1, "queued before recordStepPassed returned");
  await first.stop();

  // The same address now answers (the receiver's handler takes every path).
  const second = await setup(t, [down], { dir: first.dir });
  await waitFor(() => hook.received.length >= 1, "the delivery after the restart");
  const event = JSON.parse(hook.received[0]?.body ?? "{}") as WebhookEventBody;
  assert.equal(event.type, "step.completed");
  assert.equal(event.step, "create-namespace");
  await waitFor(() => second.webhooks.outbox.counts().delivered === 1, "the delivery to be recorded");
});

test("the outbox is bounded: past maxPending, events are dropped and counted", async (t) => {
  const { store, tracker, webhooks } = await setup(t, ["http://127.0.0.1:9/unreachable"], { maxPending: 2 });
  await webhooks.dispatcher.stop();
  store.ensureLearner("l6", Date.now());
  tracker.recordStepPassed("l6", "lesson-a", "s1");
  tracker.recordStepPassed("l6", "lesson-a", "s2");
  tracker.recordStepPassed("l6", "lesson-a", "s3");
  assert.equal(webhooks.outbox.counts().pending, 2);
  assert.equal(webhooks.events.dropped, 1);
});
