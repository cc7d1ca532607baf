// The learner shell sees its own virtual filesystem and nothing of the machine it runs on:
// not the host's /etc, not the project's files by absolute path, not the server's
// environment through /proc, not by climbing with `..`; and what it writes stays inside.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ClusterHost, createEmbeddedSandbox, type EmbeddedSandbox } from "../../server/sandbox/index.ts";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
// A value only the server process holds: if the shell can print it, it reads the host.
const canary = `canary-${randomBytes(8).toString("hex")}`;
process.env.MESH_ACADEMY_ISOLATION_CANARY = canary;

const host = new ClusterHost();
let sandbox: EmbeddedSandbox;

before(async () => {
  await host.listen({ host: "127.0.0.1", port: 0 });
  sandbox = await createEmbeddedSandbox({ host, id: "files", profile: "instant" });
});

after(async () => {
  await sandbox.dispose();
  await host.close();
  delete process.env.MESH_ACADEMY_ISOLATION_CANARY;
});

async function sh(script: string) {
  return sandbox.shell.host.exec(script).result;
}

test("the host's /etc is not there: cat /etc/passwd fails as for a missing file", async () => {
  assert.match(readFileSync("/etc/passwd", "utf8"), /^root:/m, "the host has a passwd file to leak");
  const result = await sh("cat /etc/passwd");
  assert.equal(result.exitCode, 1);
  assert.equal(result.stdout, "");
  assert.equal(result.stderr, "cat: /etc/passwd: No such file or directory\n");
  const shadow = await sh("cat /etc/shadow /etc/hosts /etc/hostname 2>&1; ls /etc 2>&1");
  assert.doesNotMatch(shadow.stdout, /root:|localhost/);
});

test("the project's own files cannot be read by absolute path", async () => {
  const own = `${repoRoot}/package.json`;
  assert.ok(existsSync(own));
  for (const script of [`cat ${own}`, `ls ${repoRoot}`, `head -c 100 ${repoRoot}/server/main.ts`, `cat ${repoRoot}/.git/config`]) {
    const result = await sh(script);
    assert.notEqual(result.exitCode, 0, script);
    assert.equal(result.stdout, "", script);
    assert.match(result.stderr, /No such file or directory/, script);
  }
  // Nor through a command that reads files on its own: source, kubectl -f, grep -r.
  const indirect = await sh(`source ${own}; kubectl apply -f ${own}; grep -r mesh-academy ${repoRoot}; echo done`);
  assert.doesNotMatch(indirect.stdout + indirect.stderr, /"name": "mesh-academy"|"private": true/);
});

test("/proc shows the workstation's own process, never the server's environment", async () => {
  const result = await sh("cat /proc/self/environ /proc/1/environ /proc/self/cmdline /proc/self/status 2>&1; env; set; ls -R /proc 2>&1");
  assert.doesNotMatch(result.stdout, new RegExp(canary));
  assert.doesNotMatch(result.stdout, new RegExp(repoRoot.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.match(result.stdout, /^HOME=\/home\/learner$/m, "the shell's own environment is there");
});

test("climbing with .. from the home directory ends at the sandbox's root", async () => {
  const depth = "../".repeat(12);
  const result = await sh(`cd ${depth} && pwd && ls && cat ${depth}etc/passwd`);
  assert.equal(result.exitCode, 1);
  assert.match(result.stdout, /^\/\n/);
  assert.doesNotMatch(result.stdout, /^(root|work|var|etc)$/m);
  assert.equal(result.stderr, `cat: ${depth}etc/passwd: No such file or directory\n`);
  const project = await sh(`cat ~/${depth}${repoRoot.slice(1)}/package.json`);
  assert.equal(project.exitCode, 1);
  assert.equal(project.stdout, "");
});

test("files the shell writes stay in the sandbox, and symlinks do not lead out", async () => {
  const name = `/tmp/mesh-academy-isolation-${randomBytes(6).toString("hex")}`;
  const write = await sh(`echo secret > ${name} && cat ${name} && ln -s /etc/passwd ~/passwd && cat ~/passwd`);
  assert.match(write.stdout, /^secret\n/);
  assert.equal(existsSync(name), false, "the write reached the host's /tmp");
  assert.notEqual(write.exitCode, 0);
  assert.doesNotMatch(write.stdout, /root:/);
});
