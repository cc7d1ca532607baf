import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { LEARNER_COOKIE_NAME, LearnerCookie } from "./learner-cookie.ts";

const cookie = new LearnerCookie(randomBytes(32));

function valueOf(setCookie: string): string {
  return setCookie.split(";")[0] ?? "";
}

test("a signed cookie round-trips to its learner id among other cookies", () => {
  const id = LearnerCookie.newLearnerId();
  const header = cookie.setCookieHeader(id, false);
  assert.equal(cookie.learnerIdFrom(`theme=dark; ${valueOf(header)}; other=1`), id);
});

test("the cookie is HttpOnly, SameSite=Lax, site-wide, Secure only over https", () => {
  const plain = cookie.setCookieHeader(LearnerCookie.newLearnerId(), false);
  assert.match(plain, /; HttpOnly/);
  assert.match(plain, /; SameSite=Lax/);
  assert.match(plain, /; Path=\//);
  assert.doesNotMatch(plain, /Secure/);
  assert.match(cookie.setCookieHeader(LearnerCookie.newLearnerId(), true), /; Secure$/);
});

test("an edited id, a forged signature or another server's cookie is refused", () => {
  const id = LearnerCookie.newLearnerId();
  const value = valueOf(cookie.setCookieHeader(id, false));
  const other = LearnerCookie.newLearnerId();
  const signature = value.split(".")[1] ?? "";
  assert.equal(cookie.learnerIdFrom(`${LEARNER_COOKIE_NAME}=${other}.${signature}`), undefined);
  assert.equal(cookie.learnerIdFrom(`${LEARNER_COOKIE_NAME}=${id}.AAAA`), undefined);
  assert.equal(cookie.learnerIdFrom(`${LEARNER_COOKIE_NAME}=${id}`), undefined);
  const elsewhere = new LearnerCookie(randomBytes(32));
  assert.equal(elsewhere.learnerIdFrom(value), undefined);
  assert.equal(cookie.learnerIdFrom(undefined), undefined);
  assert.equal(cookie.learnerIdFrom(""), undefined);
});

test("new learner ids are distinct 22-character base64url strings", () => {
  const ids = new Set(Array.from({ length: 100 }, () => LearnerCookie.newLearnerId()));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});

test("a short secret is refused", () => {
  assert.throws(() => new LearnerCookie(randomBytes(8)), RangeError);
});
