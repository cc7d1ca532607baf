// The transport between a TerminalView and the learner's session on the server: creates or
// resumes the session, keeps one WebSocket open, resumes output from the exact offset after
// every reconnect, and tells the UI where it stands. It knows nothing of xterm.js.
import type { ClientMessage, ServerMessage } from "../../../server/terminal/protocol.ts";
import { backoffDelay } from "./backoff.ts";
import { commandKeystrokes } from "./command-keystrokes.ts";
import { acceptOutput } from "./output-cursor.ts";
import { parseServerMessage } from "./server-message.ts";
import { parseStoredSession, SessionStore, type KeyValueStorage, type StoredSession } from "./session-store.ts";
import { SESSIONS_PATH, sessionPath, terminalSubprotocols, terminalUrl } from "./terminal-endpoint.ts";
import type { TerminalView } from "./terminal-view.ts";

export type ConnectionState =
  /** Creating the session or opening the first socket. */
  | "connecting"
  | "connected"
  /** The socket dropped; retrying with backoff while the session may still be alive. */
  | "reconnecting"
  /** The session is over (ended, exited, unknown to the server, or refused): only a new one helps. */
  | "ended"
  /** Another tab opened this same session and took the socket over (close code 4000). */
  | "taken-over";

export type EndReason = "session-ended" | "exited" | "refused";

export interface ConnectionSnapshot {
  state: ConnectionState;
  /** Sandbox start-up progress, 0..1, while the server reports "starting"; otherwise null. */
  progress: number | null;
  /** What to tell the learner about the current state, or the latest notice from the server. */
  message: string | null;
  endReason: EndReason | null;
  sessionId: string | null;
  /** How many instructors watch this terminal from their dashboard (read-only); 0 when unknown. */
  watchers: number;
}

/** Arms a timer; the returned function cancels it. */
export type Schedule = (callback: () => void, delayMs: number) => () => void;

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type SocketFactory = (url: string, protocols: string[]) => WebSocket;

export interface TerminalConnectionOptions {
  view: TerminalView;
  /** The page's address: the API and the socket are on its origin. */
  pageUrl: string;
  /** Where `{id, token}` is kept across reloads (sessionStorage in the page); null for nowhere. */
  storage?: KeyValueStorage | null;
  /** The lesson's starting state, asked for when a new session is created (e.g. "istio"). */
  start?: string;
  fetch?: FetchLike;
  createSocket?: SocketFactory;
  schedule?: Schedule;
  /** In [0, 1), for backoff jitter. */
  random?: () => number;
  /** Run commands kept while not connected; older ones beyond this are dropped. */
  maxQueuedCommands?: number;
  /**
   * After a socket opens, how long to wait for the server's first word before sending queued
   * commands, so they are not typed into a sandbox that is about to report "starting".
   */
  inputGraceMs?: number;
}

/** The server sends this close code when another tab opened the same session. */
export const TAKEN_OVER_CLOSE_CODE = 4000;

const SOCKET_OPEN = 1;
const NORMAL_CLOSURE = 1000;

const SEPARATOR = "\r\n\x1b[0m\x1b[2m──────── new session ────────\x1b[0m\r\n";

const defaultSchedule: Schedule = (callback, delayMs) => {
  const handle = setTimeout(callback, delayMs);
  return () => clearTimeout(handle);
};

async function errorMessage(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json();
    const error = (body as { error?: { message?: unknown } } | null)?.error;
    return typeof error?.message === "string" ? error.message : null;
  } catch {
    return null;
  }
}

export class TerminalConnection {
  readonly #view: TerminalView;
  readonly #pageUrl: string;
  readonly #start: string | undefined;
  readonly #store: SessionStore;
  readonly #fetch: FetchLike;
  readonly #createSocket: SocketFactory;
  readonly #schedule: Schedule;
  readonly #random: () => number;
  readonly #maxQueued: number;
  readonly #inputGraceMs: number;

  readonly #listeners = new Set<(snapshot: ConnectionSnapshot) => void>();
  readonly #unsubscribeView: Array<() => void> = [];

  #sandboxReady = false;
  #snapshot: ConnectionSnapshot = { state: "connecting", progress: null, message: null, endReason: null, sessionId: null, watchers: 0 };
  #session: StoredSession | null = null;
  #socket: WebSocket | null = null;
  /** UTF-16 code units of output written to the view for the current session. */
  #written = 0;
  #attempt = 0;
  /** The socket has delivered a message since it opened: the connection is healthy. */
  #heardFromSocket = false;
  /** Queued commands may be typed: the server has spoken and the sandbox is not starting. */
  #inputOpen = false;
  /** The server's last error notice on this socket: it explains a close that follows it. */
  #lastServerError: string | null = null;
  #queue: string[] = [];
  #cancelTimer: (() => void) | null = null;
  #cancelGrace: (() => void) | null = null;
  #pendingRetry: (() => void) | null = null;
  /** Bumped whenever in-flight requests and sockets stop mattering (new session, dispose). */
  #epoch = 0;
  #started = false;
  #disposed = false;

  constructor(options: TerminalConnectionOptions) {
    this.#view = options.view;
    this.#pageUrl = options.pageUrl;
    this.#start = options.start;
    this.#store = new SessionStore(options.storage ?? null);
    // Wrapped so the browser's fetch is never called with a foreign `this` ("Illegal invocation").
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#createSocket = options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
    this.#schedule = options.schedule ?? defaultSchedule;
    this.#random = options.random ?? Math.random;
    this.#maxQueued = options.maxQueuedCommands ?? 20;
    this.#inputGraceMs = options.inputGraceMs ?? 500;

    this.#unsubscribeView.push(
      this.#view.onData((data) => {
        // Keystrokes typed while disconnected are dropped, as in any remote shell: replaying
        // them later into a shell in an unknown state would be worse.
        if (this.#snapshot.state === "connected") this.#send({ type: "data", data });
      }),
      this.#view.onResize(({ cols, rows }) => {
        if (this.#snapshot.state === "connected") this.#send({ type: "resize", cols, rows });
      }),
    );
  }

  snapshot(): ConnectionSnapshot {
    return { ...this.#snapshot };
  }

  /** The session this terminal is on (id and token), once it has one. */
  session(): StoredSession | null {
    return this.#session === null ? null : { ...this.#session };
  }

  /** Whether the server last said the session's sandbox is ready (it says so on every attach). */
  sandboxReady(): boolean {
    return this.#sandboxReady;
  }

  /** Listens for every change of the snapshot. Returns a function that removes the listener. */
  onChange(listener: (snapshot: ConnectionSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resumes the session remembered in storage (replaying its output), or creates one. */
  start(): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    const stored = this.#store.load();
    if (stored) {
      this.#session = stored;
      this.#written = 0;
      this.#view.clear();
      this.#update({ state: "connecting", sessionId: stored.id });
      this.#openSocket();
    } else {
      void this.#createSession();
    }
  }

  /** Types `command` into the shell and presses Enter; kept until connected if need be. */
  run(command: string): void {
    const keys = commandKeystrokes(command);
    if (keys === "" || this.#disposed) return;
    this.#view.focus();
    if (this.#canSendInput()) {
      this.#send({ type: "data", data: keys });
      return;
    }
    this.#queue.push(keys);
    if (this.#queue.length > this.#maxQueued) this.#queue.splice(0, this.#queue.length - this.#maxQueued);
  }

  /** Leaves the current session (if any) and starts a fresh one below a separator line. */
  startNewSession(): void {
    if (this.#disposed) return;
    this.#started = true;
    this.#invalidate();
    this.#closeSocket();
    this.#store.clear();
    if (this.#session !== null || this.#written > 0) this.#view.write(SEPARATOR);
    this.#session = null;
    this.#written = 0;
    this.#attempt = 0;
    this.#queue = [];
    void this.#createSession();
  }

  /** After another tab took the session over: take it back to this tab. */
  reconnectHere(): void {
    if (this.#disposed || this.#snapshot.state !== "taken-over" || this.#session === null) return;
    this.#attempt = 0;
    this.#update({ state: "connecting", message: null });
    this.#openSocket();
  }

  /** Skips the backoff wait (the browser came back online, the learner asked). */
  retryNow(): void {
    const retry = this.#pendingRetry;
    if (retry === null) return;
    this.#cancelPending();
    retry();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#invalidate();
    this.#closeSocket();
    for (const unsubscribe of this.#unsubscribeView) unsubscribe();
    this.#listeners.clear();
    this.#queue = [];
  }

  async #createSession(): Promise<void> {
    const epoch = this.#epoch;
    this.#update({ state: "connecting", progress: null, message: null, endReason: null, sessionId: null });
    let response: Response;
    try {
      response = await this.#fetch(new URL(SESSIONS_PATH, this.#pageUrl).href, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify(this.#start === undefined || this.#start === "empty" ? {} : { start: this.#start }),
      });
    } catch {
      if (epoch !== this.#epoch) return;
      this.#update({ message: "Waiting for the server…" });
      this.#retryLater(() => void this.#createSession());
      return;
    }
    if (epoch !== this.#epoch) return;
    if (response.ok) {
      let session: StoredSession | null = null;
      try {
        session = parseStoredSession(await response.json());
      } catch {
        session = null;
      }
      if (epoch !== this.#epoch) return;
      if (session === null) {
        this.#end("refused", "The server answered with an unexpected session. Try again.");
        return;
      }
      this.#session = session;
      this.#store.save(session);
      this.#update({ sessionId: session.id, message: null });
      this.#openSocket();
      return;
    }
    if (response.status >= 500) {
      this.#update({ message: "Waiting for the server…" });
      this.#retryLater(() => void this.#createSession());
      return;
    }
    const message = await errorMessage(response);
    if (epoch !== this.#epoch) return;
    const fallback =
      response.status === 429
        ? "Too many sandboxes are running. Close another tab's session and try again."
        : `The server refused to start a session (HTTP ${response.status}).`;
    this.#end("refused", message ?? fallback);
  }

  #openSocket(): void {
    const session = this.#session;
    if (session === null) return;
    this.#closeSocket();
    this.#heardFromSocket = false;
    this.#inputOpen = false;
    this.#lastServerError = null;
    let socket: WebSocket;
    try {
      socket = this.#createSocket(terminalUrl(this.#pageUrl, session.id), terminalSubprotocols(session.token));
    } catch {
      // A malformed address or a browser refusing the socket: treat like a dropped connection.
      this.#lostConnection();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      // The resume must be the first message: the server replays output from this offset.
      this.#send({ type: "resume", offset: this.#written });
      const { cols, rows } = this.#view.size();
      if (cols > 0 && rows > 0) this.#send({ type: "resize", cols, rows });
      this.#update({ state: "connected", message: null });
      // A resumed session with no new output may stay silent: then type after a short wait.
      this.#cancelGrace = this.#schedule(() => {
        this.#cancelGrace = null;
        if (socket === this.#socket) this.#openInput();
      }, this.#inputGraceMs);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (socket !== this.#socket || typeof event.data !== "string") return;
      const message = parseServerMessage(event.data);
      if (message === null) return;
      if (!this.#heardFromSocket) {
        this.#heardFromSocket = true;
        this.#attempt = 0;
        this.#cancelGraceTimer();
        if (!(message.type === "status" && message.state === "starting")) this.#openInput();
      }
      this.#receive(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (socket !== this.#socket) return;
      this.#socket = null;
      this.#cancelGraceTimer();
      this.#inputOpen = false;
      // Without a socket nobody can be watching through it; the server says again on reconnect.
      this.#update({ watchers: 0 });
      const state = this.#snapshot.state;
      if (state === "ended" || state === "taken-over") return;
      if (event.code === TAKEN_OVER_CLOSE_CODE) {
        this.#queue = [];
        this.#update({ state: "taken-over", progress: null, message: "This session was opened in another tab." });
        return;
      }
      this.#lostConnection();
    };
    // An error is always followed by a close event, which decides what happens next.
    socket.onerror = () => {};
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case "data": {
        const accepted = acceptOutput(this.#written, message);
        this.#written = accepted.written;
        if (accepted.text !== "") this.#view.write(accepted.text);
        return;
      }
      case "status":
        switch (message.state) {
          case "starting":
            this.#sandboxReady = false;
            this.#inputOpen = false;
            this.#update({ progress: message.progress ?? this.#snapshot.progress ?? 0, message: message.message ?? null });
            return;
          case "ready":
            this.#sandboxReady = true;
            this.#update({ progress: null, message: null });
            this.#openInput();
            return;
          case "ended":
            this.#end("session-ended", message.message ?? "The session has ended.");
            return;
          case "error":
            this.#lastServerError = message.message ?? null;
            this.#update({ message: message.message ?? "The server refused a message." });
            return;
        }
        return;
      case "exit":
        this.#end("exited", message.reason ?? `The shell exited with code ${message.code}.`);
        return;
      case "watchers":
        this.#update({ watchers: message.count });
        return;
    }
  }

  /** The socket dropped unexpectedly: wait, then ask whether the session still exists. */
  #lostConnection(): void {
    this.#update({ state: "reconnecting", progress: null });
    this.#retryLater(() => void this.#probeSession());
  }

  async #probeSession(): Promise<void> {
    const session = this.#session;
    if (session === null) return;
    const epoch = this.#epoch;
    let status: number;
    try {
      const response = await this.#fetch(new URL(sessionPath(session.id), this.#pageUrl).href, {
        headers: { authorization: `Bearer ${session.token}`, accept: "application/json" },
      });
      status = response.status;
    } catch {
      // The server is down (restarting, network gone): keep trying.
      if (epoch === this.#epoch) this.#retryLater(() => void this.#probeSession());
      return;
    }
    if (epoch !== this.#epoch) return;
    if (status >= 200 && status < 300) {
      this.#openSocket();
    } else if (status === 404 || status === 410 || status === 401 || status === 403) {
      // Unknown to the server (it restarted, the session expired, its sandbox failed) or no
      // longer ours. An error the server sent just before closing says more than we can.
      this.#end("session-ended", this.#lastServerError ?? "Your previous session has ended.");
    } else {
      this.#retryLater(() => void this.#probeSession());
    }
  }

  #retryLater(retry: () => void): void {
    this.#cancelPending();
    const delay = backoffDelay(this.#attempt, this.#random);
    this.#attempt += 1;
    const epoch = this.#epoch;
    const run = () => {
      this.#pendingRetry = null;
      this.#cancelTimer = null;
      if (epoch === this.#epoch && !this.#disposed) retry();
    };
    this.#pendingRetry = run;
    this.#cancelTimer = this.#schedule(run, delay);
  }

  #end(reason: EndReason, message: string): void {
    this.#sandboxReady = false;
    this.#invalidate();
    this.#closeSocket();
    this.#store.clear();
    this.#queue = [];
    this.#update({ state: "ended", endReason: reason, message, progress: null });
  }

  #canSendInput(): boolean {
    return this.#snapshot.state === "connected" && this.#inputOpen && this.#socket?.readyState === SOCKET_OPEN;
  }

  #openInput(): void {
    this.#inputOpen = true;
    this.#flushQueue();
  }

  #flushQueue(): void {
    while (this.#queue.length > 0 && this.#canSendInput()) {
      const keys = this.#queue.shift();
      if (keys !== undefined) this.#send({ type: "data", data: keys });
    }
  }

  #send(message: ClientMessage): void {
    const socket = this.#socket;
    if (socket !== null && socket.readyState === SOCKET_OPEN) socket.send(JSON.stringify(message));
  }

  #closeSocket(): void {
    this.#cancelGraceTimer();
    this.#inputOpen = false;
    const socket = this.#socket;
    if (socket === null) return;
    this.#socket = null;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
    try {
      socket.close(NORMAL_CLOSURE);
    } catch {
      // Already closing.
    }
  }

  #cancelGraceTimer(): void {
    this.#cancelGrace?.();
    this.#cancelGrace = null;
  }

  #cancelPending(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    this.#pendingRetry = null;
  }

  #invalidate(): void {
    this.#epoch += 1;
    this.#cancelPending();
  }

  #update(change: Partial<ConnectionSnapshot>): void {
    const next = { ...this.#snapshot, ...change };
    if (next.state !== "ended") next.endReason = null;
    const previous = this.#snapshot;
    if (
      next.state === previous.state &&
      next.progress === previous.progress &&
      next.message === previous.message &&
      next.endReason === previous.endReason &&
      next.sessionId === previous.sessionId &&
      next.watchers === previous.watchers
    ) {
      return;
    }
    this.#snapshot = next;
    for (const listener of this.#listeners) listener({ ...next });
  }
}
