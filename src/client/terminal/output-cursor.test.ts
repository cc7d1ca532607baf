import { test } from "node:test";
import assert from "node:assert/strict";
import { acceptOutput } from "./output-cursor.ts";

test("a chunk that starts where the screen stops is written whole", () => {
  assert.deepEqual(acceptOutput(0, { offset: 0, data: "$ " }), { text: "$ ", written: 2, lost: 0 });
  assert.deepEqual(acceptOutput(5, { offset: 5, data: "abc" }), { text: "abc", written: 8, lost: 0 });
});

test("the overlap with what is already on screen is dropped", () => {
  assert.deepEqual(acceptOutput(4, { offset: 2, data: "cdef" }), { text: "ef", written: 6, lost: 0 });
});

test("a chunk entirely on screen already writes nothing and keeps the position", () => {
  assert.deepEqual(acceptOutput(10, { offset: 2, data: "cdef" }), { text: "", written: 10, lost: 0 });
  assert.deepEqual(acceptOutput(6, { offset: 2, data: "cdef" }), { text: "", written: 6, lost: 0 });
});

test("a chunk beyond the screen position is written and the gap reported", () => {
  assert.deepEqual(acceptOutput(3, { offset: 10, data: "xyz" }), { text: "xyz", written: 13, lost: 7 });
});

test("an empty chunk changes nothing", () => {
  assert.deepEqual(acceptOutput(3, { offset: 3, data: "" }), { text: "", written: 3, lost: 0 });
});

test("offsets count UTF-16 code units, so astral characters take two", () => {
  const output = "ok 🚀 done";
  const first = acceptOutput(0, { offset: 0, data: output.slice(0, 5) });
  assert.equal(first.written, 5);
  // After a reconnect the server replays from an earlier offset: only the rest is new.
  const replay = acceptOutput(first.written, { offset: 0, data: output });
  assert.equal(first.text + replay.text, output);
  assert.equal(replay.written, output.length);
});

test("replaying a stream split at arbitrary points reproduces it exactly once", () => {
  const output = "line one\r\nline two\r\n$ kubectl get pods\r\n";
  let written = 0;
  let screen = "";
  // Overlapping windows, as a server resuming from older buffer positions would send.
  for (const [start, end] of [[0, 7], [3, 12], [12, 12], [10, 30], [5, 25], [25, output.length]] as const) {
    const accepted = acceptOutput(written, { offset: start, data: output.slice(start, end) });
    screen += accepted.text;
    written = accepted.written;
  }
  assert.equal(screen, output);
  assert.equal(written, output.length);
});
