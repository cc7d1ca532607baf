import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { clampRatio, DEFAULT_SPLIT_RATIO, KEYBOARD_STEP, ratioAfterKey, ratioFromPointer, ratioToPercent } from "./split-ratio.ts";

const limits = { containerSize: 1000, minPaneSize: 200 };

describe("clampRatio", () => {
  it("keeps both panes at least minPaneSize wide", () => {
    assert.equal(clampRatio(0.05, limits), 0.2);
    assert.equal(clampRatio(0.95, limits), 0.8);
    assert.equal(clampRatio(0.37, limits), 0.37);
  });

  it("splits evenly when the container cannot fit both minimums, or the value is garbage", () => {
    assert.equal(clampRatio(0.9, { containerSize: 300, minPaneSize: 200 }), DEFAULT_SPLIT_RATIO);
    assert.equal(clampRatio(0.9, { containerSize: 0, minPaneSize: 200 }), DEFAULT_SPLIT_RATIO);
    assert.equal(clampRatio(Number.NaN, limits), DEFAULT_SPLIT_RATIO);
  });
});

describe("ratioFromPointer", () => {
  it("measures from the start of the container and clamps", () => {
    assert.equal(ratioFromPointer(400, 100, limits), 0.3);
    assert.equal(ratioFromPointer(50, 100, limits), 0.2);
    assert.equal(ratioFromPointer(5000, 100, limits), 0.8);
  });
});

describe("ratioAfterKey", () => {
  it("steps with arrows in either orientation and by five steps with Page keys", () => {
    assert.equal(ratioAfterKey("ArrowLeft", 0.5, limits), 0.5 - KEYBOARD_STEP);
    assert.equal(ratioAfterKey("ArrowUp", 0.5, limits), 0.5 - KEYBOARD_STEP);
    assert.equal(ratioAfterKey("ArrowRight", 0.5, limits), 0.5 + KEYBOARD_STEP);
    assert.equal(ratioAfterKey("ArrowDown", 0.5, limits), 0.5 + KEYBOARD_STEP);
    assert.equal(ratioAfterKey("PageDown", 0.5, limits), 0.6);
    assert.equal(ratioAfterKey("PageUp", 0.5, limits), 0.4);
  });

  it("stops at the limits, jumps to them with Home/End, resets with Enter", () => {
    assert.equal(ratioAfterKey("ArrowLeft", 0.2, limits), 0.2);
    assert.equal(ratioAfterKey("Home", 0.6, limits), 0.2);
    assert.equal(ratioAfterKey("End", 0.3, limits), 0.8);
    assert.equal(ratioAfterKey("Enter", 0.3, limits), 0.5);
  });

  it("ignores other keys so they keep their usual meaning", () => {
    assert.equal(ratioAfterKey("Tab", 0.5, limits), undefined);
    assert.equal(ratioAfterKey("a", 0.5, limits), undefined);
  });
});

describe("ratioToPercent", () => {
  it("rounds to a whole percentage for aria-valuenow", () => {
    assert.equal(ratioToPercent(0.456), 46);
    assert.equal(ratioToPercent(0.2), 20);
  });
});
