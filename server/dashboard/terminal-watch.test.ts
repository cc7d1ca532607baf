import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { WebSocket } from "ws";
import { createLogger } from "../log/logger.ts";
import { FakeSandboxProvider } from "../sessions/fake-sandbox-provider.ts";
import { Session } from "../sessions/session.ts";
import type { WatchMessage } from "./dashboard-protocol.ts";
import { WATCH_CLOSE_READ_ONLY, WATCH_CLOSE_TOO_SLOW, watchTerminal } from "./terminal-watch.ts";

/** Just enough of a ws socket: records what is sent, and how it was closed. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: WatchMessage[] = [];
  closedWith: number | undefined;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as WatchMessage);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit("close");
  }
  output(): string {
    let expected: number | undefined;
    let text = "";
    for (const m of this.sent) {
      if (m.type !== "data") continue;
      if (expected !== undefined) assert.equal(m.offset, expected, "output is contiguous");
      text += m.data;
      expected = m.offset + m.data.length;
    }
    return text;
  }
}

async function readySession(): Promise<{ session: Session; provider: FakeSandboxProvider }> {
  const provider = new FakeSandboxProvider();
  const session = new Session({ id: "s1", clientKey: "c", provider, outputBufferUnits: 4096, logger: createLogger({ level: "silent" }), now: Date.now });
  await session.start();
  return { session, provider };
}

test("a watcher gets the kept output, then live output, with no gap or repeat, and is counted", async () => {
  const { session, provider } = await readySession();
  provider.tty(0).emit("$ ls\r\nfile\r\n");
  const ws = new FakeSocket();
  watchTerminal({ ws: ws as unknown as WebSocket, session });
  assert.equal(session.watchers, 1);
  provider.tty(0).emit("$ echo hi\r\nhi\r\n");
  assert.deepEqual(ws.sent[0], { type: "status", state: "watching" });
  assert.equal(ws.output(), "$ ls\r\nfile\r\n$ echo hi\r\nhi\r\n");
  ws.close(1000);
  assert.equal(session.watchers, 0);
  await session.end("done");
});

test("anything the watcher sends closes the watch and reaches no shell", async () => {
  const { session, provider } = await readySession();
  const ws = new FakeSocket();
  watchTerminal({ ws: ws as unknown as WebSocket, session });
  ws.emit("message", Buffer.from(JSON.stringify({ type: "data", data: "reboot\r" })));
  assert.equal(ws.closedWith, WATCH_CLOSE_READ_ONLY);
  assert.deepEqual(provider.tty(0).writes, []);
  assert.equal(session.watchers, 0);
  await session.end("done");
});

test("a watcher that cannot keep up is dropped; the learner's shell is never paused for it", async () => {
  const { session, provider } = await readySession();
  const ws = new FakeSocket();
  watchTerminal({ ws: ws as unknown as WebSocket, session, maxBufferedBytes: 100 });
  ws.bufferedAmount = 101;
  provider.tty(0).emit("lots of output");
  assert.equal(ws.closedWith, WATCH_CLOSE_TOO_SLOW);
  assert.equal(provider.tty(0).pauseCount, 0);
  assert.equal(session.watchers, 0);
  await session.end("done");
});

test("an ended session is reported and closed at once, and is not counted", async () => {
  const { session } = await readySession();
  await session.end("done");
  const ws = new FakeSocket();
  watchTerminal({ ws: ws as unknown as WebSocket, session });
  assert.deepEqual(ws.sent, [{ type: "status", state: "ended", message: "This terminal has ended." }]);
  assert.equal(ws.closedWith, 1000);
  assert.equal(session.watchers, 0);
});
