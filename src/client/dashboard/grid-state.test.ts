import { test } from "node:test";
import assert from "node:assert/strict";
import type { Grid, GridRow } from "../../../server/dashboard/dashboard-protocol.ts";
import { applyRow, formatDuration, gridState, stuckText, timeOnStep } from "./grid-state.ts";

function row(key: string, over: Partial<GridRow> = {}): GridRow {
  return { key, displayName: key, joinedAt: 0, done: 0, current: 0, currentSince: 1000, failedChecks: 0, failedOnCurrent: 0, stuck: [], watchable: false, cells: [], ...over };
}

const grid: Grid = {
  workshop: { id: "w", title: "W", lessons: ["welcome"] },
  columns: [],
  rows: [row("a"), row("b")],
  rules: { afterMs: 600_000, afterFailedChecks: 3 },
  serverNow: 10_000,
};

test("a row replaces the row with its key, a new key is appended, order is kept", () => {
  let state = gridState(grid, 9000);
  state = applyRow(state, row("a", { done: 2 }), 11_000, 10_000);
  state = applyRow(state, row("c"), 12_000, 11_000);
  assert.deepEqual(state.grid.rows.map((r) => [r.key, r.done]), [
    ["a", 2],
    ["b", 0],
    ["c", 0],
  ]);
  assert.equal(state.grid.serverNow, 12_000);
  assert.equal(state.clockOffsetMs, 1000);
  assert.equal(grid.rows.length, 2, "the old grid is untouched");
});

test("time on step counts forward on the server's clock", () => {
  const state = gridState(grid, 5000);
  assert.equal(timeOnStep(row("a"), state, 5000), 9000);
  assert.equal(timeOnStep(row("a"), state, 6000), 10_000);
  assert.equal(timeOnStep(row("a", { currentSince: null }), state, 6000), null);
});

test("durations and stuck reasons in words", () => {
  assert.equal(formatDuration(45_000), "45 s");
  assert.equal(formatDuration(12 * 60_000 + 5000), "12 min");
  assert.equal(formatDuration(125 * 60_000), "2 h 05 min");
  const state = gridState(grid, 0);
  assert.equal(stuckText(row("a"), state), "");
  assert.equal(stuckText(row("a", { stuck: ["failures"], failedOnCurrent: 1 }), state), "Stuck: 1 failed check on this step");
  assert.equal(stuckText(row("a", { stuck: ["time", "failures"], failedOnCurrent: 4 }), state), "Stuck: over 10 min on this step, 4 failed checks on this step");
});
