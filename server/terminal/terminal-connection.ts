// One browser socket attached to one session: replays output from the offset the browser
// asks for, streams live output, forwards keystrokes and resizes, and applies backpressure.
import type { WebSocket } from "ws";
import type { Logger } from "../log/logger.ts";
import type { Session, SessionEnd } from "../sessions/session.ts";
import { clientMessageSchema, type ClientMessage, type ServerMessage } from "./protocol.ts";

export interface TerminalConnectionOptions {
  ws: WebSocket;
  session: Session;
  highWaterMarkBytes: number;
  logger: Logger;
}

// Replay is sent in pieces so one resume cannot build a single multi-megabyte frame.
const REPLAY_CHUNK_UNITS = 16 * 1024;
// How often to look at the socket's send buffer while the shell is paused for backpressure.
const DRAIN_POLL_MS = 20;

export const CLOSE_REPLACED = 4000;

export class TerminalConnection {
  readonly session: Session;
  #ws: WebSocket;
  #logger: Logger;
  #highWaterMark: number;
  #unsubscribe: (() => void)[] = [];
  #resumed = false;
  /** Offset just past the last output sent on this socket: nothing before it is sent again. */
  #sentUpTo = 0;
  #paused = false;
  #drainTimer: ReturnType<typeof setInterval> | undefined;
  #detached = false;

  constructor(options: TerminalConnectionOptions) {
    this.#ws = options.ws;
    this.session = options.session;
    this.#highWaterMark = options.highWaterMarkBytes;
    this.#logger = options.logger;
  }

  /** Attaches to the session, tells the browser where it stands and starts the sandbox. */
  open(): void {
    const session = this.session;
    session.attach();
    this.#unsubscribe.push(
      session.onStatus((status) => this.#send(status)),
      session.onOutput((offset, data) => this.#onOutput(offset, data)),
      session.onEnd((end) => this.#onSessionEnd(end)),
      session.onWatchers((count) => this.#send({ type: "watchers", count })),
    );
    this.#ws.on("message", (raw, isBinary) => this.#onMessage(raw, isBinary));
    this.#ws.on("close", () => this.#detach());
    this.#ws.on("error", (error) => this.#logger.debug("socket error", { error }));
    if (session.ended) return;
    this.#send(session.status());
    if (session.watchers > 0) this.#send({ type: "watchers", count: session.watchers });
    session.start().catch((error: unknown) => this.#logger.error("session start failed", { error }));
  }

  /** Closes the socket without touching the session (replacement, shutdown). */
  close(code: number, reason: string): void {
    this.#detach();
    if (this.#ws.readyState === this.#ws.OPEN || this.#ws.readyState === this.#ws.CONNECTING) {
      this.#ws.close(code, reason);
    }
  }

  #onMessage(raw: unknown, isBinary: boolean): void {
    if (isBinary) {
      this.#refuse("Binary frames are not part of the terminal protocol: send JSON text frames.");
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(String(raw));
    } catch {
      this.#refuse("The message is not valid JSON: send one JSON object per text frame.");
      return;
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const type = json && typeof json === "object" && "type" in json ? String((json as { type: unknown }).type) : undefined;
      const issue = parsed.error.issues[0];
      const detail = issue ? `${issue.path.join(".") || "message"}: ${issue.message}` : "invalid";
      this.#refuse(
        type === undefined || !["data", "resize", "resume"].includes(type)
          ? `Unknown message type ${JSON.stringify(type ?? null)}: expected "data", "resize" or "resume".`
          : `Invalid "${type}" message (${detail}).`,
      );
      return;
    }
    this.#handle(parsed.data);
  }

  #handle(message: ClientMessage): void {
    switch (message.type) {
      case "resume":
        this.#resume(message.offset);
        return;
      case "data":
        this.session.write(message.data);
        return;
      case "resize":
        this.session.resize(message.cols, message.rows);
        return;
    }
  }

  // Replay and subscription happen in one synchronous step, so output produced meanwhile
  // is either in the replay or arrives later through #onOutput: no gap, no duplicate.
  #resume(offset: number): void {
    const slice = this.session.output.readFrom(offset);
    this.#resumed = true;
    let data = slice.data;
    let start = slice.offset;
    if (slice.dropped > 0) {
      // The notice stands in for the tail of the dropped output, so its offset ends exactly
      // where the kept output begins and the browser's offset count stays right.
      const notice = `\r\n\x1b[2m[${slice.dropped} characters of earlier output are no longer kept]\x1b[0m\r\n`;
      if (notice.length <= start) {
        data = notice + data;
        start -= notice.length;
      }
    }
    this.#sentUpTo = start;
    while (data.length > 0) {
      let size = Math.min(REPLAY_CHUNK_UNITS, data.length);
      const last = data.charCodeAt(size - 1);
      if (size < data.length && last >= 0xd800 && last <= 0xdbff) size -= 1;
      this.#sendOutput(start, data.slice(0, size));
      start += size;
      data = data.slice(size);
    }
    this.#sentUpTo = Math.max(this.#sentUpTo, slice.offset + slice.data.length);
  }

  #onOutput(offset: number, data: string): void {
    if (!this.#resumed) return;
    const end = offset + data.length;
    if (end <= this.#sentUpTo) return;
    const skip = Math.max(0, this.#sentUpTo - offset);
    this.#sendOutput(offset + skip, skip > 0 ? data.slice(skip) : data);
  }

  #sendOutput(offset: number, data: string): void {
    this.#send({ type: "data", data, offset });
    this.#sentUpTo = offset + data.length;
    this.#applyBackpressure();
  }

  #applyBackpressure(): void {
    if (this.#paused || this.#ws.bufferedAmount <= this.#highWaterMark) return;
    this.#paused = true;
    this.session.pause();
    this.#logger.debug("backpressure: shell paused", { buffered: this.#ws.bufferedAmount });
    this.#drainTimer = setInterval(() => this.#checkDrained(), DRAIN_POLL_MS);
    this.#drainTimer.unref();
  }

  #checkDrained(): void {
    // Resume at half the mark, not at the mark, so the shell does not flap on every frame.
    if (this.#ws.readyState === this.#ws.OPEN && this.#ws.bufferedAmount > this.#highWaterMark / 2) return;
    this.#releaseBackpressure();
  }

  #releaseBackpressure(): void {
    if (this.#drainTimer) clearInterval(this.#drainTimer);
    this.#drainTimer = undefined;
    if (!this.#paused) return;
    this.#paused = false;
    this.session.resume();
  }

  #onSessionEnd(end: SessionEnd): void {
    if (end.code !== null) {
      this.#send({ type: "exit", code: end.code, reason: end.reason });
      this.close(1000, "shell exited");
    } else if (this.session.state === "error") {
      this.close(1011, "sandbox failed");
    } else {
      this.close(1000, "session ended");
    }
  }

  #refuse(message: string): void {
    this.#send({ type: "status", state: "error", message });
  }

  #send(message: ServerMessage): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(JSON.stringify(message));
  }

  #detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#releaseBackpressure();
    this.session.detach();
  }
}
