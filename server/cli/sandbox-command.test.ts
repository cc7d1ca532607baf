import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { requireKubectl } from "../../tests/cluster/kubectl-harness.ts";
import { runSandbox } from "./sandbox-command.ts";

function kubectl(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile("kubectl", args, { env, timeout: 15_000, encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === "number" ? error.code : 1 });
    });
  });
}

it("runs a cluster that the real kubectl reaches through the written kubeconfig, until aborted", async () => {
  requireKubectl();
  const dir = mkdtempSync(join(tmpdir(), "mesh-academy-sandbox-"));
  const file = join(dir, "kubeconfig");
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  const running = runSandbox(["--kubeconfig", file, "--port", "0", "--profile", "instant", "--seed", "7"], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    signal: controller.signal,
  });
  try {
    for (let i = 0; i < 100 && out.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.match(out.join(""), /^sandbox cluster \(instant\) at http:\/\/127\.0\.0\.1:\d+; kubeconfig in .+kubeconfig \(export KUBECONFIG=.+\)\n$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const kubeconfig = readFileSync(file, "utf8");
    assert.match(kubeconfig, /insecure-skip-tls-verify: true/);
    assert.match(kubeconfig, /token: \S{20,}/);
    const env = { PATH: process.env.PATH ?? "", HOME: dir, KUBECONFIG: file };
    const namespaces = await kubectl(["get", "ns", "-o", "name"], env);
    assert.equal(namespaces.stdout, "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n");
    await kubectl(["create", "deployment", "web", "--image=nginx:1.27"], env);
    const rollout = await kubectl(["rollout", "status", "deployment/web", "--timeout=10s"], env);
    assert.equal(rollout.stdout.trim().split("\n").at(-1), 'deployment "web" successfully rolled out');
  } finally {
    controller.abort();
  }
  assert.equal(await running, 0);
  assert.deepEqual(err, []);
  rmSync(dir, { recursive: true, force: true });
});

it("refuses bad arguments with a usage message and exit code 2", async () => {
  const err: string[] = [];
  const io = { out: () => {}, err: (text: string) => err.push(text), signal: new AbortController().signal };
  assert.equal(await runSandbox([], io), 2);
  assert.match(err.join(""), /--kubeconfig FILE is required/);
  assert.equal(await runSandbox(["--kubeconfig", "x", "--profile", "chaotic"], io), 2);
  assert.equal(await runSandbox(["--kubeconfig", "x", "--port", "99999"], io), 2);
  assert.equal(await runSandbox(["--kubeconfig", "x", "--bogus"], io), 2);
  assert.equal(existsSync("x"), false);
});
