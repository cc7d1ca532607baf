import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { oppositeTheme, resolveTheme } from "./theme-preference.ts";

describe("resolveTheme", () => {
  it("honours a stored choice over the system preference", () => {
    assert.equal(resolveTheme("light", true), "light");
    assert.equal(resolveTheme("dark", false), "dark");
  });

  it("follows the system when nothing valid is stored", () => {
    assert.equal(resolveTheme(null, true), "dark");
    assert.equal(resolveTheme(null, false), "light");
    assert.equal(resolveTheme("purple", true), "dark");
  });

  it("stays self-contained so its source can be inlined before first paint", () => {
    const inlined = new Function("stored", "prefersDark", `return (${resolveTheme.toString()})(stored, prefersDark);`);
    assert.equal(inlined("dark", false), "dark");
    assert.equal(inlined(null, true), "dark");
  });
});

describe("oppositeTheme", () => {
  it("flips", () => {
    assert.equal(oppositeTheme("light"), "dark");
    assert.equal(oppositeTheme("dark"), "light");
  });
});
