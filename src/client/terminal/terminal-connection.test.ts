import { test } from "node:test";
import assert from "node:assert/strict";
import { TerminalConnection, type ConnectionSnapshot } from "./terminal-connection.ts";
import { SESSION_STORAGE_KEY, type KeyValueStorage } from "./session-store.ts";
import type { TerminalView } from "./terminal-view.ts";

const PAGE = "http://academy.test/lessons/intro/";

class FakeView implements TerminalView {
  screen = "";
  clears = 0;
  focuses = 0;
  cols = 80;
  rows = 24;
  readonly dataListeners = new Set<(data: string) => void>();
  readonly resizeListeners = new Set<(size: { cols: number; rows: number }) => void>();
  write(data: string): void {
    this.screen += data;
  }
  onData(listener: (data: string) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }
  onResize(listener: (size: { cols: number; rows: number }) => void): () => void {
    this.resizeListeners.add(listener);
    return () => this.resizeListeners.delete(listener);
  }
  size() {
    return { cols: this.cols, rows: this.rows };
  }
  focus(): void {
    this.focuses += 1;
  }
  clear(): void {
    this.clears += 1;
    this.screen = "";
  }
  type(data: string): void {
    for (const listener of this.dataListeners) listener(data);
  }
  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    for (const listener of this.resizeListeners) listener({ cols, rows });
  }
}

class FakeSocket {
  readyState = 0;
  readonly sent: unknown[] = [];
  closedWith: number | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly url: string;
  readonly protocols: string[];
  constructor(url: string, protocols: string[]) {
    this.url = url;
    this.protocols = protocols;
  }
  send(data: string): void {
    assert.equal(this.readyState, 1, "sent on a socket that is not open");
    this.sent.push(JSON.parse(data));
  }
  close(code?: number): void {
    this.readyState = 3;
    this.closedWith = code ?? 1005;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

type Route = (url: string, init: RequestInit | undefined) => Response | Promise<Response>;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function memoryStorage(): KeyValueStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

function harness(options: { storage?: ReturnType<typeof memoryStorage>; random?: () => number; start?: string } = {}) {
  const view = new FakeView();
  const storage = options.storage ?? memoryStorage();
  const sockets: FakeSocket[] = [];
  const requests: Array<{ method: string; url: string; authorization: string | null }> = [];
  const bodies: string[] = [];
  const timers: Array<{ callback: () => void; delay: number; cancelled: boolean }> = [];
  const states: ConnectionSnapshot[] = [];
  let route: Route = () => json(201, { id: "s1", token: "t1" });

  const connection = new TerminalConnection({
    view,
    pageUrl: PAGE,
    storage,
    random: options.random ?? (() => 0.5),
    ...(options.start !== undefined ? { start: options.start } : {}),
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      if (typeof init?.body === "string") bodies.push(init.body);
      requests.push({ method: init?.method ?? "GET", url, authorization: headers.get("authorization") });
      return route(url, init);
    },
    createSocket: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
    schedule: (callback, delay) => {
      const timer = { callback, delay, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  });
  connection.onChange((snapshot) => states.push(snapshot));

  return {
    view,
    storage,
    bodies,
    sockets,
    requests,
    timers,
    states,
    connection,
    setRoute(next: Route) {
      route = next;
    },
    socket(): FakeSocket {
      const last = sockets.at(-1);
      assert.ok(last, "no socket was opened");
      return last;
    },
    pendingTimers() {
      return timers.filter((timer) => !timer.cancelled);
    },
    /** Fires the earliest pending timer (by delay), as the clock would. */
    fireTimer(): number {
      const pending = timers.filter((timer) => !timer.cancelled).sort((a, b) => a.delay - b.delay);
      const next = pending[0];
      assert.ok(next, "no timer pending");
      next.cancelled = true;
      next.callback();
      return next.delay;
    },
  };
}

/** Lets pending fetch promises and their continuations run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

test("a new session is created, remembered, and its socket resumes from offset 0", async () => {
  const h = harness();
  h.connection.start();
  assert.equal(h.connection.snapshot().state, "connecting");
  await settle();

  assert.deepEqual(h.requests, [{ method: "POST", url: "http://academy.test/api/sessions", authorization: null }]);
  assert.deepEqual(JSON.parse(h.storage.items.get(SESSION_STORAGE_KEY) ?? "null"), { id: "s1", token: "t1" });
  const socket = h.socket();
  assert.equal(socket.url, "ws://academy.test/api/sessions/s1/terminal");
  assert.deepEqual(socket.protocols, ["mesh-academy.terminal.v1", "token.t1"]);

  socket.open();
  assert.deepEqual(socket.sent, [
    { type: "resume", offset: 0 },
    { type: "resize", cols: 80, rows: 24 },
  ]);
  assert.equal(h.connection.snapshot().state, "connected");
  assert.equal(h.connection.snapshot().sessionId, "s1");

  socket.receive({ type: "data", data: "$ ", offset: 0 });
  assert.equal(h.view.screen, "$ ");
});

test("keystrokes and resizes are sent only while connected", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.view.type("early");
  const socket = h.socket();
  socket.open();
  h.view.type("l");
  h.view.resize(100, 30);
  assert.deepEqual(socket.sent.slice(2), [
    { type: "data", data: "l" },
    { type: "resize", cols: 100, rows: 30 },
  ]);
  socket.drop();
  h.view.type("lost");
  assert.equal(socket.sent.length, 4);
});

test("a reload resumes the stored session from offset 0 on a cleared screen", async () => {
  const storage = memoryStorage();
  storage.items.set(SESSION_STORAGE_KEY, JSON.stringify({ id: "s9", token: "t9" }));
  const h = harness({ storage });
  h.connection.start();
  await settle();
  assert.equal(h.requests.length, 0, "no new session is created");
  assert.equal(h.view.clears, 1);
  h.socket().open();
  assert.deepEqual(h.socket().sent[0], { type: "resume", offset: 0 });
  assert.equal(h.socket().url, "ws://academy.test/api/sessions/s9/terminal");
});

test("after a drop the client checks the session, reconnects and resumes without duplicates", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  const first = h.socket();
  first.open();
  first.receive({ type: "data", data: "hello ", offset: 0 });
  first.receive({ type: "data", data: "world", offset: 6 });
  first.drop(1006);

  assert.equal(h.connection.snapshot().state, "reconnecting");
  h.setRoute(() => json(200, { id: "s1" }));
  const delay = h.fireTimer();
  assert.ok(delay >= 125 && delay <= 250, `first retry waits ${delay} ms`);
  await settle();
  assert.deepEqual(h.requests.at(-1), {
    method: "GET",
    url: "http://academy.test/api/sessions/s1",
    authorization: "Bearer t1",
  });

  const second = h.socket();
  assert.notEqual(second, first);
  second.open();
  assert.deepEqual(second.sent[0], { type: "resume", offset: 11 });
  assert.equal(h.connection.snapshot().state, "connected");
  // The server replays from an older position of its buffer: only the new part is shown.
  second.receive({ type: "data", data: "world!\r\n$ ", offset: 6 });
  assert.equal(h.view.screen, "hello world!\r\n$ ");
});

test("while the server is down, retries back off up to the cap and then reconnect", async () => {
  const h = harness({ random: () => 0.999999 });
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().drop(1006);

  h.setRoute(() => {
    throw new TypeError("Failed to fetch");
  });
  const delays: number[] = [];
  for (let i = 0; i < 8; i += 1) {
    delays.push(h.fireTimer());
    await settle();
    assert.equal(h.connection.snapshot().state, "reconnecting");
  }
  assert.deepEqual(delays, [250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
  assert.equal(h.sockets.length, 1, "no socket is opened while the server is unreachable");

  h.setRoute(() => new Response(null, { status: 200 }));
  h.fireTimer();
  await settle();
  assert.equal(h.sockets.length, 2);
  h.socket().open();
  h.socket().receive({ type: "data", data: "$ ", offset: 0 });
  assert.equal(h.connection.snapshot().state, "connected");

  // A healthy connection resets the backoff for the next outage.
  h.socket().drop(1006);
  assert.equal(h.fireTimer(), 250);
});

test("retryNow skips the backoff wait", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().drop(1006);
  h.setRoute(() => new Response(null, { status: 200 }));
  h.connection.retryNow();
  await settle();
  assert.equal(h.pendingTimers().length, 0);
  assert.equal(h.sockets.length, 2);
});

test("a session the server no longer knows ends, and a new one starts below a separator", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().receive({ type: "data", data: "old output", offset: 0 });
  h.socket().drop(1006);
  h.setRoute(() => json(404, { error: { code: "SESSION_NOT_FOUND", message: "gone" } }));
  h.fireTimer();
  await settle();

  const ended = h.connection.snapshot();
  assert.equal(ended.state, "ended");
  assert.equal(ended.endReason, "session-ended");
  assert.equal(ended.message, "Your previous session has ended.");
  assert.equal(h.storage.items.has(SESSION_STORAGE_KEY), false);
  assert.equal(h.pendingTimers().length, 0, "nothing retries an ended session");

  h.setRoute(() => json(201, { id: "s2", token: "t2" }));
  h.connection.startNewSession();
  await settle();
  assert.match(h.view.screen, /^old output\r\n.*new session.*\r\n$/);
  const socket = h.socket();
  assert.equal(socket.url, "ws://academy.test/api/sessions/s2/terminal");
  socket.open();
  assert.deepEqual(socket.sent[0], { type: "resume", offset: 0 });
  socket.receive({ type: "data", data: "$ ", offset: 0 });
  assert.ok(h.view.screen.endsWith("$ "));
  assert.equal(h.connection.snapshot().state, "connected");
});

test("a sandbox that fails to start ends the session with the server's explanation", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().receive({ type: "status", state: "starting", progress: 0 });
  h.socket().receive({ type: "status", state: "error", message: "The sandbox could not be started." });
  h.socket().drop(1011);
  h.setRoute(() => json(404, { error: { code: "SESSION_NOT_FOUND", message: "No such session" } }));
  h.fireTimer();
  await settle();
  const snapshot = h.connection.snapshot();
  assert.equal(snapshot.state, "ended");
  assert.equal(snapshot.message, "The sandbox could not be started.");
});

test("close code 4000 means another tab took over; reconnecting here resumes at the same offset", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().receive({ type: "data", data: "abc", offset: 0 });
  h.socket().drop(4000);

  const snapshot = h.connection.snapshot();
  assert.equal(snapshot.state, "taken-over");
  assert.equal(snapshot.message, "This session was opened in another tab.");
  assert.equal(h.pendingTimers().length, 0, "no automatic reconnect fights the other tab");
  assert.equal(h.requests.length, 1);

  h.connection.reconnectHere();
  assert.equal(h.sockets.length, 2);
  h.socket().open();
  assert.deepEqual(h.socket().sent[0], { type: "resume", offset: 3 });
  assert.equal(h.connection.snapshot().state, "connected");
});

test("run commands wait for the connection, then type each line and Enter", async () => {
  const h = harness();
  h.connection.run("kubectl get pods");
  h.connection.start();
  h.connection.run("cat <<EOF\nhello\nEOF\n");
  assert.equal(h.view.focuses, 2);
  await settle();
  const socket = h.socket();
  socket.open();
  assert.equal(socket.sent.length, 2, "nothing is typed before the server has spoken");
  socket.receive({ type: "data", data: "$ ", offset: 0 });
  assert.deepEqual(socket.sent.slice(2), [
    { type: "data", data: "kubectl get pods\r" },
    { type: "data", data: "cat <<EOF\rhello\rEOF\r" },
  ]);
  h.connection.run("ls");
  assert.deepEqual(socket.sent.at(-1), { type: "data", data: "ls\r" });
});

test("run commands are held while the sandbox starts and sent once it is ready", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  const socket = h.socket();
  socket.open();
  socket.receive({ type: "status", state: "starting", progress: 0.25, message: "Creating cluster" });
  h.connection.run("ls");
  assert.equal(h.pendingTimers().length, 0, "the server has spoken: no grace timer types early");
  assert.equal(socket.sent.length, 2);
  assert.equal(h.connection.snapshot().progress, 0.25);
  assert.equal(h.connection.snapshot().message, "Creating cluster");

  socket.receive({ type: "status", state: "starting", progress: 0.75 });
  assert.equal(h.connection.snapshot().progress, 0.75);
  socket.receive({ type: "status", state: "ready" });
  assert.equal(h.connection.snapshot().progress, null);
  assert.deepEqual(socket.sent.at(-1), { type: "data", data: "ls\r" });
});

test("a silent resumed session gets queued commands after the grace period", async () => {
  const storage = memoryStorage();
  storage.items.set(SESSION_STORAGE_KEY, JSON.stringify({ id: "s1", token: "t1" }));
  const h = harness({ storage });
  h.connection.run("ls");
  h.connection.start();
  h.socket().open();
  assert.equal(h.socket().sent.length, 2);
  h.fireTimer();
  assert.deepEqual(h.socket().sent.at(-1), { type: "data", data: "ls\r" });
});

test("the exit message ends the session and forgets it", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().receive({ type: "exit", code: 0 });
  const snapshot = h.connection.snapshot();
  assert.equal(snapshot.state, "ended");
  assert.equal(snapshot.endReason, "exited");
  assert.equal(snapshot.message, "The shell exited with code 0.");
  assert.equal(h.storage.items.has(SESSION_STORAGE_KEY), false);
  assert.equal(h.sockets[0]?.closedWith, 1000);
});

test("a refused session (too many sessions) ends with the server's message", async () => {
  const h = harness();
  h.setRoute(() => json(429, { error: { code: "TOO_MANY_SESSIONS", message: "You already have 3 sandboxes." } }));
  h.connection.start();
  await settle();
  const snapshot = h.connection.snapshot();
  assert.equal(snapshot.state, "ended");
  assert.equal(snapshot.endReason, "refused");
  assert.equal(snapshot.message, "You already have 3 sandboxes.");
  assert.equal(h.sockets.length, 0);
});

test("when the server is unreachable at first, session creation is retried", async () => {
  const h = harness();
  h.setRoute(() => {
    throw new TypeError("Failed to fetch");
  });
  h.connection.start();
  await settle();
  assert.equal(h.connection.snapshot().state, "connecting");
  assert.equal(h.connection.snapshot().message, "Waiting for the server…");
  h.setRoute(() => json(201, { id: "s3", token: "t3" }));
  h.fireTimer();
  await settle();
  assert.equal(h.socket().url, "ws://academy.test/api/sessions/s3/terminal");
});

test("server errors and unknown frames are reported or ignored without dropping the connection", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  const socket = h.socket();
  socket.open();
  socket.onmessage?.({ data: "not json" });
  socket.receive({ type: "heartbeat" });
  socket.receive({ type: "status", state: "error", message: "Message too large" });
  assert.equal(h.connection.snapshot().state, "connected");
  assert.equal(h.connection.snapshot().message, "Message too large");
});

test("listeners hear each change of the snapshot once", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.view.type("x");
  h.socket().drop(4000);
  assert.deepEqual(
    h.states.map(({ state, sessionId }) => [state, sessionId]),
    [
      ["connecting", "s1"],
      ["connected", "s1"],
      ["taken-over", "s1"],
    ],
  );
});

test("dispose closes the socket, cancels retries and ignores late answers", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  h.socket().open();
  h.socket().drop(1006);
  let answer: (response: Response) => void = () => {};
  h.setRoute(() => new Promise<Response>((resolve) => (answer = resolve)));
  h.fireTimer();
  await settle();
  h.connection.dispose();
  answer(new Response(null, { status: 200 }));
  await settle();
  assert.equal(h.sockets.length, 1, "no socket after dispose");
  assert.equal(h.view.dataListeners.size, 0);
  assert.equal(h.view.resizeListeners.size, 0);
});

test("a lesson's starting state goes with the request for a new session, an empty one does not", async () => {
  const lesson = harness({ start: "bookinfo" });
  lesson.connection.start();
  await settle();
  assert.deepEqual(lesson.bodies, ['{"start":"bookinfo"}']);
  const plain = harness({ start: "empty" });
  plain.connection.start();
  await settle();
  assert.deepEqual(plain.bodies, ["{}"]);
});

test("the watcher count from the server is in the snapshot, and drops to 0 when the socket does", async () => {
  const h = harness();
  h.connection.start();
  await settle();
  const socket = h.socket();
  socket.open();
  assert.equal(h.connection.snapshot().watchers, 0);
  socket.receive({ type: "watchers", count: 1 });
  assert.equal(h.connection.snapshot().watchers, 1);
  socket.receive({ type: "watchers", count: 0 });
  assert.equal(h.connection.snapshot().watchers, 0);
  socket.receive({ type: "watchers", count: 2 });
  assert.deepEqual(h.states.map((s) => s.watchers).slice(-3), [1, 0, 2]);
  socket.drop(1006);
  assert.equal(h.connection.snapshot().watchers, 0);
});
