// The checks API mounted in the server: a learner's Check button against their own sandbox.
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

test("Check runs a step's checks in the session's sandbox: failing with the teaching message, then passing", async (t) => {
  const siteRoot = await mkdtemp(path.join(tmpdir(), "checks-site-"));
  await writeFile(path.join(siteRoot, "index.html"), "<!doctype html><title>site</title>");
  const provider = new EmbeddedProvider({ profile: "instant", shell: { maxCommandCount: 10_000 } });
  const running = await startServer({
    config: loadConfig({ PORT: "0" }),
    logger: createLogger({ level: "error", write: () => {} }),
    siteRoot,
    provider,
    lessonsDir: fixtures,
  });
  t.after(() => running.shutdown());

  const steps = (await (await fetch(`${running.url}/api/lessons/good-lesson/steps`)).json()) as { steps: Array<{ id: string }> };
  assert.deepEqual(steps.steps.map((step) => step.id), ["make-namespace", "run-httpbin"]);

  const { id, token } = (await (await fetch(`${running.url}/api/sessions`, { method: "POST" })).json()) as { id: string; token: string };
  const check = () =>
    fetch(`${running.url}/api/sessions/${id}/lessons/good-lesson/steps/make-namespace/checks`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  assert.equal((await check()).status, 409);
  const unauthorised = await fetch(`${running.url}/api/sessions/${id}/lessons/good-lesson/steps/make-namespace/checks`, { method: "POST" });
  assert.equal(unauthorised.status, 401);

  const session = running.sessions.get(id);
  assert.ok(session);
  await session.start();
  const results = async () => (await (await check()).text()).trim().split("\n").map((line) => JSON.parse(line) as { type: string; status?: string; message?: string; passed?: boolean });
  const before = await results();
  assert.equal(before.at(-1)?.passed, false);
  assert.match(before.find((line) => line.type === "result")?.message ?? "", /shop/);

  const solved = await session.sandbox?.run("kubectl create namespace shop && kubectl label namespace shop istio-injection=enabled");
  assert.equal(solved?.exitCode, 0, solved?.stderr);
  const after = await results();
  assert.deepEqual(after.filter((line) => line.type === "result").map((line) => line.status), ["passed", "passed"]);
  assert.equal(after.at(-1)?.passed, true);
});
