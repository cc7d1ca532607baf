// Pings every WebSocket of a server at an interval. A socket that has not answered the
// previous ping is gone (sleeping laptop, dropped network) and is terminated, so whatever it
// held (a session's attachment, a dashboard subscription) is let go.
import type { WebSocket, WebSocketServer } from "ws";

export class SocketHeartbeat {
  readonly #alive = new WeakSet<WebSocket>();
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(wss: WebSocketServer, intervalMs: number) {
    this.#timer = setInterval(() => {
      for (const ws of wss.clients) {
        if (!this.#alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.#alive.delete(ws);
        ws.ping();
      }
    }, intervalMs);
    this.#timer.unref();
  }

  /** Counts `ws` alive now and whenever it answers a ping. */
  watch(ws: WebSocket): void {
    this.#alive.add(ws);
    ws.on("pong", () => this.#alive.add(ws));
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
