// The terminal WebSocket protocol: one JSON object per text frame.
// The browser imports the types from here (type-only); the server parses with the schemas.
// Offsets count UTF-16 code units of terminal output since the session started, so the
// browser can resume exactly where it stopped: no gap, no duplicate.
import { z } from "zod";

const dataFromClient = z.object({
  type: z.literal("data"),
  data: z.string(),
});

const resize = z.object({
  type: z.literal("resize"),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});

const resume = z.object({
  type: z.literal("resume"),
  offset: z.number().int().min(0),
});

export const clientMessageSchema = z.discriminatedUnion("type", [dataFromClient, resize, resume]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

/**
 * Output from the session, starting at `offset`. When a resume asks for output the server
 * no longer keeps, the first reply begins with a short notice line standing in for the
 * dropped part: its `offset` is set so that `offset + data.length` is still exact.
 */
export type DataMessage = { type: "data"; data: string; offset: number };

export type SessionState = "starting" | "ready" | "ended" | "error";

/**
 * Where the session is. `progress` (0..1) accompanies "starting";
 * "error" reports a refused client message and the session goes on.
 */
export type StatusMessage = {
  type: "status";
  state: SessionState;
  message?: string;
  progress?: number;
};

/** The shell finished; no more output will come. */
export type ExitMessage = { type: "exit"; code: number; reason?: string };

/**
 * How many instructors are watching this terminal (read-only) from their dashboard; sent when
 * it changes and on connect while it is above zero. The page tells the learner.
 */
export type WatchersMessage = { type: "watchers"; count: number };

export type ServerMessage = DataMessage | StatusMessage | ExitMessage | WatchersMessage;

export type ClientMessageType = ClientMessage["type"];

/** Subprotocols: the first names the protocol, the second carries the session token. */
export const TERMINAL_SUBPROTOCOL = "mesh-academy.terminal.v1";
export const TOKEN_SUBPROTOCOL_PREFIX = "token.";

export function terminalPath(sessionId: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}/terminal`;
}
