import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "./config/config.ts";
import { createLogger } from "./log/logger.ts";
import { exitOnSignals, startServer } from "./main.ts";
import { FakeSandboxProvider } from "./sessions/fake-sandbox-provider.ts";
import { TerminalTestClient } from "./terminal/terminal-test-client.ts";

const logger = createLogger({ level: "silent" });

async function start() {
  const provider = new FakeSandboxProvider();
  const siteRoot = await mkdtemp(path.join(tmpdir(), "mesh-academy-main-"));
  const running = await startServer({ config: loadConfig({ PORT: "0" }), logger, siteRoot, provider });
  return { running, provider };
}

async function openTerminal(url: string) {
  const res = await fetch(`${url}/api/sessions`, { method: "POST" });
  const { id, token } = (await res.json()) as { id: string; token: string };
  const client = await TerminalTestClient.open(url, id, token);
  client.send({ type: "resume", offset: 0 });
  await client.next((m) => m.type === "status" && m.state === "ready");
  return client;
}

test("listens on a free port when PORT=0 and reports the real URL", async () => {
  const { running } = await start();
  assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(new URL(running.url).port, "0");
  await running.shutdown();
});

test("shutdown closes terminals with 1001, disposes every session and stops listening", async () => {
  const { running, provider } = await start();
  const a = await openTerminal(running.url);
  const b = await openTerminal(running.url);
  // An idle keep-alive connection must not hold the shutdown open.
  await fetch(`${running.url}/`, { headers: { connection: "keep-alive" } });
  await running.shutdown();
  assert.equal((await a.closed).code, 1001);
  assert.equal((await b.closed).code, 1001);
  assert.equal(provider.sandboxes.length, 2);
  assert.ok(provider.sandboxes.every((s) => s.disposed));
  assert.equal(running.sessions.size, 0);
  assert.equal(running.server.listening, false);
  await assert.rejects(fetch(`${running.url}/`));
  // Idempotent: a second signal during shutdown does not break anything.
  await running.shutdown();
});

test("SIGTERM shuts down gracefully, then exits 0", async () => {
  const { running, provider } = await start();
  const client = await openTerminal(running.url);
  const exited = new Promise<number>((resolve) => {
    const remove = exitOnSignals(running, logger, (code) => {
      remove();
      resolve(code);
    });
  });
  process.emit("SIGTERM", "SIGTERM");
  assert.equal(await exited, 0);
  assert.equal((await client.closed).code, 1001);
  assert.equal(provider.sandboxes[0]?.disposed, true);
  assert.equal(running.server.listening, false);
});
