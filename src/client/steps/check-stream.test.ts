import { test } from "node:test";
import assert from "node:assert/strict";
import { CheckStreamParser } from "./check-stream.ts";

test("lines cut across chunks are parsed once whole; blank and broken lines are skipped", () => {
  const parser = new CheckStreamParser();
  assert.deepEqual(parser.push('{"type":"start","checks":["a"]}\n{"type":"res'), [{ type: "start", checks: ["a"] }]);
  assert.deepEqual(parser.push('ult","index":0,"check":"a","status":"failed","message":"no"}\n\nnot json\n'), [
    { type: "result", index: 0, check: "a", status: "failed", message: "no" },
  ]);
  assert.deepEqual(parser.push('{"type":"end","passed":false}\n'), [{ type: "end", passed: false }]);
});
