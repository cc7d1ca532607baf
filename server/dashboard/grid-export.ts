// The grid as files an instructor keeps after the workshop: CSV for a spreadsheet and JSON
// for scripts. Both hold the same facts; times are ISO 8601 in UTC.
import type { Grid, GridRow } from "./dashboard-protocol.ts";

export interface GridExport {
  readonly contentType: string;
  readonly fileName: string;
  readonly body: string;
}

/** RFC 4180: CRLF between records, fields with a quote, comma or line break quoted. */
export function gridToCsv(grid: Grid): GridExport {
  const header = [
    "Name",
    "Joined",
    "Steps done",
    "Steps",
    "Current step",
    "Seconds on current step",
    "Failed checks",
    "Stuck",
    ...grid.columns.flatMap((c) => [`${c.lesson}/${c.step} completed`, `${c.lesson}/${c.step} failed checks`]),
  ];
  const records = grid.rows.map((row) => {
    const current = row.current === null ? undefined : grid.columns[row.current];
    return [
      row.displayName,
      iso(row.joinedAt),
      String(row.done),
      String(grid.columns.length),
      current === undefined ? "" : `${current.lesson}/${current.step}`,
      row.currentSince === null ? "" : String(Math.round(Math.max(0, grid.serverNow - row.currentSince) / 1000)),
      String(row.failedChecks),
      row.stuck.join(" "),
      ...row.cells.flatMap((cell) => [cell.completedAt === null ? "" : iso(cell.completedAt), String(cell.failedChecks)]),
    ];
  });
  const body = [header, ...records].map((fields) => fields.map(csvField).join(",")).join("\r\n") + "\r\n";
  return { contentType: "text/csv; charset=utf-8; header=present", fileName: fileName(grid, "csv"), body };
}

export function gridToJson(grid: Grid): GridExport {
  const document = {
    workshop: grid.workshop,
    exportedAt: iso(grid.serverNow),
    rules: grid.rules,
    steps: grid.columns,
    learners: grid.rows.map((row) => exportedRow(grid, row)),
  };
  return { contentType: "application/json; charset=utf-8", fileName: fileName(grid, "json"), body: `${JSON.stringify(document, null, 2)}\n` };
}

function exportedRow(grid: Grid, row: GridRow) {
  const current = row.current === null ? undefined : grid.columns[row.current];
  return {
    displayName: row.displayName,
    joinedAt: iso(row.joinedAt),
    stepsDone: row.done,
    currentStep: current === undefined ? null : { lesson: current.lesson, step: current.step },
    msOnCurrentStep: row.currentSince === null ? null : Math.max(0, grid.serverNow - row.currentSince),
    failedChecks: row.failedChecks,
    stuck: row.stuck,
    steps: row.cells.map((cell, index) => ({
      lesson: grid.columns[index]?.lesson,
      step: grid.columns[index]?.step,
      state: cell.state,
      completedAt: cell.completedAt === null ? null : iso(cell.completedAt),
      spentMs: cell.spentMs,
      failedChecks: cell.failedChecks,
    })),
  };
}

/**
 * One CSV field. A spreadsheet runs a cell that starts with = + - @ (or a tab or CR, which
 * some strip before looking) as a formula, so a display name like `=HYPERLINK(…)` is
 * prefixed with an apostrophe and stays text.
 */
export function csvField(value: string): string {
  const neutral = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(neutral) ? `"${neutral.replaceAll('"', '""')}"` : neutral;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function fileName(grid: Grid, extension: string): string {
  const slug = grid.workshop.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "workshop";
  return `${slug}-${new Date(grid.serverNow).toISOString().slice(0, 10)}.${extension}`;
}
