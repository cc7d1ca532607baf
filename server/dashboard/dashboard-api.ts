// The dashboard's HTTP side, mounted in front of the workshops API (all instructor-only,
// Authorization: Bearer <ADMIN_TOKEN>):
//
//   POST /api/workshops/:id/tickets      → 201 {ticket, expiresInMs}
//        a one-time ticket for the live grid or a terminal-watch WebSocket (dashboard-tickets.ts)
//   GET  /api/workshops/:id/grid         → 200 {grid}   the grid now (dashboard-protocol.ts)
//   GET  /api/workshops/:id/export.csv   → 200 text/csv, attachment
//   GET  /api/workshops/:id/export.json  → 200 application/json, attachment
//
// Optional query on grid and exports: stuckAfterMinutes, stuckAfterFailedChecks.
// Errors: ADMIN_TOKEN_REQUIRED 401, ADMIN_NOT_CONFIGURED 403, ORIGIN_FORBIDDEN 403,
// WORKSHOP_NOT_FOUND 404, METHOD_NOT_ALLOWED 405.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, sendJsonError } from "../http/json-response.ts";
import { isOriginAllowed } from "../http/origin-policy.ts";
import type { AdminToken } from "./admin-token.ts";
import type { StuckRules } from "./dashboard-protocol.ts";
import type { DashboardTickets } from "./dashboard-tickets.ts";
import { DashboardError, type DashboardHub } from "./dashboard-hub.ts";
import { gridToCsv, gridToJson } from "./grid-export.ts";
import { STUCK_RULE_LIMITS } from "./stuck-rules.ts";

export interface DashboardApiOptions {
  hub: DashboardHub;
  tickets: DashboardTickets;
  admin: AdminToken;
  allowedOrigins: readonly string[];
  headersFor?: (req: IncomingMessage) => Record<string, string>;
}

export type DashboardApiHandler = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

const ROUTE = /^\/api\/workshops\/([A-Za-z0-9_-]{1,64})\/(tickets|grid|export\.csv|export\.json)$/;

export function createDashboardApi(options: DashboardApiOptions): DashboardApiHandler {
  return async (req, res, pathname) => {
    const match = ROUTE.exec(pathname);
    if (match === null) return false;
    const [, workshopId = "", action = ""] = match;
    const headers = { ...(options.headersFor?.(req) ?? {}), "Cache-Control": "no-store" };
    const fail = (status: number, code: string, message: string, extra: Record<string, string> = {}): true => {
      sendJsonError(res, status, code, message, { ...headers, ...extra });
      return true;
    };
    const origin = req.headers.origin;
    if (origin !== undefined && !isOriginAllowed(origin, req.headers.host, options.allowedOrigins)) {
      return fail(403, "ORIGIN_FORBIDDEN", "This origin may not use the dashboard API of this server.");
    }
    const verdict = options.admin.check(req.headers);
    if (verdict === "not-configured") return fail(403, "ADMIN_NOT_CONFIGURED", "Set ADMIN_TOKEN on the server to manage workshops.");
    if (verdict === "missing") {
      return fail(401, "ADMIN_TOKEN_REQUIRED", "Send the instructor's token as Authorization: Bearer <ADMIN_TOKEN>.", { "WWW-Authenticate": "Bearer" });
    }
    const expected = action === "tickets" ? "POST" : "GET";
    if (req.method !== expected) return fail(405, "METHOD_NOT_ALLOWED", `Use ${expected}.`, { Allow: expected });
    try {
      if (action === "tickets") {
        // The grid read proves the workshop exists before a ticket is handed out for it.
        await options.hub.grid(workshopId);
        sendJson(res, 201, { ticket: options.tickets.issue(workshopId), expiresInMs: options.tickets.ttlMs }, headers);
        return true;
      }
      const grid = await options.hub.grid(workshopId, rulesFrom(req, options.hub.rules));
      if (action === "grid") {
        sendJson(res, 200, { grid }, headers);
        return true;
      }
      const file = action === "export.csv" ? gridToCsv(grid) : gridToJson(grid);
      res.writeHead(200, {
        ...headers,
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.fileName}"`,
        "Content-Length": Buffer.byteLength(file.body),
      });
      res.end(file.body);
      return true;
    } catch (error) {
      if (error instanceof DashboardError) return fail(error.status, error.code, error.message);
      throw error;
    }
  };
}

/** Stuck rules from the query string, each clamped to its limits; the defaults otherwise. */
export function rulesFrom(req: IncomingMessage, defaults: StuckRules): StuckRules {
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  const minutes = Number(query.get("stuckAfterMinutes") ?? Number.NaN);
  const failures = Number(query.get("stuckAfterFailedChecks") ?? Number.NaN);
  return clampRules({
    afterMs: Number.isFinite(minutes) ? minutes * 60_000 : defaults.afterMs,
    afterFailedChecks: Number.isFinite(failures) ? failures : defaults.afterFailedChecks,
  });
}

export function clampRules(rules: StuckRules): StuckRules {
  const { minMs, maxMs, minFailures, maxFailures } = STUCK_RULE_LIMITS;
  return {
    afterMs: Math.round(Math.min(maxMs, Math.max(minMs, rules.afterMs))),
    afterFailedChecks: Math.round(Math.min(maxFailures, Math.max(minFailures, rules.afterFailedChecks))),
  };
}
