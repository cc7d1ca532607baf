// What the instructor's dashboard receives. The browser imports these types (type-only); the
// server builds them in workshop-grid.ts. Times are milliseconds since the epoch, as the
// server's clock has them: each message carries `serverNow` so the page can count "time on
// the current step" forward without trusting its own clock.

/** One column of the grid: a step of one of the workshop's lessons, in lesson order. */
export interface GridColumn {
  readonly lesson: string;
  readonly lessonTitle: string;
  readonly step: string;
  readonly title: string;
}

export type CellState = "done" | "current" | "todo";

export interface GridCell {
  readonly state: CellState;
  readonly completedAt: number | null;
  readonly spentMs: number | null;
  readonly failedChecks: number;
}

export type StuckReason = "time" | "failures";

export interface GridRow {
  /** Stands for the learner on the dashboard (a digest of their id, never the id itself). */
  readonly key: string;
  /** As the learner typed it: shown with textContent only. */
  readonly displayName: string;
  readonly joinedAt: number;
  readonly done: number;
  /** Index into the columns of the step in front of the learner; null once all are done. */
  readonly current: number | null;
  /** Since when the current step has been in front of them. */
  readonly currentSince: number | null;
  readonly failedChecks: number;
  readonly failedOnCurrent: number;
  /** Empty unless the learner looks stuck, and why. */
  readonly stuck: readonly StuckReason[];
  /** True while the learner has a live terminal the instructor can watch. */
  readonly watchable: boolean;
  readonly cells: readonly GridCell[];
}

export interface StuckRules {
  /** Time on the current step after which a learner counts as stuck. */
  readonly afterMs: number;
  /** Failed check runs on the current step after which a learner counts as stuck. */
  readonly afterFailedChecks: number;
}

export interface Grid {
  readonly workshop: { readonly id: string; readonly title: string; readonly lessons: readonly string[] };
  readonly columns: readonly GridColumn[];
  readonly rows: readonly GridRow[];
  readonly rules: StuckRules;
  readonly serverNow: number;
}

/** Server → dashboard, one JSON object per text frame. */
export type DashboardMessage =
  | { type: "grid"; grid: Grid }
  | { type: "row"; row: GridRow; serverNow: number }
  | { type: "error"; message: string };

/** Dashboard → server: the only thing the page may say on the live socket. */
export type DashboardClientMessage = { type: "rules"; afterMs: number; afterFailedChecks: number };

/** Server → watching instructor, on the read-only terminal socket. */
export type WatchMessage =
  | { type: "data"; data: string; offset: number }
  /** `moved`: the learner's page attached to another terminal; reconnect to follow it. */
  | { type: "status"; state: "watching" | "ended" | "moved"; message?: string };

export const DASHBOARD_SUBPROTOCOL = "mesh-academy.dashboard.v1";
export const WATCH_SUBPROTOCOL = "mesh-academy.watch.v1";
/** The second subprotocol carries the one-time ticket (browsers cannot set headers on WebSocket). */
export const TICKET_SUBPROTOCOL_PREFIX = "ticket.";

export function livePath(workshopId: string): string {
  return `/api/workshops/${encodeURIComponent(workshopId)}/live`;
}

export function watchPath(workshopId: string, learnerKey: string): string {
  return `/api/workshops/${encodeURIComponent(workshopId)}/learners/${encodeURIComponent(learnerKey)}/terminal`;
}
