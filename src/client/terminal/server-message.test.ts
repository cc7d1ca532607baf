import { test } from "node:test";
import assert from "node:assert/strict";
import { parseServerMessage } from "./server-message.ts";

test("data frames are parsed with their offset", () => {
  assert.deepEqual(parseServerMessage('{"type":"data","data":"$ ","offset":12}'), { type: "data", data: "$ ", offset: 12 });
});

test("data frames without a valid offset are refused", () => {
  for (const offset of ["1", -1, 1.5, null]) {
    assert.equal(parseServerMessage(JSON.stringify({ type: "data", data: "x", offset })), null);
  }
  assert.equal(parseServerMessage(JSON.stringify({ type: "data", offset: 0 })), null);
});

test("status frames keep state, message and a progress clamped to 0..1", () => {
  assert.deepEqual(parseServerMessage('{"type":"status","state":"starting","progress":0.4,"message":"Pulling"}'), {
    type: "status",
    state: "starting",
    progress: 0.4,
    message: "Pulling",
  });
  assert.deepEqual(parseServerMessage('{"type":"status","state":"starting","progress":3}'), {
    type: "status",
    state: "starting",
    progress: 1,
  });
  assert.deepEqual(parseServerMessage('{"type":"status","state":"ready"}'), { type: "status", state: "ready" });
  assert.equal(parseServerMessage('{"type":"status","state":"sleeping"}'), null);
});

test("exit frames carry an integer code", () => {
  assert.deepEqual(parseServerMessage('{"type":"exit","code":0}'), { type: "exit", code: 0 });
  assert.deepEqual(parseServerMessage('{"type":"exit","code":130,"reason":"signal"}'), { type: "exit", code: 130, reason: "signal" });
  assert.equal(parseServerMessage('{"type":"exit"}'), null);
});

test("unknown types, non-objects and broken JSON are ignored", () => {
  for (const frame of ['{"type":"ping"}', "[]", "null", "42", "{oops", ""]) {
    assert.equal(parseServerMessage(frame), null, frame);
  }
});

test("watchers frames carry a non-negative count", () => {
  assert.deepEqual(parseServerMessage('{"type":"watchers","count":2}'), { type: "watchers", count: 2 });
  assert.deepEqual(parseServerMessage('{"type":"watchers","count":0}'), { type: "watchers", count: 0 });
  assert.equal(parseServerMessage('{"type":"watchers","count":-1}'), null);
  assert.equal(parseServerMessage('{"type":"watchers"}'), null);
});
