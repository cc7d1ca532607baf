import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig, type Config } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer, type RunningServer } from "../main.ts";
import { FakeSandboxProvider, type FakeProviderOptions } from "../sessions/fake-sandbox-provider.ts";
import { TerminalTestClient } from "./terminal-test-client.ts";
import type { ServerMessage } from "./protocol.ts";

const logger = createLogger({ level: "silent" });

async function setup(t: TestContext, env: Record<string, string> = {}, providerOptions: FakeProviderOptions = {}, tweak?: (c: Config) => Config) {
  const provider = new FakeSandboxProvider(providerOptions);
  let config = loadConfig({ PORT: "0", ...env });
  if (tweak) config = tweak(config);
  const siteRoot = await mkdtemp(path.join(tmpdir(), "mesh-academy-site-"));
  const running = await startServer({ config, logger, siteRoot, provider });
  t.after(() => running.shutdown());
  const createSession = async () => {
    const res = await fetch(`${running.url}/api/sessions`, { method: "POST" });
    assert.equal(res.status, 201);
    return (await res.json()) as { id: string; token: string };
  };
  return { running, provider, createSession };
}

const isReady = (m: ServerMessage) => m.type === "status" && m.state === "ready";

async function readyClient(running: RunningServer, id: string, token: string, offset = 0) {
  const client = await TerminalTestClient.open(running.url, id, token);
  client.send({ type: "resume", offset });
  await client.next(isReady);
  await client.barrier();
  return client;
}

test("a foreign origin is refused with 403 before any sandbox exists", async (t) => {
  const { running, provider, createSession } = await setup(t);
  const { id, token } = await createSession();
  const refused = await TerminalTestClient.connect(running.url, id, token, { origin: "http://evil.example" });
  assert.ok("refused" in refused);
  assert.equal(refused.refused, 403);
  const missing = await TerminalTestClient.connect(running.url, id, token, { origin: null });
  assert.ok("refused" in missing && missing.refused === 403);
  assert.equal(provider.createCalls, 0);
  assert.equal(running.sessions.get(id)?.state, "starting");
});

test("origins listed in ALLOWED_ORIGINS are accepted", async (t) => {
  const { running, provider, createSession } = await setup(t, { ALLOWED_ORIGINS: "https://docs.example.com" });
  const { id, token } = await createSession();
  const client = await TerminalTestClient.open(running.url, id, token, { origin: "https://docs.example.com" });
  await client.next(isReady);
  assert.equal(provider.createCalls, 1);
  await client.close();
});

test("a wrong token is refused with 403, an unknown session with 404, and no shell is made", async (t) => {
  const { running, provider, createSession } = await setup(t);
  const { id, token } = await createSession();
  const wrong = await TerminalTestClient.connect(running.url, id, `${token.slice(0, -2)}xx`);
  assert.ok("refused" in wrong && wrong.refused === 403);
  const unknown = await TerminalTestClient.connect(running.url, "no-such-session", token);
  assert.ok("refused" in unknown && unknown.refused === 404);
  const noToken = await TerminalTestClient.connect(running.url, id, token, { protocols: ["mesh-academy.terminal.v1"] });
  assert.ok("refused" in noToken && noToken.refused === 401);
  const noProtocol = await TerminalTestClient.connect(running.url, id, token, { protocols: [`token.${token}`] });
  assert.ok("refused" in noProtocol && noProtocol.refused === 400);
  assert.equal(provider.createCalls, 0);
});

test("the server selects the terminal subprotocol, reports progress, then echoes typing", async (t) => {
  const { running, createSession } = await setup(t, {}, { steps: [{ message: "Creating cluster", progress: 0.4 }] });
  const { id, token } = await createSession();
  const client = await TerminalTestClient.open(running.url, id, token);
  assert.equal(client.ws.protocol, "mesh-academy.terminal.v1");
  client.send({ type: "resume", offset: 0 });
  const starting = await client.next((m) => m.type === "status" && m.state === "starting" && m.progress === 0.4);
  assert.equal(starting.type === "status" && starting.message, "Creating cluster");
  await client.next(isReady);
  client.send({ type: "data", data: "echo hi\r" });
  assert.equal(await client.waitForOutput(8), "echo hi\r");
  client.send({ type: "resize", cols: 100, rows: 30 });
  await client.close();
});

test("a 1 MiB frame closes that socket with 1009; another session keeps working", async (t) => {
  const { running, createSession } = await setup(t);
  const a = await createSession();
  const b = await createSession();
  const big = await readyClient(running, a.id, a.token);
  const other = await readyClient(running, b.id, b.token);
  big.send({ type: "data", data: "x".repeat(1024 * 1024) });
  const closed = await big.closed;
  assert.equal(closed.code, 1009);
  other.send({ type: "data", data: "still here" });
  assert.equal(await other.waitForOutput(10), "still here");
  await other.close();
});

test("malformed and unknown messages get an error status and the connection stays open", async (t) => {
  const { running, createSession } = await setup(t);
  const { id, token } = await createSession();
  const client = await readyClient(running, id, token);
  const isError = (m: ServerMessage) => m.type === "status" && m.state === "error";
  const errors = async (send: () => void) => {
    const before = client.messages.length;
    send();
    const message = await client.next(isError, before);
    return message.type === "status" ? (message.message ?? "") : "";
  };
  assert.match(await errors(() => client.send("{not json")), /not valid JSON/);
  assert.match(await errors(() => client.send({ type: "launch" })), /Unknown message type "launch"/);
  assert.match(await errors(() => client.send({ type: "resize", cols: 0, rows: 10 })), /Invalid "resize" message \(cols/);
  assert.match(await errors(() => client.send("[1,2]")), /Unknown message type null/);
  assert.match(await errors(() => client.ws.send(Buffer.from([1, 2, 3]), { binary: true })), /Binary frames/);
  client.send({ type: "data", data: "ok" });
  assert.equal(await client.waitForOutput(2), "ok");
  assert.equal(client.ws.readyState, client.ws.OPEN);
  await client.close();
});

test("resuming from the last offset after a drop mid-stream gives no gap and no duplicate", async (t) => {
  const { running, provider, createSession } = await setup(t);
  const { id, token } = await createSession();
  const first = await readyClient(running, id, token);
  const tty = provider.tty();
  let emitted = "";
  const emit = (count: number) => {
    for (let i = 0; i < count; i += 1) {
      const line = `line ${emitted.length}\r\n`;
      emitted += line;
      tty.emit(line);
    }
  };
  emit(50);
  await first.waitForOutput(emitted.length);
  emit(50);
  // Drop the socket abruptly while output is in flight: whatever the client had not read
  // yet is lost with it, and the shell keeps printing meanwhile.
  first.ws.terminate();
  emit(50);
  await first.closed;
  emit(50);
  const { text: seen, end } = first.output();
  assert.ok(end > 0 && end <= emitted.length);

  const second = await TerminalTestClient.open(running.url, id, token);
  second.send({ type: "resume", offset: end });
  emit(20);
  const rest = await second.waitForOutput(emitted.length - end, end);
  assert.equal(seen + rest, emitted);
  await second.close();
});

test("a resume from before the kept output gets what remains, preceded by a notice", async (t) => {
  const { running, provider, createSession } = await setup(t, { OUTPUT_BUFFER_KIB: "1" });
  const { id, token } = await createSession();
  const first = await readyClient(running, id, token);
  const tty = provider.tty();
  const output = Array.from({ length: 300 }, (_, i) => `${i}|`).join("");
  tty.emit(output);
  await first.waitForOutput(output.length);
  await first.close();

  const second = await TerminalTestClient.open(running.url, id, token);
  second.send({ type: "resume", offset: 0 });
  const data = await second.next((m) => m.type === "data");
  assert.ok(data.type === "data");
  assert.match(data.data, /earlier output are no longer kept/);
  // The notice ends exactly where the kept output starts, so offsets still add up.
  assert.equal(data.offset + data.data.length, output.length);
  assert.ok(data.data.endsWith(output.slice(output.length - 1024)));
  await second.close();
});

test("a newer socket replaces the older one with close code 4000", async (t) => {
  const { running, createSession } = await setup(t);
  const { id, token } = await createSession();
  const old = await readyClient(running, id, token);
  const fresh = await readyClient(running, id, token);
  const closed = await old.closed;
  assert.equal(closed.code, 4000);
  fresh.send({ type: "data", data: "mine" });
  assert.equal(await fresh.waitForOutput(4), "mine");
  assert.equal(old.output().text, "");
  await fresh.close();
});

test("when the shell exits the socket gets exit, then close 1000, and the session is gone", async (t) => {
  const { running, provider, createSession } = await setup(t);
  const { id, token } = await createSession();
  const client = await readyClient(running, id, token);
  provider.tty().exit(7);
  const exit = await client.next((m) => m.type === "exit");
  assert.equal(exit.type === "exit" && exit.code, 7);
  assert.equal((await client.closed).code, 1000);
  assert.equal(provider.sandboxes[0]?.disposed, true);
  const res = await fetch(`${running.url}/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 404);
});

test("a slow reader pauses the shell; the shell resumes once the socket drains", async (t) => {
  const { running, provider, createSession } = await setup(t, { WS_HIGH_WATER_MARK_KIB: "16" });
  const { id, token } = await createSession();
  const client = await readyClient(running, id, token);
  const tty = provider.tty();
  // Stop reading on the client: the server's send buffer fills once the kernel's is full.
  const rawSocket = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  rawSocket.pause();
  const chunk = "y".repeat(64 * 1024);
  for (let sent = 0; !tty.paused && sent < 256; sent += 1) {
    tty.emit(chunk);
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(tty.paused, true);
  rawSocket.resume();
  while (tty.paused) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(tty.paused, false);
  await client.close();
});

test("a socket that stops answering pings is terminated", async (t) => {
  const { running, createSession } = await setup(t, {}, {}, (config) => ({ ...config, ws: { ...config.ws, heartbeatMs: 50 } }));
  const { id, token } = await createSession();
  const client = await readyClient(running, id, token);
  assert.equal(running.gateway.connectionCount, 1);
  // A paused socket reads nothing, so the client never sees the pings, let alone answers.
  const rawSocket = (client.ws as unknown as { _socket: { pause(): void } })._socket;
  rawSocket.pause();
  while (running.gateway.connectionCount > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(running.sessions.get(id)?.idleSince() !== undefined, true);
  client.ws.terminate();
});
