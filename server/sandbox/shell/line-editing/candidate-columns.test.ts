import { test } from "node:test";
import assert from "node:assert/strict";
import { candidateColumns } from "./candidate-columns.ts";

test("lists down the columns first, each column as wide as the longest item plus two", () => {
  const items = ["a", "bb", "ccc", "dddd", "e"];
  // Width 6 per column: three fit in 20, so two rows.
  assert.deepEqual(candidateColumns(items, 20), ["a     ccc   e", "bb    dddd  "]);
  assert.deepEqual(candidateColumns(items, 80), ["a     bb    ccc   dddd  e     "]);
  // What bash 5 prints for c1 … c55555 in a terminal 30 columns wide.
  assert.deepEqual(candidateColumns(["c1", "c22", "c333", "c4444", "c55555"], 30), ["c1      c333    c55555", "c22     c4444   "]);
});

test("one item per row when even one column does not fit; a row exactly as wide as the terminal loses a column", () => {
  assert.deepEqual(candidateColumns(["long-name", "x"], 5), ["long-name", "x"]);
  // Two columns of width 5 would fill 10 columns exactly.
  assert.deepEqual(candidateColumns(["abc", "def"], 10), ["abc", "def"]);
  assert.deepEqual(candidateColumns(["abc", "def"], 11), ["abc  def"]);
  assert.deepEqual(candidateColumns([], 80), []);
});
