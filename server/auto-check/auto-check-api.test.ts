import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config/config.ts";
import { createLogger } from "../log/logger.ts";
import { startServer } from "../main.ts";
import { EmbeddedProvider } from "../providers/embedded-provider.ts";

const fixtures = fileURLToPath(new URL("../../tests/verify-fixtures/", import.meta.url));

test("a waiting auto-check answers as soon as a change in the cluster completes the step", async (t) => {
  const siteRoot = await mkdtemp(path.join(tmpdir(), "auto-site-"));
  await writeFile(path.join(siteRoot, "index.html"), "<!doctype html><title>site</title>");
  const running = await startServer({
    config: loadConfig({ PORT: "0" }),
    logger: createLogger({ level: "error", write: () => {} }),
    siteRoot,
    provider: new EmbeddedProvider({ profile: "instant", shell: { maxCommandCount: 10_000 } }),
    lessonsDir: fixtures,
  });
  t.after(() => running.shutdown());
  const { id, token } = (await (await fetch(`${running.url}/api/sessions`, { method: "POST" })).json()) as { id: string; token: string };
  const url = `${running.url}/api/sessions/${id}/lessons/good-lesson/steps/make-namespace/auto`;
  assert.equal((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status, 409);
  assert.equal((await fetch(url)).status, 401);
  const session = running.sessions.get(id);
  assert.ok(session);
  await session.start();

  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  const reader = response.body?.getReader();
  assert.ok(reader);
  const decoder = new TextDecoder();
  let text = "";
  const read = async (until: RegExp): Promise<void> => {
    while (!until.test(text)) {
      const { done, value } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
    }
  };
  await read(/"status":"failed"/);
  assert.doesNotMatch(text, /"type":"end"/);
  // The learner types the commands; nobody presses Check.
  const solved = await session.sandbox?.run("kubectl create namespace shop && kubectl label namespace shop istio-injection=enabled");
  assert.equal(solved?.exitCode, 0);
  await read(/"type":"end"/);
  assert.match(text, /\{"type":"end","passed":true\}\n$/);
});
