import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";

test("the ceiling doubles from the base delay per failed attempt", () => {
  const highest = (attempt: number) => backoffDelay(attempt, () => 1);
  assert.equal(highest(0), 250);
  assert.equal(highest(1), 500);
  assert.equal(highest(2), 1000);
  assert.equal(highest(3), 2000);
  assert.equal(highest(4), 4000);
});

test("no delay exceeds the cap, however many attempts failed", () => {
  for (const attempt of [5, 6, 10, 100, 10_000]) {
    assert.equal(backoffDelay(attempt, () => 1), DEFAULT_BACKOFF.maxMs);
    assert.equal(backoffDelay(attempt, () => 0), DEFAULT_BACKOFF.maxMs / 2);
  }
});

test("jitter spreads the delay over the upper half of the ceiling", () => {
  assert.equal(backoffDelay(2, () => 0), 500);
  assert.equal(backoffDelay(2, () => 0.5), 750);
  assert.equal(backoffDelay(2, () => 0.999), 1000);
});

test("out-of-range inputs are clamped rather than producing NaN or negative delays", () => {
  assert.equal(backoffDelay(-3, () => 1), 250);
  assert.equal(backoffDelay(Number.NaN, () => 1), 250);
  assert.equal(backoffDelay(1.7, () => 1), 500);
  assert.equal(backoffDelay(0, () => -5), 125);
  assert.equal(backoffDelay(0, () => 7), 250);
});

test("a custom policy is honoured", () => {
  const policy = { baseMs: 100, maxMs: 900, factor: 3 };
  assert.equal(backoffDelay(0, () => 1, policy), 100);
  assert.equal(backoffDelay(1, () => 1, policy), 300);
  assert.equal(backoffDelay(2, () => 1, policy), 900);
  assert.equal(backoffDelay(3, () => 1, policy), 900);
});
