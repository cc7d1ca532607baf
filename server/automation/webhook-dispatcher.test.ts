import { test } from "node:test";
import assert from "node:assert/strict";
import { createLogger } from "../log/logger.ts";
import { WebhookDispatcher } from "./webhook-dispatcher.ts";
import type { WebhookOutbox } from "./webhook-outbox.ts";

function dispatcher(random: number) {
  return new WebhookDispatcher({
    outbox: {} as WebhookOutbox,
    urls: [],
    secret: "x".repeat(16),
    logger: createLogger({ level: "silent" }),
    retryBaseMs: 1000,
    retryMaxMs: 60_000,
    random: () => random,
  });
}

test("retries back off exponentially up to the maximum, with ±20 % jitter", () => {
  const middle = dispatcher(0.5);
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => middle.retryDelay(n)), [1000, 2000, 4000, 8000, 16000]);
  assert.equal(middle.retryDelay(20), 60_000);
  assert.equal(dispatcher(0).retryDelay(1), 800);
  assert.equal(dispatcher(0.999999).retryDelay(1), 1200);
});
