import { test } from "node:test";
import assert from "node:assert/strict";
import { EMBEDDED_SNAPSHOT_KIND, EmbeddedProvider } from "./embedded-provider.ts";

test("a sandbox reports progress, has the samples, runs commands and ends its tty on dispose", async () => {
  const steps: number[] = [];
  const provider = new EmbeddedProvider({ shell: { maxCommandCount: 10_000 } });
  const sandbox = await provider.create({ onProgress: (step) => steps.push(step.progress) });
  assert.equal(steps.at(-1), 1);
  assert.deepEqual([...steps].sort((a, b) => a - b), steps);

  const listing = await sandbox.run("ls ~/samples/httpbin");
  assert.match(listing.stdout, /httpbin\.yaml/);

  const tty = sandbox.openTty({ cols: 80, rows: 24 });
  let output = "";
  const sawPrompt = new Promise<void>((resolve) =>
    tty.onData((data) => {
      output += data;
      if (output.includes("exported")) resolve();
    }),
  );
  tty.write("export GATEWAY_URL=http://192.0.2.7; cd samples; echo exported\r");
  await sawPrompt;
  const check = await sandbox.run('echo "$GATEWAY_URL $(pwd)"; cd /; echo in | cat', { stdin: "ignored" });
  assert.equal(check.stdout, "http://192.0.2.7 /home/learner/samples\nin\n");

  const stdin = await sandbox.run("wc -l", { stdin: "a\nb\n" });
  assert.equal(stdin.stdout.trim(), "2");

  const controller = new AbortController();
  const slow = sandbox.run("sleep 100", { signal: controller.signal });
  controller.abort();
  assert.equal((await slow).exitCode, 130);

  const snapshot = await sandbox.snapshot();
  assert.equal(snapshot.kind, EMBEDDED_SNAPSHOT_KIND);

  const exited = new Promise<number>((resolve) => tty.onExit(resolve));
  await sandbox.dispose();
  assert.equal(typeof (await exited), "number");
  await assert.rejects(sandbox.run("true"), { code: "SHELL_DISPOSED" });
  await provider.close();
});

test("two sandboxes do not see each other's files", async () => {
  const provider = new EmbeddedProvider({ profile: "instant" });
  const [a, b] = await Promise.all([provider.create({}), provider.create({})]);
  try {
    assert.notEqual(a.id, b.id);
    await a.run("echo mine > ~/only-a.txt");
    assert.equal((await a.run("cat ~/only-a.txt")).stdout, "mine\n");
    assert.notEqual((await b.run("cat ~/only-a.txt")).exitCode, 0);
    await a.run("kubectl create namespace only-a");
    assert.equal((await a.run("kubectl get ns only-a -o name")).stdout, "namespace/only-a\n");
    const other = await b.run("kubectl get ns only-a -o name");
    assert.equal(other.stderr, 'Error from server (NotFound): namespaces "only-a" not found\n');
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
    await provider.close();
  }
});

test("the kubeconfig a sandbox hands out reads its cluster as admin", async () => {
  const provider = new EmbeddedProvider({ profile: "instant" });
  const sandbox = await provider.create({});
  try {
    const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
    const config = new KubeConfig();
    config.loadFromString(sandbox.kubeconfig);
    const pods = await config.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: "mesh-academy" });
    assert.deepEqual(pods.items.map((pod) => pod.metadata?.name), ["workstation"]);
  } finally {
    await sandbox.dispose();
    await provider.close();
  }
});

test("a warm pool hands out a started sandbox at once and refills itself", async () => {
  const provider = new EmbeddedProvider({ profile: "instant", warmSandboxes: 1 });
  provider.warmUp();
  try {
    // The pool's sandbox starts in the background; wait until a create() needs no start.
    let steps: string[] = [];
    for (let attempt = 0; attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      steps = [];
      const sandbox = await provider.create({ onProgress: ({ message }) => steps.push(message) });
      const kubectl = await sandbox.run("kubectl get pod workstation -n mesh-academy -o name");
      assert.equal(kubectl.stdout, "pod/workstation\n");
      await sandbox.dispose();
      if (steps.length === 1) break;
    }
    assert.deepEqual(steps, ["Workstation ready"]);
  } finally {
    await provider.close();
  }
});

test("a sandbox restored from its snapshot has the learner's objects, files, env, cwd and history, and kubectl reaches the new cluster", { timeout: 60_000 }, async (t) => {
  const provider = new EmbeddedProvider({ profile: "instant" });
  t.after(() => provider.close());
  const original = await provider.create({});
  const tty = original.openTty({ cols: 80, rows: 24 });
  let output = "";
  const done = new Promise<void>((resolve) =>
    tty.onData((data) => {
      output += data;
      // The command's output, not the echo of the typed line.
      if (output.includes("\r\nready-to-save")) resolve();
    }),
  );
  tty.write("kubectl create namespace kept && kubectl create configmap notes -n kept --from-literal=k=v; mkdir -p ~/work && cd ~/work && echo 'hello again' > note.txt && export LESSON_VAR=42; echo ready-to-save\r");
  await done;
  const snapshot = JSON.parse(JSON.stringify(await original.snapshot())) as Awaited<ReturnType<typeof original.snapshot>>;
  assert.equal(snapshot.kind, EMBEDDED_SNAPSHOT_KIND);
  await original.dispose();

  const restored = await provider.restore(snapshot);
  t.after(() => restored.dispose());
  assert.notEqual(restored.id, original.id);
  // The first interactive shell picks up where the saved one was.
  const shell = restored.openTty({ cols: 80, rows: 24 });
  let seen = "";
  const answered = new Promise<void>((resolve) =>
    shell.onData((data) => {
      seen += data;
      if (/state: 42 \/home\/learner\/work hello again/.test(seen)) resolve();
    }),
  );
  // The first prompt already shows the restored working directory.
  await waitFor(() => seen.includes("~/work"));
  shell.write('echo "state: $LESSON_VAR $(pwd) $(cat note.txt)"\r');
  await answered;
  // ↑ twice reaches the command typed before the restart: the history came back too.
  const before = seen.length;
  shell.write("\x1b[A\x1b[A");
  await waitFor(() => seen.slice(before).includes("echo ready-to-save"));
  shell.write("\x03");
  const configMap = await restored.run("kubectl get configmap notes -n kept -o jsonpath='{.data.k}'");
  assert.equal(configMap.stderr, "");
  assert.equal(configMap.stdout, "v");
});

test("restore refuses a snapshot of another kind or shape", async (t) => {
  const provider = new EmbeddedProvider({ profile: "instant" });
  t.after(() => provider.close());
  await assert.rejects(provider.restore({ kind: "embedded-shell/v1", data: {} }), { code: "SNAPSHOT_INVALID" });
  await assert.rejects(provider.restore({ kind: EMBEDDED_SNAPSHOT_KIND, data: { objects: "nope" } }), { code: "SNAPSHOT_INVALID" });
});

/** Resolves once `ready` holds, checking as output arrives (the test's timeout bounds it). */
async function waitFor(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 20));
}
