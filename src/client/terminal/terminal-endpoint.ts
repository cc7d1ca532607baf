// Where the terminal lives on the server. Browser code may only `import type` from the server,
// so the values are repeated here; their types are the server's literal types, so a change
// on one side that is not made on the other fails the type check.
import type * as protocol from "../../../server/terminal/protocol.ts";

export const TERMINAL_SUBPROTOCOL: typeof protocol.TERMINAL_SUBPROTOCOL = "mesh-academy.terminal.v1";
export const TOKEN_SUBPROTOCOL_PREFIX: typeof protocol.TOKEN_SUBPROTOCOL_PREFIX = "token.";

export const SESSIONS_PATH = "/api/sessions";

export function sessionPath(sessionId: string): string {
  return `${SESSIONS_PATH}/${encodeURIComponent(sessionId)}`;
}

export const terminalPath: typeof protocol.terminalPath = (sessionId) => `${sessionPath(sessionId)}/terminal`;

/** The WebSocket address of a session's terminal: same origin, ws: or wss: like the page. */
export function terminalUrl(pageUrl: string, sessionId: string): string {
  const url = new URL(terminalPath(sessionId), pageUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** The subprotocols offered on connect: the protocol name, then the session token. */
export function terminalSubprotocols(token: string): string[] {
  return [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}
