import { test } from "node:test";
import assert from "node:assert/strict";
import { OutputBuffer } from "./output-buffer.ts";

test("append returns absolute offsets and readFrom replays from any of them", () => {
  const buffer = new OutputBuffer(100);
  assert.equal(buffer.append("hello "), 0);
  assert.equal(buffer.append("world"), 6);
  assert.equal(buffer.end, 11);
  assert.deepEqual(buffer.readFrom(0), { offset: 0, data: "hello world", dropped: 0 });
  assert.deepEqual(buffer.readFrom(3), { offset: 3, data: "lo world", dropped: 0 });
  assert.deepEqual(buffer.readFrom(6), { offset: 6, data: "world", dropped: 0 });
  assert.deepEqual(buffer.readFrom(11), { offset: 11, data: "", dropped: 0 });
});

test("an offset past the end yields nothing, from the end", () => {
  const buffer = new OutputBuffer(10);
  buffer.append("abc");
  assert.deepEqual(buffer.readFrom(50), { offset: 3, data: "", dropped: 0 });
});

test("drops the oldest output beyond capacity while offsets keep counting", () => {
  const buffer = new OutputBuffer(5);
  buffer.append("abc");
  buffer.append("defg");
  assert.equal(buffer.start, 2);
  assert.equal(buffer.end, 7);
  assert.deepEqual(buffer.readFrom(4), { offset: 4, data: "efg", dropped: 0 });
  // A resume from before the start gets what remains and learns how much is gone.
  assert.deepEqual(buffer.readFrom(0), { offset: 2, data: "cdefg", dropped: 2 });
  assert.deepEqual(buffer.readFrom(1), { offset: 2, data: "cdefg", dropped: 1 });
  assert.equal(buffer.append("hijklmnop"), 7);
  assert.deepEqual(buffer.readFrom(0), { offset: 11, data: "lmnop", dropped: 11 });
});

test("never keeps half of a surrogate pair", () => {
  const fits = new OutputBuffer(3);
  fits.append("ab\u{1F600}c"); // a b <hi> <lo> c: five code units
  assert.deepEqual(fits.readFrom(0), { offset: 2, data: "\u{1F600}c", dropped: 2 });
  // Capacity 2 would cut between <hi> and <lo>: the whole character goes instead.
  const splits = new OutputBuffer(2);
  splits.append("ab\u{1F600}c");
  assert.deepEqual(splits.readFrom(0), { offset: 4, data: "c", dropped: 4 });
  assert.equal(splits.end, 5);
});

test("many small appends read back identically to one string", () => {
  const buffer = new OutputBuffer(1000);
  let expected = "";
  for (let i = 0; i < 700; i += 1) {
    const piece = String(i % 10);
    expected += piece;
    buffer.append(piece);
  }
  assert.equal(buffer.readFrom(0).data, expected);
  assert.equal(buffer.readFrom(123).data, expected.slice(123));
});

test("refuses a capacity that is not a positive integer", () => {
  assert.throws(() => new OutputBuffer(0), RangeError);
  assert.throws(() => new OutputBuffer(1.5), RangeError);
});

test("a buffer with an origin starts there and counts nothing before it as dropped", () => {
  const buffer = new OutputBuffer(8, 1000);
  assert.equal(buffer.append("restored"), 1000);
  assert.deepEqual(buffer.readFrom(0), { offset: 1000, data: "restored", dropped: 0 });
  assert.deepEqual(buffer.readFrom(1004), { offset: 1004, data: "ored", dropped: 0 });
  buffer.append("++");
  assert.deepEqual(buffer.readFrom(400), { offset: 1002, data: "stored++", dropped: 2 });
});
