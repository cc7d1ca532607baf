// A terminal client for the server's own tests: a real `ws` socket that records every
// message and close, with helpers to wait for a particular message.
import { WebSocket, type RawData } from "ws";
import type { ServerMessage } from "./protocol.ts";
import { TERMINAL_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, terminalPath } from "./protocol.ts";

export interface ConnectOptions {
  /** Defaults to the server's own origin. */
  origin?: string | null;
  protocols?: string[];
}

export type Refused = { refused: number; body: string };

export class TerminalTestClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (raw: RawData) => {
      const message = JSON.parse(String(raw)) as ServerMessage;
      this.messages.push(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.predicate(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on("error", () => {});
  }

  /** Opens a terminal socket; resolves to the client, or to the HTTP status of a refusal. */
  static connect(baseUrl: string, sessionId: string, token: string, options: ConnectOptions = {}): Promise<TerminalTestClient | Refused> {
    const url = new URL(terminalPath(sessionId), baseUrl);
    url.protocol = "ws:";
    const origin = options.origin === undefined ? baseUrl : options.origin;
    const ws = new WebSocket(url, options.protocols ?? [TERMINAL_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`], {
      ...(origin === null ? {} : { origin }),
    });
    return new Promise((resolve, reject) => {
      const client = new TerminalTestClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += String(chunk)));
        res.on("end", () => resolve({ refused: res.statusCode ?? 0, body }));
      });
      ws.once("error", reject);
    });
  }

  static async open(baseUrl: string, sessionId: string, token: string, options?: ConnectOptions): Promise<TerminalTestClient> {
    const result = await TerminalTestClient.connect(baseUrl, sessionId, token, options);
    if ("refused" in result) throw new Error(`terminal refused with HTTP ${result.refused}: ${result.body}`);
    return result;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The first message (already received or still to come) matching `predicate`. */
  next(predicate: (m: ServerMessage) => boolean, after = 0): Promise<ServerMessage> {
    const seen = this.messages.slice(after).find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }

  /** All output received so far, checked to be contiguous from `from`. */
  output(from = 0): { text: string; end: number } {
    let end = from;
    let text = "";
    for (const m of this.messages) {
      if (m.type !== "data") continue;
      if (m.offset !== end) throw new Error(`output not contiguous: expected offset ${end}, got ${m.offset}`);
      text += m.data;
      end += m.data.length;
    }
    return { text, end };
  }

  /**
   * Resolves once the server has handled everything sent before: it answers messages in
   * order, and an empty object always earns an error status.
   */
  async barrier(): Promise<void> {
    const before = this.messages.length;
    this.send({});
    await this.next((m) => m.type === "status" && m.state === "error", before);
  }

  async waitForOutput(length: number, from = 0): Promise<string> {
    while (this.output(from).end < from + length) {
      await this.next(() => true, this.messages.length);
    }
    return this.output(from).text;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
