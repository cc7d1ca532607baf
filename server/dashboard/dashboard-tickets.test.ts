import { test } from "node:test";
import assert from "node:assert/strict";
import { DashboardTickets } from "./dashboard-tickets.ts";

test("a ticket opens one socket of its own workshop, once, before it expires", () => {
  let now = 0;
  const tickets = new DashboardTickets({ ttlMs: 1000, now: () => now });
  const a = tickets.issue("w1");
  assert.equal(tickets.redeem(a, "w2"), false, "another workshop");
  assert.equal(tickets.redeem(a, "w1"), false, "spent by the wrong try");
  const b = tickets.issue("w1");
  assert.equal(tickets.redeem(b, "w1"), true);
  assert.equal(tickets.redeem(b, "w1"), false, "used twice");
  const c = tickets.issue("w1");
  now = 1000;
  assert.equal(tickets.redeem(c, "w1"), false, "expired");
  assert.equal(tickets.redeem(undefined, "w1"), false);
  assert.equal(tickets.redeem("made-up", "w1"), false);
});

test("outstanding tickets are bounded: expired ones are pruned, the oldest dropped", () => {
  let now = 0;
  const tickets = new DashboardTickets({ ttlMs: 1000, max: 3, now: () => now });
  const first = tickets.issue("w");
  tickets.issue("w");
  tickets.issue("w");
  const fourth = tickets.issue("w");
  assert.equal(tickets.size, 3);
  assert.equal(tickets.redeem(first, "w"), false);
  assert.equal(tickets.redeem(fourth, "w"), true);
  now = 5000;
  tickets.issue("w");
  assert.equal(tickets.size, 1);
});
