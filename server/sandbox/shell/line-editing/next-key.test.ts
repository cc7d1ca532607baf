import { test } from "node:test";
import assert from "node:assert/strict";
import { nextKey } from "./next-key.ts";

function keys(input: string): string[] {
  const found: string[] = [];
  let rest = input;
  while (rest !== "") {
    const key = nextKey(rest);
    found.push(key);
    rest = rest.slice(key.length);
  }
  return found;
}

test("splits input into characters, CSI and SS3 sequences, meta keys and a lone Esc", () => {
  assert.deepEqual(keys("ab\x1b[A\x1b[1;5D\x1bOH\x1bbx\x1b"), ["a", "b", "\x1b[A", "\x1b[1;5D", "\x1bOH", "\x1bb", "x", "\x1b"]);
  assert.deepEqual(keys("\x1b[3~\u{1f600}\r"), ["\x1b[3~", "\u{1f600}", "\r"]);
  assert.deepEqual(keys("\x1b[12"), ["\x1b[12"]);
  assert.equal(nextKey(""), "");
});
