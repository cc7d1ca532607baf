import { test } from "node:test";
import assert from "node:assert/strict";
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, generateJoinCode, normalizeJoinCode } from "./join-code.ts";

test("codes are 6 symbols from an alphabet without look-alikes", () => {
  assert.doesNotMatch(JOIN_CODE_ALPHABET, /[01OIL]/);
  for (let i = 0; i < 200; i++) assert.match(generateJoinCode(), new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`));
  let n = 0;
  assert.equal(generateJoinCode(() => n++ % 3), "ABCABC");
});

test("typed codes are normalised", () => {
  assert.equal(normalizeJoinCode(" abc-234 "), "ABC234");
  assert.equal(normalizeJoinCode("ab c2 34"), "ABC234");
});
