import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import { createCluster } from "../sandbox/cluster/create-cluster.ts";
import { listenCluster } from "../sandbox/cluster/listen-cluster.ts";
import { renderKubeconfig } from "../sandbox/cluster/kubeconfig.ts";
import { createWorkloadRuntime } from "../sandbox/workloads/workload-runtime.ts";
import { createSystemClock } from "../sandbox/core/clock.ts";
import { runShell, type ShellIo } from "./shell-command.ts";

function fakeIo(input: string, options: { tty?: boolean } = {}) {
  const stdin = Object.assign(new PassThrough(), { isTTY: options.tty === true, setRawMode: (_raw: boolean) => stdin });
  let out = "";
  let err = "";
  const stdout = Object.assign(new PassThrough(), { columns: 100, rows: 30 });
  stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const stderr = new PassThrough();
  stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  if (!options.tty) stdin.end(input);
  const io: ShellIo = { stdin, stdout, stderr };
  return { io, stdin, out: () => out, err: () => err };
}

test("-c runs commands in an embedded sandbox, passes standard input through and returns their status", async () => {
  const manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: piped\ndata:\n  a: b\n";
  const fake = fakeIo(manifest);
  const code = await runShell(["--profile", "instant", "-c", "kubectl apply -f - && hostname && exit 3"], fake.io);
  assert.equal(code, 3);
  assert.equal(fake.out(), "configmap/piped created\nworkstation\n");
  assert.equal(fake.err(), "");
});

test("without -c and without a terminal, the script comes from standard input", async () => {
  const fake = fakeIo("cd samples\npwd\nkubectl get ns mesh-academy -o name\n");
  const code = await runShell(["--profile", "instant"], fake.io);
  assert.equal(code, 0, fake.err());
  assert.equal(fake.out(), "/home/learner/samples\nnamespace/mesh-academy\n");
});

test("on a terminal the shell is interactive until exit", async () => {
  const fake = fakeIo("", { tty: true });
  const running = runShell(["--profile", "instant"], fake.io);
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 200 && !pattern.test(fake.out()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(fake.out(), pattern);
  };
  await waitFor(/learner@workstation/);
  fake.stdin.write("echo typed-here\r");
  await waitFor(/typed-here\r\n/);
  fake.stdin.write("exit 4\r");
  assert.equal(await running, 4);
});

test("--kubeconfig runs in the workstation pod of that cluster through the exec API", async () => {
  const host = new ClusterHost();
  await host.listen();
  const sandbox = await createEmbeddedSandbox({ host, id: "remote", profile: "instant" });
  const dir = await mkdtemp(join(tmpdir(), "shell-command-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, sandbox.adminKubeconfig);
  try {
    const fake = fakeIo("");
    const code = await runShell(["--kubeconfig", file, "-c", "hostname; kubectl get ns mesh-academy -o name; exit 5"], fake.io);
    assert.equal(fake.out(), "workstation\nnamespace/mesh-academy\n");
    assert.equal(code, 5);
  } finally {
    await sandbox.dispose();
    await host.close();
  }
});

test("--kubeconfig creates the workstation pod when the cluster has none", async () => {
  const clock = createSystemClock();
  const workloads = createWorkloadRuntime({ clock });
  const cluster = createCluster({ clock, profile: "instant", anonymousUser: "admin", exec: workloads.exec });
  workloads.attach(cluster.api);
  const server = await listenCluster(cluster, { port: 0 });
  const dir = await mkdtemp(join(tmpdir(), "shell-command-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, renderKubeconfig({ server: server.url, token: "unused" }));
  try {
    const fake = fakeIo("");
    const code = await runShell(["--kubeconfig", file, "-c", "echo inside"], fake.io);
    assert.equal(code, 0, fake.err());
    assert.equal(fake.out(), "inside\n");
    const pod = cluster.api.get(cluster.api.resource("", "v1", "pods"), "mesh-academy", "workstation");
    assert.equal((pod.spec as { serviceAccountName?: string }).serviceAccountName, "learner");
  } finally {
    workloads.dispose();
    cluster.dispose();
    await server.close();
  }
});

test("bad flags and unreadable kubeconfigs get a clear error", async () => {
  const fake = fakeIo("");
  assert.equal(await runShell(["--bogus"], fake.io), 2);
  assert.match(fake.err(), /Unknown option '--bogus'[\s\S]*Usage: mesh-academy shell/);
  const missing = fakeIo("");
  assert.equal(await runShell(["--kubeconfig", "/nonexistent/kubeconfig", "-c", "true"], missing.io), 1);
  assert.match(missing.err(), /cannot read \/nonexistent\/kubeconfig/);
});
