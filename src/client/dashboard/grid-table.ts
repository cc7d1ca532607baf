// Draws the grid as a table: one row per learner, one cell per step, grouped by lesson.
// Everything a learner typed (their name) goes in with textContent; nothing here builds HTML
// from strings.
import type { GridColumn, GridRow } from "../../../server/dashboard/dashboard-protocol.ts";
import { formatDuration, stuckText, timeOnStep, type GridState } from "./grid-state.ts";

export interface GridTableOptions {
  table: HTMLTableElement;
  /** The instructor clicked a learner with a live terminal. */
  onWatch: (row: GridRow) => void;
}

const CELL_SYMBOL = { done: "✓", current: "●", todo: "·" } as const;
const CELL_WORDS = { done: "done", current: "current step", todo: "not yet" } as const;

export class GridTable {
  readonly #table: HTMLTableElement;
  readonly #onWatch: (row: GridRow) => void;
  #state: GridState | undefined;
  #rows = new Map<string, HTMLTableRowElement>();

  constructor(options: GridTableOptions) {
    this.#table = options.table;
    this.#onWatch = options.onWatch;
  }

  /** Draws everything (first grid, new rules). */
  render(state: GridState, localNow: number): void {
    this.#state = state;
    this.#table.replaceChildren(this.#head(state.grid.columns), this.#body(state, localNow));
  }

  /** Redraws one learner's row in place, or appends it. */
  update(state: GridState, row: GridRow, localNow: number): void {
    this.#state = state;
    const tr = this.#row(row, state, localNow);
    const existing = this.#rows.get(row.key);
    if (existing) existing.replaceWith(tr);
    else this.#table.tBodies[0]?.append(tr);
    this.#rows.set(row.key, tr);
  }

  /** Counts "time on step" forward between messages. */
  tick(localNow: number): void {
    const state = this.#state;
    if (state === undefined) return;
    for (const row of state.grid.rows) {
      const cell = this.#rows.get(row.key)?.querySelector<HTMLElement>("[data-time-on-step]");
      const ms = timeOnStep(row, state, localNow);
      if (cell) cell.textContent = ms === null ? "—" : formatDuration(ms);
    }
  }

  #head(columns: readonly GridColumn[]): HTMLTableSectionElement {
    const thead = document.createElement("thead");
    const lessons = document.createElement("tr");
    const steps = document.createElement("tr");
    for (const label of ["Learner", "Done", "Current step", "Time on step", "Failed checks"]) {
      const th = cell("th", label);
      th.rowSpan = 2;
      th.scope = "col";
      lessons.append(th);
    }
    let index = 0;
    while (index < columns.length) {
      const lesson = columns[index]?.lesson ?? "";
      let span = 0;
      while (columns[index + span]?.lesson === lesson) span += 1;
      const th = cell("th", columns[index]?.lessonTitle ?? lesson);
      th.className = "grid__lesson-head";
      th.colSpan = span;
      th.scope = "colgroup";
      lessons.append(th);
      index += span;
    }
    columns.forEach((column, i) => {
      const th = cell("th", String(i + 1));
      th.scope = "col";
      th.title = column.title;
      th.className = "grid__step-head";
      steps.append(th);
    });
    thead.append(lessons, steps);
    return thead;
  }

  #body(state: GridState, localNow: number): HTMLTableSectionElement {
    const tbody = document.createElement("tbody");
    this.#rows = new Map();
    for (const row of state.grid.rows) {
      const tr = this.#row(row, state, localNow);
      this.#rows.set(row.key, tr);
      tbody.append(tr);
    }
    return tbody;
  }

  #row(row: GridRow, state: GridState, localNow: number): HTMLTableRowElement {
    const { columns } = state.grid;
    const tr = document.createElement("tr");
    tr.dataset.learnerKey = row.key;
    tr.dataset.stuck = String(row.stuck.length > 0);
    const name = document.createElement("th");
    name.scope = "row";
    if (row.watchable) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "grid__watch";
      button.textContent = row.displayName;
      button.setAttribute("aria-label", `Watch the terminal of ${row.displayName}`);
      button.addEventListener("click", () => this.#onWatch(row));
      name.append(button);
    } else {
      const span = cell("span", row.displayName);
      span.title = "No terminal open right now";
      name.append(span);
    }
    const reason = stuckText(row, state);
    if (reason !== "") {
      const badge = cell("span", reason);
      badge.className = "grid__stuck";
      name.append(badge);
    }
    const current = row.current === null ? undefined : columns[row.current];
    const time = cell("td", "");
    time.dataset.timeOnStep = "";
    const ms = timeOnStep(row, state, localNow);
    time.textContent = ms === null ? "—" : formatDuration(ms);
    tr.append(
      name,
      cell("td", `${row.done} / ${columns.length}`),
      currentCell(current),
      time,
      cell("td", String(row.failedChecks)),
    );
    row.cells.forEach((c, i) => {
      const td = cell("td", CELL_SYMBOL[c.state]);
      td.className = `grid__cell grid__cell--${c.state}`;
      const column = columns[i];
      const failures = c.failedChecks > 0 ? `, ${c.failedChecks} failed checks` : "";
      td.title = `${column?.title ?? ""}: ${CELL_WORDS[c.state]}${failures}`;
      if (c.failedChecks > 0) {
        const sup = cell("sup", String(c.failedChecks));
        td.append(sup);
      }
      tr.append(td);
    });
    return tr;
  }
}

function currentCell(column: GridColumn | undefined): HTMLTableCellElement {
  if (column === undefined) return cell("td", "All done");
  const td = cell("td", column.title);
  td.title = `${column.lessonTitle}: ${column.title}`;
  return td;
}

function cell<K extends keyof HTMLElementTagNameMap>(tag: K, text: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.textContent = text;
  return element;
}
