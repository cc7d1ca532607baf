import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("`serve` prints one line with the real URL, answers, and exits 0 on SIGTERM", async () => {
  const child = spawn(process.execPath, ["server/cli/main.ts", "serve"], {
    cwd: root,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += String(chunk);
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match) resolve(match[0]);
    });
    exited.then((code) => reject(new Error(`serve exited with ${code} before listening:\n${stdout}${stderr}`)));
  });
  assert.notEqual(new URL(url).port, "0");
  const line = stdout.split("\n").find((l) => l.includes(url)) ?? "";
  const record = JSON.parse(line) as { level: string; url: string };
  assert.equal(record.url, url);

  const created = await fetch(`${url}/api/sessions`, { method: "POST" });
  assert.equal(created.status, 201);
  const page = await fetch(`${url}/`);
  assert.ok(page.headers.get("content-security-policy"));

  child.kill("SIGTERM");
  assert.equal(await exited, 0);
});
