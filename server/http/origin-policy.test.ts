import { test } from "node:test";
import assert from "node:assert/strict";
import { isOriginAllowed } from "./origin-policy.ts";

test("the server's own origin is allowed, over http or https", () => {
  assert.equal(isOriginAllowed("http://127.0.0.1:4321", "127.0.0.1:4321", []), true);
  assert.equal(isOriginAllowed("https://learn.example.com", "learn.example.com", []), true);
  assert.equal(isOriginAllowed("http://learn.example.com", "learn.example.com:80", []), true);
  assert.equal(isOriginAllowed("http://LEARN.example.com", "learn.EXAMPLE.com", []), true);
});

test("other origins are refused unless listed", () => {
  assert.equal(isOriginAllowed("http://evil.example", "127.0.0.1:4321", []), false);
  assert.equal(isOriginAllowed("http://127.0.0.1:9999", "127.0.0.1:4321", []), false);
  assert.equal(isOriginAllowed("https://docs.example.com", "127.0.0.1:4321", ["https://docs.example.com"]), true);
});

test("missing, opaque and malformed origins are refused", () => {
  assert.equal(isOriginAllowed(undefined, "127.0.0.1:4321", []), false);
  assert.equal(isOriginAllowed("null", "127.0.0.1:4321", []), false);
  assert.equal(isOriginAllowed("not a url", "127.0.0.1:4321", []), false);
  assert.equal(isOriginAllowed("file://127.0.0.1:4321", "127.0.0.1:4321", []), false);
  assert.equal(isOriginAllowed("http://127.0.0.1:4321", undefined, []), false);
});
