// The dashboard's grid in the page: the server's grid, updated row by row as the live socket
// sends them, plus the offset between the server's clock and this one (to count "time on the
// current step" forward between messages).
import type { Grid, GridRow } from "../../../server/dashboard/dashboard-protocol.ts";

export interface GridState {
  readonly grid: Grid;
  /** serverNow − Date.now() when the latest message arrived. */
  readonly clockOffsetMs: number;
}

export function gridState(grid: Grid, localNow: number): GridState {
  return { grid, clockOffsetMs: grid.serverNow - localNow };
}

/** The state with `row` in place of the row with its key (appended when new: a learner joined). */
export function applyRow(state: GridState, row: GridRow, serverNow: number, localNow: number): GridState {
  const rows = [...state.grid.rows];
  const index = rows.findIndex((r) => r.key === row.key);
  if (index >= 0) rows[index] = row;
  else rows.push(row);
  return { grid: { ...state.grid, rows, serverNow }, clockOffsetMs: serverNow - localNow };
}

/** How long the learner has been on their current step, as the server's clock would say now. */
export function timeOnStep(row: GridRow, state: GridState, localNow: number): number | null {
  return row.currentSince === null ? null : Math.max(0, localNow + state.clockOffsetMs - row.currentSince);
}

/** "45 s", "12 min", "2 h 05 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Why the row is highlighted, in words; empty when it is not. */
export function stuckText(row: GridRow, state: GridState): string {
  const parts: string[] = [];
  if (row.stuck.includes("time")) parts.push(`over ${formatDuration(state.grid.rules.afterMs)} on this step`);
  if (row.stuck.includes("failures")) parts.push(`${row.failedOnCurrent} failed ${row.failedOnCurrent === 1 ? "check" : "checks"} on this step`);
  return parts.length === 0 ? "" : `Stuck: ${parts.join(", ")}`;
}
