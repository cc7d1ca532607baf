import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { projectPaths } from "../cli/project-paths.ts";
import { EmbeddedProvider } from "../providers/embedded-provider.ts";
import type { Sandbox } from "../providers/sandbox-provider.ts";
import { SessionError } from "../sessions/session-error.ts";
import { createChecksApi } from "./checks-api.ts";

let provider: EmbeddedProvider;
let sandbox: Sandbox;
let server: Server;
let base: string;
// What the API told its listeners, in order: "passed:<step>" or "failed:<step>".
const told: string[] = [];

before(async () => {
  provider = new EmbeddedProvider({ profile: "instant" });
  sandbox = await provider.create({});
  const handle = createChecksApi({
    lessonsDir: join(projectPaths.root, "tests", "verify-fixtures"),
    sandboxFor: (id, token) => {
      if (id === "starting") return undefined;
      if (id !== "s1") throw new SessionError("SESSION_NOT_FOUND", "No such session.");
      if (token !== "secret") throw new SessionError("SESSION_UNAUTHORIZED", "A valid session token is required.");
      return sandbox;
    },
    headersFor: () => ({ "X-Frame-Options": "DENY" }),
    onStepPassed: (_req, _lesson, step) => told.push(`passed:${step}`),
    onStepFailed: (_req, _lesson, step) => told.push(`failed:${step}`),
  });
  server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    handle(req, res, pathname).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end("not mine");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await sandbox.dispose();
  await provider.close();
});

const checksUrl = (step: string, session = "s1") => `${base}/api/sessions/${session}/lessons/good-lesson/steps/${step}/checks`;

async function runStep(step: string): Promise<{ status: number; type: string | null; lines: Record<string, unknown>[] }> {
  const response = await fetch(checksUrl(step), { method: "POST", headers: { Authorization: "Bearer secret" } });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), lines: text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("checks API", () => {
  it("lists a lesson's steps with their hints, solution and check names", async () => {
    const response = await fetch(`${base}/api/lessons/good-lesson/steps`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-frame-options"), "DENY");
    const body = (await response.json()) as { lesson: string; steps: { id: string; checks: string[]; hints: string[]; solution: string }[] };
    assert.equal(body.lesson, "good-lesson");
    assert.deepEqual(body.steps.map((step) => step.id), ["make-namespace", "run-httpbin"]);
    assert.deepEqual(body.steps[0]?.checks, ["Namespace shop exists", "Namespace shop has label istio-injection=enabled"]);
    assert.equal(body.steps[0]?.hints.length, 2);
    assert.match(body.steps[0]?.solution ?? "", /^kubectl create namespace shop/);
  });

  it("streams a step's results, failing with teaching messages, then passing once the work is done", async () => {
    const first = await runStep("make-namespace");
    assert.equal(first.status, 200);
    assert.equal(first.type, "application/x-ndjson; charset=utf-8");
    assert.deepEqual(first.lines, [
      { type: "start", lesson: "good-lesson", step: "make-namespace", checks: ["Namespace shop exists", "Namespace shop has label istio-injection=enabled"] },
      { type: "result", index: 0, check: "Namespace shop exists", status: "failed", message: "Namespace shop does not exist yet. Run: `kubectl create namespace shop`" },
      {
        type: "result",
        index: 1,
        check: "Namespace shop has label istio-injection=enabled",
        status: "failed",
        message: "Namespace shop does not exist yet, so it cannot carry the label `istio-injection=enabled`. Run: `kubectl create namespace shop`",
      },
      { type: "end", passed: false },
    ]);
    await sandbox.run("kubectl create namespace shop && kubectl label namespace shop istio-injection=enabled");
    const second = await runStep("make-namespace");
    assert.deepEqual(second.lines.map((line) => line.status ?? line.type), ["start", "passed", "passed", "end"]);
    assert.deepEqual(second.lines.at(-1), { type: "end", passed: true });
    assert.deepEqual(told, ["failed:make-namespace", "passed:make-namespace"]);
  });

  it("refuses without the session's token, for unknown sessions, steps and lessons, and while the sandbox starts", async () => {
    const noToken = await fetch(checksUrl("make-namespace"), { method: "POST" });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.headers.get("www-authenticate"), "Bearer");
    assert.deepEqual(await noToken.json(), { error: { code: "SESSION_UNAUTHORIZED", message: "A valid session token is required." } });
    assert.equal((await fetch(checksUrl("make-namespace", "other"), { method: "POST" })).status, 404);
    const step = await fetch(checksUrl("fly"), { method: "POST", headers: { Authorization: "Bearer secret" } });
    assert.equal(step.status, 404);
    assert.deepEqual(await step.json(), { error: { code: "STEP_NOT_FOUND", message: 'Lesson good-lesson has no step "fly" (steps: make-namespace, run-httpbin).' } });
    const lesson = await fetch(`${base}/api/sessions/s1/lessons/nope/steps/a/checks`, { method: "POST", headers: { Authorization: "Bearer secret" } });
    assert.equal(((await lesson.json()) as { error: { code: string } }).error.code, "LESSON_NOT_FOUND");
    const starting = await fetch(checksUrl("make-namespace", "starting"), { method: "POST" });
    assert.equal(starting.status, 409);
    assert.equal((await fetch(checksUrl("make-namespace"))).status, 405);
    const foreign = await fetch(checksUrl("make-namespace"), { method: "POST", headers: { Authorization: "Bearer secret", Origin: "https://evil.example" } });
    assert.equal(foreign.status, 403);
  });

  it("leaves other paths to the rest of the server", async () => {
    const response = await fetch(`${base}/api/sessions/s1`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), "not mine");
  });
});
