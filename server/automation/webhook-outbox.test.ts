import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SqliteProgressStore } from "../progress/sqlite-progress-store.ts";
import { OutboxError, WebhookOutbox } from "./webhook-outbox.ts";

async function open(t: TestContext): Promise<WebhookOutbox> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), "mesh-academy-outbox-")), "progress.sqlite");
  new SqliteProgressStore(file).close();
  const outbox = new WebhookOutbox(file);
  t.after(() => outbox.close());
  return outbox;
}

const event = (id: string) => ({ id, type: "step.completed", body: `{"id":"${id}"}` });

test("one row per event and receiver; the same event queued again is ignored", async (t) => {
  const outbox = await open(t);
  assert.equal(outbox.enqueue(event("e1"), ["http://a/", "http://b/"], 1000, 100), true);
  assert.equal(outbox.enqueue(event("e1"), ["http://a/", "http://b/"], 2000, 100), true);
  assert.deepEqual(outbox.counts(), { pending: 2, delivered: 0, failed: 0 });
  assert.deepEqual(outbox.due(1000, 10).map((d) => [d.id, d.url, d.attempts]).sort(), [["e1", "http://a/", 0], ["e1", "http://b/", 0]]);
});

test("retries wait for their time; delivered and failed rows leave the queue, then are pruned", async (t) => {
  const outbox = await open(t);
  outbox.enqueue(event("e1"), ["http://a/"], 1000, 100);
  outbox.enqueue(event("e2"), ["http://a/"], 1000, 100);
  outbox.enqueue(event("e3"), ["http://a/"], 1000, 100);
  outbox.markRetry("e1", "http://a/", 5000, "HTTP 500");
  assert.deepEqual(outbox.due(2000, 10).map((d) => d.id).sort(), ["e2", "e3"]);
  const later = outbox.due(5000, 10).find((d) => d.id === "e1");
  assert.equal(later?.attempts, 1);
  outbox.markDelivered("e2", "http://a/", 3000);
  outbox.markFailed("e3", "http://a/", 4000, "given up");
  assert.deepEqual(outbox.counts(), { pending: 1, delivered: 1, failed: 1 });
  assert.deepEqual(outbox.due(9000, 10).map((d) => d.id), ["e1"]);
  assert.equal(outbox.prune(3500), 1, "the delivered row is older than the cut-off, the failed one is not");
  assert.deepEqual(outbox.counts(), { pending: 1, delivered: 0, failed: 1 });
});

test("the queue is bounded by maxPending, counting every receiver's row", async (t) => {
  const outbox = await open(t);
  assert.equal(outbox.enqueue(event("e1"), ["http://a/", "http://b/"], 1000, 3), true);
  assert.equal(outbox.enqueue(event("e2"), ["http://a/", "http://b/"], 1000, 3), false);
  assert.deepEqual(outbox.counts(), { pending: 2, delivered: 0, failed: 0 });
  outbox.close();
  assert.throws(() => outbox.counts(), OutboxError);
});
