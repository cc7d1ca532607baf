// The checks API mounted in the server: a learner's Check button against their own sandbox.
import { test } from "node:test";
import { mkdtempSync } from "node:fs";
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
    config: loadConfig({ PORT: "0", DATA_DIR: mkdtempSync(path.join(tmpdir(), "checks-data-")) }),
    logger: createLogger({ level: "error", write: () => {} }),
    siteRoot,
    provider,
    lessonsDir: fixtures,
  });
  t.after(() => running.shutdown());

  const steps = (await (await fetch(`${running.url}/api/lessons/good-lesson/steps`)).json()) as { steps: Array<{ id: string }> };
  assert.deepEqual(steps.steps.map((step) => step.id), ["make-namespace", "run-httpbin"]);

  const { id, token } = (await (await fetch(`${running.url}/api/sessions`, { method: "POST" })).json()) as { id: string; token: string };
  // The learner's page has started the lesson, so the browser holds their progress cookie.
  const started = await fetch(`${running.url}/api/progress/steps`, {
    method: "POST",
    headers: { origin: running.url, "x-mesh-academy": "1", "content-type": "application/json" },
    body: JSON.stringify({ lesson: "good-lesson", step: "make-namespace", event: "started" }),
  });
  assert.equal(started.status, 200, await started.clone().text());
  const cookie = (started.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const check = () =>
    fetch(`${running.url}/api/sessions/${id}/lessons/good-lesson/steps/make-namespace/checks`, { method: "POST", headers: { authorization: `Bearer ${token}`, cookie } });
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

  // The pass is the learner's progress now, recorded by the server as the checks' verdict.
  const progress = (await (await fetch(`${running.url}/api/progress`, { headers: { cookie } })).json()) as { steps: Array<{ lesson: string; step: string; completedAt?: number; source?: string }> };
  const done = progress.steps.find((entry) => entry.lesson === "good-lesson" && entry.step === "make-namespace");
  assert.equal(typeof done?.completedAt, "number");
  assert.equal(done?.source, "checks");
});
