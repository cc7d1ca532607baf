import { test } from "node:test";
import assert from "node:assert/strict";
import { AttemptLimiter } from "./attempt-limiter.ts";

test("a client gets `limit` attempts per window, then waits for the window to end", () => {
  const clock = { now: 0 };
  const limiter = new AttemptLimiter({ limit: 3, windowMs: 60_000, now: () => clock.now });
  assert.deepEqual([1, 2, 3].map(() => limiter.take("a").allowed), [true, true, true]);
  clock.now = 15_000;
  assert.deepEqual(limiter.take("a"), { allowed: false, retryAfterMs: 45_000 });
  assert.equal(limiter.take("b").allowed, true, "another client has its own count");
  clock.now = 60_000;
  assert.equal(limiter.take("a").allowed, true);
});

test("refused attempts do not extend the window, and memory stays bounded", () => {
  const clock = { now: 0 };
  const limiter = new AttemptLimiter({ limit: 1, windowMs: 1000, now: () => clock.now, maxClients: 2 });
  limiter.take("a");
  for (let i = 0; i < 10; i++) assert.equal(limiter.take("a").allowed, false);
  clock.now = 1000;
  assert.equal(limiter.take("a").allowed, true);
  limiter.take("b");
  limiter.take("c");
  // "a" was the oldest and has been forgotten, so it starts a fresh window.
  assert.equal(limiter.take("a").allowed, true);
});
