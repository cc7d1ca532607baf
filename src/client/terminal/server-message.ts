// Incoming frames are checked by hand rather than with zod: the browser bundle stays small,
// and anything unexpected (a newer server's message, a heartbeat) is ignored, not fatal.
import type { ServerMessage, SessionState } from "../../../server/terminal/protocol.ts";

const SESSION_STATES: ReadonlySet<string> = new Set<SessionState>(["starting", "ready", "ended", "error"]);

function isOffset(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** The message a text frame carries, or null when it is not one this client understands. */
export function parseServerMessage(frame: string): ServerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case "data":
      if (typeof message.data !== "string" || !isOffset(message.offset)) return null;
      return { type: "data", data: message.data, offset: message.offset };
    case "status": {
      if (typeof message.state !== "string" || !SESSION_STATES.has(message.state)) return null;
      const status: ServerMessage = { type: "status", state: message.state as SessionState };
      if (typeof message.message === "string") status.message = message.message;
      if (typeof message.progress === "number" && Number.isFinite(message.progress)) {
        status.progress = Math.min(Math.max(message.progress, 0), 1);
      }
      return status;
    }
    case "exit": {
      if (typeof message.code !== "number" || !Number.isInteger(message.code)) return null;
      const exit: ServerMessage = { type: "exit", code: message.code };
      if (typeof message.reason === "string") exit.reason = message.reason;
      return exit;
    }
    case "watchers":
      if (!isOffset(message.count)) return null;
      return { type: "watchers", count: message.count };
    default:
      return null;
  }
}
