import { test } from "node:test";
import assert from "node:assert/strict";
import { TerminalOutput } from "./terminal-output.ts";

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("output written before anyone listens reaches the first listener", async () => {
  const out = new TerminalOutput({ chunkChars: 4, highWaterMark: 100 });
  out.write("prompt$ ");
  const seen: string[] = [];
  out.onData((data) => seen.push(data));
  await tick();
  assert.deepEqual(seen, ["prom", "pt$ "]);
});

test("pause holds output, congestion is reported, resume delivers all of it in order", async () => {
  const out = new TerminalOutput({ chunkChars: 3, highWaterMark: 5 });
  const seen: string[] = [];
  out.onData((data) => seen.push(data));
  out.pause();
  out.write("abc");
  assert.equal(out.congested, false);
  out.write("defg");
  await tick();
  assert.equal(seen.length, 0);
  assert.equal(out.congested, true);
  let drained = 0;
  out.onDrain(() => drained++);
  out.resume();
  assert.equal(seen.join(""), "abcdefg");
  assert.ok(seen.every((chunk) => chunk.length <= 3));
  assert.equal(drained, 1);
});

test("a listener pausing mid-delivery stops the rest until resume", async () => {
  const out = new TerminalOutput({ chunkChars: 2, highWaterMark: 100 });
  const seen: string[] = [];
  out.onData((data) => {
    seen.push(data);
    out.pause();
  });
  out.write("aabbcc");
  await tick();
  assert.deepEqual(seen, ["aa"]);
  out.resume();
  assert.deepEqual(seen, ["aa", "bb"]);
  out.resume();
  out.resume();
  assert.deepEqual(seen, ["aa", "bb", "cc"]);
});

test("surrogate pairs are never split between chunks", async () => {
  const out = new TerminalOutput({ chunkChars: 2, highWaterMark: 100 });
  const seen: string[] = [];
  out.onData((data) => seen.push(data));
  out.write("a\u{1f600}b");
  await tick();
  assert.equal(seen.join(""), "a\u{1f600}b");
  assert.ok(seen.every((chunk) => !/[\ud800-\udbff]$/.test(chunk)));
});
