// An instructor watching a learner's terminal: the session's kept output, then live output,
// on a socket that has no way in. Nothing the watcher sends reaches the session (any frame
// closes the socket with 1008), and a watcher that cannot keep up is cut off rather than
// slowing the learner's shell down: the learner's terminal never waits for a watcher.
import type { WebSocket } from "ws";
import type { Logger } from "../log/logger.ts";
import type { Session } from "../sessions/session.ts";
import type { WatchMessage } from "./dashboard-protocol.ts";

export interface WatchOptions {
  ws: WebSocket;
  session: Session;
  /** Bytes queued on the socket beyond which the watcher is dropped; default 1 MiB. */
  maxBufferedBytes?: number;
  logger?: Logger;
}

/** Close codes the watcher may see. */
export const WATCH_CLOSE_READ_ONLY = 1008;
export const WATCH_CLOSE_TOO_SLOW = 1013;

// Replay goes out in pieces, so a full buffer never becomes one huge frame.
const REPLAY_CHUNK_UNITS = 16 * 1024;

/** Starts streaming `session` to `ws`; returns a function that stops (also called on close). */
export function watchTerminal(options: WatchOptions): () => void {
  const { ws, session } = options;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const cleanups: (() => void)[] = [];
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  const send = (message: WatchMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(JSON.stringify(message));
    if (ws.bufferedAmount > maxBuffered) {
      options.logger?.info("watcher too slow, dropped", { buffered: ws.bufferedAmount });
      stop();
      ws.close(WATCH_CLOSE_TOO_SLOW, "too slow to follow the terminal");
    }
  };

  ws.on("message", () => {
    stop();
    ws.close(WATCH_CLOSE_READ_ONLY, "watching is read-only");
  });
  ws.on("close", stop);
  ws.on("error", (error) => options.logger?.debug("watch socket error", { error }));

  if (session.ended) {
    send({ type: "status", state: "ended", message: "This terminal has ended." });
    ws.close(1000, "session ended");
    return stop;
  }
  cleanups.push(session.addWatcher());
  send({ type: "status", state: "watching" });
  // Replay and subscription in one synchronous step: nothing is missed or sent twice.
  const slice = session.output.readFrom(0);
  let sentUpTo = slice.offset;
  for (let at = 0; at < slice.data.length && !stopped; ) {
    let size = Math.min(REPLAY_CHUNK_UNITS, slice.data.length - at);
    const last = slice.data.charCodeAt(at + size - 1);
    if (at + size < slice.data.length && last >= 0xd800 && last <= 0xdbff) size -= 1;
    send({ type: "data", data: slice.data.slice(at, at + size), offset: slice.offset + at });
    at += size;
  }
  sentUpTo = slice.offset + slice.data.length;
  cleanups.push(
    session.onOutput((offset, data) => {
      const end = offset + data.length;
      if (end <= sentUpTo) return;
      const skip = Math.max(0, sentUpTo - offset);
      send({ type: "data", data: skip > 0 ? data.slice(skip) : data, offset: offset + skip });
      sentUpTo = end;
    }),
    session.onEnd(() => {
      send({ type: "status", state: "ended", message: "The learner's session has ended." });
      stop();
      ws.close(1000, "session ended");
    }),
  );
  return stop;
}
