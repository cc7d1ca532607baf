import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SANDBOX_STARTS } from "../../src/lessons/sandbox-starts.ts";
import { EmbeddedProvider } from "./embedded-provider.ts";
import { defaultStartsDir, namespaceScopedScript, prepareStart, SandboxStartError } from "./sandbox-start.ts";

test("every starting state a lesson may name has its script", () => {
  for (const start of SANDBOX_STARTS) {
    if (start === "empty") continue;
    assert.ok(existsSync(path.join(defaultStartsDir, `${start}.sh`)), `content/sandbox-starts/${start}.sh is missing`);
  }
});

test("a state's script runs like bash -e and a failure names the state and the command's error", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "starts-"));
  await writeFile(path.join(dir, "istio.sh"), "echo one\nfalse-command\necho never\n");
  const scripts: string[] = [];
  const sandbox = {
    async run(script: string) {
      scripts.push(script);
      return { stdout: "one\n", stderr: "bash: false-command: command not found\n", exitCode: 127 };
    },
  };
  await assert.rejects(prepareStart(sandbox, "istio", { startsDir: dir }), (error: unknown) => {
    assert.ok(error instanceof SandboxStartError);
    assert.match(error.message, /starting state "istio": exit status 127: bash: false-command: command not found/);
    return true;
  });
  assert.deepEqual(scripts, ["set -e\necho one\nfalse-command\necho never\n"]);
  await prepareStart(sandbox, "empty", { startsDir: dir });
  assert.equal(scripts.length, 1);
});

test("the bookinfo state leaves Istio and Bookinfo running with sidecars", async () => {
  const provider = new EmbeddedProvider({ profile: "instant" });
  const sandbox = await provider.create({});
  try {
    const steps: string[] = [];
    await prepareStart(sandbox, "bookinfo", { onProgress: ({ message }) => steps.push(message) });
    assert.deepEqual(steps, ["Installing Istio and Bookinfo"]);
    const pods = await sandbox.run("kubectl get pods -l app=productpage -o jsonpath='{.items[0].status.containerStatuses[*].ready}'");
    assert.equal(pods.stdout, "true true");
    const page = await sandbox.run('curl -s productpage.default:9080/productpage | grep -o "<title>.*</title>"');
    assert.equal(page.stdout, "<title>Simple Bookstore App</title>\n");
  } finally {
    await sandbox.dispose();
    await provider.close();
  }
});

test("on a shared cluster the provider labels the namespace and the script keeps only namespace-scoped commands", async () => {
  const scripts: string[] = [];
  const labels: Array<Record<string, string>> = [];
  const shared = {
    namespace: "learner-1",
    async labelNamespace(wanted: Record<string, string>) {
      labels.push(wanted);
    },
    async run(script: string) {
      scripts.push(script);
      return { stdout: "", stderr: "", exitCode: 0 };
    },
  };
  await prepareStart(shared, "bookinfo", { namespaceLabels: { "istio.io/rev": "canary" } });
  assert.deepEqual(labels, [{ "istio-injection": "enabled", "istio.io/rev": "canary" }]);
  const script = scripts[0] ?? "";
  assert.doesNotMatch(script, /^istioctl install/m);
  assert.doesNotMatch(script, /^kubectl label namespace/m);
  assert.match(script, /^# done by the instructor on a shared cluster: istioctl install --set profile=demo -y$/m);
  assert.match(script, /^kubectl apply -f ~\/samples\/bookinfo\/bookinfo.yaml$/m);
  assert.match(script, /^kubectl wait --for=condition=available deployment --all --timeout=300s$/m);
  // An empty start still gets the lesson's labels.
  await prepareStart(shared, "empty", { namespaceLabels: { "istio-injection": "enabled" } });
  assert.deepEqual(labels[1], { "istio-injection": "enabled" });
  assert.equal(scripts.length, 1);
});

test("a namespace-scoped script names what it left out", () => {
  const { script, skipped } = namespaceScopedScript("istioctl install -y\nkubectl label ns default a=b\nkubectl apply -f x.yaml\n");
  assert.deepEqual(skipped, ["istioctl install -y", "kubectl label ns default a=b"]);
  assert.match(script, /\nkubectl apply -f x.yaml\n$/);
});
