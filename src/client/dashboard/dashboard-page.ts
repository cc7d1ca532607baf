// /admin/workshop/?id=…: the live grid of one workshop, its stuck rules, exports, and the
// read-only terminal of the learner the instructor clicked.
import type { DashboardMessage, StuckRules } from "../../../server/dashboard/dashboard-protocol.ts";
import { AdminClient } from "./admin-client.ts";
import { AdminTokenStore } from "./admin-token-store.ts";
import { LiveGrid, type LiveState } from "./dashboard-sockets.ts";
import { applyRow, gridState, type GridState } from "./grid-state.ts";
import { GridTable } from "./grid-table.ts";
import { WatchPanel, type WatchPanelParts } from "./watch-panel.ts";

export interface DashboardPageParts {
  title: HTMLElement;
  liveStatus: HTMLElement;
  rulesForm: HTMLFormElement;
  exportCsv: HTMLButtonElement;
  exportJson: HTMLButtonElement;
  exportStatus: HTMLElement;
  table: HTMLTableElement;
  summary: HTMLElement;
  watch: WatchPanelParts;
}

const RULES_KEY = "mesh-academy:dashboard-rules";
const LIVE_WORDS: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  refused: "Not allowed",
};

export function setUpDashboardPage(parts: DashboardPageParts, store = new AdminTokenStore()): void {
  const workshopId = new URLSearchParams(window.location.search).get("id") ?? "";
  const token = store.get();
  if (token === null || workshopId === "") {
    parts.liveStatus.textContent = token === null ? "Enter the instructor token on the admin page first." : "No workshop was chosen.";
    return;
  }
  const client = new AdminClient(token);
  // Rules the instructor chose on this browser; until then the server's (STUCK_AFTER_*), which
  // the first grid brings.
  let rules = loadRules();
  if (rules !== undefined) writeRules(parts.rulesForm, rules);
  let state: GridState | undefined;
  const watch = new WatchPanel(parts.watch, client, workshopId);
  const table = new GridTable({ table: parts.table, onWatch: (row) => void watch.watch(row) });
  const summarise = (): void => {
    if (state === undefined) return;
    const rows = state.grid.rows;
    const stuck = rows.filter((r) => r.stuck.length > 0).length;
    const finished = rows.filter((r) => r.current === null).length;
    parts.summary.textContent = `${rows.length} learners, ${finished} finished, ${stuck} stuck.`;
  };

  const onMessage = (message: DashboardMessage): void => {
    const now = Date.now();
    if (message.type === "grid") {
      state = gridState(message.grid, now);
      if (rules === undefined) writeRules(parts.rulesForm, message.grid.rules);
      parts.title.textContent = message.grid.workshop.title;
      document.title = `${message.grid.workshop.title} · Dashboard · Mesh Academy`;
      table.render(state, now);
    } else if (message.type === "row" && state !== undefined) {
      state = applyRow(state, message.row, message.serverNow, now);
      table.update(state, message.row, now);
    } else if (message.type === "error") {
      parts.liveStatus.textContent = message.message;
      return;
    }
    summarise();
  };
  const live = new LiveGrid({
    client,
    workshopId,
    pageUrl: window.location.href,
    rules: () => rules,
    onMessage,
    onState: (liveState, detail) => {
      parts.liveStatus.dataset.state = liveState;
      parts.liveStatus.textContent = detail === undefined ? LIVE_WORDS[liveState] : `${LIVE_WORDS[liveState]}: ${detail}`;
    },
  });
  live.start();
  const ticker = setInterval(() => table.tick(Date.now()), 1000);
  window.addEventListener("pagehide", () => {
    clearInterval(ticker);
    live.stop();
    watch.stop();
  });

  parts.rulesForm.addEventListener("change", () => {
    const next = readRules(parts.rulesForm);
    if (next === undefined) return;
    rules = next;
    saveRules(rules);
    live.sendRules(rules);
  });
  parts.rulesForm.addEventListener("submit", (event) => event.preventDefault());

  const download = (format: "csv" | "json"): void => {
    parts.exportStatus.textContent = "Preparing the file…";
    client.exportFile(workshopId, format, rules).then(
      ({ blob, fileName }) => {
        const url = URL.createObjectURL(blob);
        const a = document.createElement("a");
        a.href = url;
        a.download = fileName;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        parts.exportStatus.textContent = `Saved ${fileName}.`;
      },
      (error: unknown) => {
        parts.exportStatus.textContent = error instanceof Error ? error.message : "The export failed.";
      },
    );
  };
  parts.exportCsv.addEventListener("click", () => download("csv"));
  parts.exportJson.addEventListener("click", () => download("json"));
}

function readRules(form: HTMLFormElement): StuckRules | undefined {
  const data = new FormData(form);
  const minutes = Number(data.get("stuckAfterMinutes"));
  const failures = Number(data.get("stuckAfterFailedChecks"));
  if (!Number.isFinite(minutes) || minutes < 1 || !Number.isInteger(failures) || failures < 1) return undefined;
  return { afterMs: Math.round(minutes * 60_000), afterFailedChecks: failures };
}

function writeRules(form: HTMLFormElement, rules: StuckRules): void {
  const minutes = form.elements.namedItem("stuckAfterMinutes");
  const failures = form.elements.namedItem("stuckAfterFailedChecks");
  if (minutes instanceof HTMLInputElement) minutes.value = String(rules.afterMs / 60_000);
  if (failures instanceof HTMLInputElement) failures.value = String(rules.afterFailedChecks);
}

function loadRules(): StuckRules | undefined {
  try {
    const saved = JSON.parse(window.localStorage.getItem(RULES_KEY) ?? "null") as Partial<StuckRules> | null;
    if (saved && typeof saved.afterMs === "number" && typeof saved.afterFailedChecks === "number") {
      return { afterMs: saved.afterMs, afterFailedChecks: saved.afterFailedChecks };
    }
  } catch {
    // Unreadable or blocked: the server's rules.
  }
  return undefined;
}

function saveRules(rules: StuckRules): void {
  try {
    window.localStorage.setItem(RULES_KEY, JSON.stringify(rules));
  } catch {
    // Kept for this page only.
  }
}
