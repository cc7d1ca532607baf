import { test } from "node:test";
import assert from "node:assert/strict";
import { ShellHost } from "./shell-host.ts";

const small = { limits: { maxCommandCount: 20_000 } };

test("env, cwd and $? carry over from one command line to the next in a session", async (t) => {
  const host = await ShellHost.start({ options: small });
  t.after(() => host.dispose());
  const first = await host.exec("export GATEWAY_URL=http://10.0.0.1; NAME=x; mkdir -p work && cd work; false", { session: "s" }).result;
  assert.equal(first.exitCode, 1);
  assert.equal(first.cwd, "/home/learner/work");
  const second = await host.exec('echo "$? $GATEWAY_URL $NAME $(pwd)"; cd -', { session: "s" }).result;
  assert.equal(second.stdout, "1 http://10.0.0.1 x /home/learner/work\n/home/learner\n");
  const other = await host.exec('echo "[$GATEWAY_URL] $(pwd)"', { session: "other" }).result;
  assert.equal(other.stdout, "[] /home/learner\n", "another session starts from the login environment");
  const inherited = await host.exec('echo "$GATEWAY_URL"; cd /tmp', { inheritFrom: "s" }).result;
  assert.equal(inherited.stdout, "http://10.0.0.1\n");
  const after = await host.exec("pwd", { session: "s" }).result;
  assert.equal(after.stdout, "/home/learner\n", "an inheriting command does not change the session");
});

test("exit ends the session; limits and syntax errors do not", async (t) => {
  const host = await ShellHost.start({ options: small });
  t.after(() => host.dispose());
  const loop = await host.exec("while true; do :; done", { session: "s" }).result;
  assert.equal(loop.exited, false);
  assert.notEqual(loop.exitCode, 0);
  assert.match(loop.stderr, /^bash: stopped after 20000 commands/);
  const syntax = await host.exec("echo (", { session: "s" }).result;
  assert.equal(syntax.exited, false);
  assert.match(syntax.stderr, /syntax error/);
  const exit = await host.exec("echo bye; exit 3", { session: "s" }).result;
  assert.deepEqual([exit.exited, exit.exitCode, exit.stdout], [true, 3, "bye\n"]);
});

test("interrupting stops a sleep and a busy loop with status 130", async (t) => {
  const host = await ShellHost.start({ options: { limits: { maxCommandCount: 50_000_000, maxLoopIterations: 50_000_000 } } });
  t.after(() => host.dispose());
  const sleeping = host.exec("sleep 100; echo not reached", { session: "s" });
  setTimeout(() => sleeping.interrupt(), 20);
  const slept = await sleeping.result;
  assert.deepEqual([slept.exitCode, slept.stdout, slept.exited], [130, "", false]);

  const controller = new AbortController();
  const looping = host.exec("while true; do :; done; echo not reached", { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  const looped = await looping.result;
  assert.deepEqual([looped.exitCode, looped.stdout], [130, ""]);
  const status = await host.exec("echo $?", { session: "s" }).result;
  assert.equal(status.stdout, "130\n");
});

test("one sandbox's busy loop does not hold up another sandbox or the main thread", async (t) => {
  const [a, b] = await Promise.all([
    ShellHost.start({ options: { limits: { maxCommandCount: 300_000, maxLoopIterations: 300_000 } } }),
    ShellHost.start(),
  ]);
  t.after(() => Promise.all([a.dispose(), b.dispose()]));
  const events: string[] = [];
  const loop = a.exec("while true; do :; done").result.then((r) => {
    events.push("a-loop-ended");
    return r;
  });
  // Give A's worker a moment to be inside the loop before B starts.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const timer = new Promise<void>((resolve) => setTimeout(() => {
    events.push("main-timer");
    resolve();
  }, 0));
  const quick = b.exec("echo quick").result.then((r) => {
    events.push("b-done");
    return r;
  });
  const [looped, quickResult] = await Promise.all([loop, quick, timer]);
  assert.equal(quickResult.stdout, "quick\n");
  assert.match(looped.stderr, /stopped after 300000 commands/);
  assert.equal(events.at(-1), "a-loop-ended", `order: ${events.join(", ")}`);
});

test("sandboxes are isolated from each other and from the host", async (t) => {
  const [a, b] = await Promise.all([ShellHost.start(), ShellHost.start()]);
  t.after(() => Promise.all([a.dispose(), b.dispose()]));
  await a.exec("echo secret > ~/mine.txt").result;
  const seen = await a.exec("cat ~/mine.txt").result;
  assert.equal(seen.stdout, "secret\n");
  const unseen = await b.exec("cat /home/learner/mine.txt").result;
  assert.notEqual(unseen.exitCode, 0);
  assert.equal(unseen.stdout, "");
  const hostFiles = await a.exec(`cat /etc/passwd; cat ${process.cwd()}/package.json; ls /work 2>&1`).result;
  assert.equal(hostFiles.stdout.includes("root:"), false);
  assert.equal(hostFiles.stdout.includes("mesh-academy"), false);
  assert.match(hostFiles.stderr, /\/etc\/passwd: No such file or directory/);
  const net = await a.exec("curl -s http://example.com").result;
  assert.notEqual(net.exitCode, 0, "there is no network command");
});

test("stty and tput report the size the command ran with", async (t) => {
  const host = await ShellHost.start();
  t.after(() => host.dispose());
  const sized = await host.exec('stty size; tput cols; tput lines; echo "$COLUMNS x $LINES"', { size: { cols: 132, rows: 43 } }).result;
  assert.equal(sized.stdout, "43 132\n132\n43\n132 x 43\n");
  const clear = await host.exec("tput clear; clear").result;
  assert.equal(clear.stdout, "\x1b[H\x1b[2J\x1b[3J".repeat(2));
});

test("snapshot returns files, env and cwd as plain data", async (t) => {
  const host = await ShellHost.start({ files: { "/home/learner/samples/a.yaml": "kind: Pod\n" } });
  t.after(() => host.dispose());
  await host.exec("export K=v; mkdir d; printf '\\x00\\xff' > d/bin; cd d", { session: "s" }).result;
  const snap = await host.snapshot();
  const json = JSON.parse(JSON.stringify(snap)) as typeof snap;
  assert.deepEqual(json, snap, "survives JSON");
  const byPath = new Map(snap.files.map((f) => [f.path, f]));
  assert.equal(Buffer.from(byPath.get("/home/learner/samples/a.yaml")?.content ?? "", "base64").toString(), "kind: Pod\n");
  assert.equal(byPath.get("/home/learner/d")?.kind, "directory");
  assert.equal(byPath.get("/home/learner/d/bin")?.kind, "file");
  assert.equal(snap.sessions.s?.cwd, "/home/learner/d");
  assert.equal(snap.sessions.s?.env.K, "v");
});

test("after dispose, commands fail with a coded error", async () => {
  const host = await ShellHost.start();
  await host.dispose();
  await assert.rejects(host.exec("true").result, { code: "SHELL_DISPOSED" });
});
