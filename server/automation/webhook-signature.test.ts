import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { signWebhook, verifyWebhookSignature } from "./webhook-signature.ts";

const SECRET = "a-webhook-secret-of-some-length";
const BODY = '{"id":"evt_1","type":"step.completed"}';

test("the header is t=<seconds>,v1=<HMAC-SHA256 over t.body> and verifies", () => {
  const header = signWebhook(SECRET, BODY, 1_700_000_000);
  const expected = createHmac("sha256", SECRET).update(`1700000000.${BODY}`).digest("hex");
  assert.equal(header, `t=1700000000,v1=${expected}`);
  assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: 1_700_000_010_000 }), true);
});

test("a changed body, another secret, a stale timestamp or garbage do not verify", () => {
  const header = signWebhook(SECRET, BODY, 1_700_000_000);
  const now = 1_700_000_000_000;
  assert.equal(verifyWebhookSignature(SECRET, header, `${BODY} `, { now }), false);
  assert.equal(verifyWebhookSignature("another-secret-entirely", header, BODY, { now }), false);
  assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: now + 301_000 }), false);
  assert.equal(verifyWebhookSignature(SECRET, header, BODY, { now: now + 3_600_000, toleranceSeconds: 7200 }), true);
  assert.equal(verifyWebhookSignature(SECRET, undefined, BODY, { now }), false);
  assert.equal(verifyWebhookSignature(SECRET, "v1=abc", BODY, { now }), false);
  assert.equal(verifyWebhookSignature(SECRET, "t=1700000000,v1=zz", BODY, { now }), false);
});

test("any one of several v1 signatures may match (secret rotation)", () => {
  const good = signWebhook(SECRET, BODY, 1_700_000_000);
  const old = signWebhook("the-previous-secret-value", BODY, 1_700_000_000).split(",")[1];
  assert.equal(verifyWebhookSignature(SECRET, `${good.split(",")[0]},${old},${good.split(",")[1]}`, BODY, { now: 1_700_000_000_000 }), true);
});
