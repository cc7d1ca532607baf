// The cluster provider's whole lifecycle against the emulated cluster's real API endpoint,
// served by `mesh-academy sandbox` as if it were a remote cluster.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { runSandbox } from "../../cli/sandbox-command.ts";
import { kubectlOutput } from "../../sandbox/kubectl/kubectl-output.ts";
import { ClusterProvider, type ClusterSandbox } from "./cluster-provider.ts";


describe("the cluster provider on a cluster reached by a kubeconfig", () => {
  const controller = new AbortController();
  let running: Promise<number>;
  let operator: string;
  let provider: ClusterProvider;
  let alice: ClusterSandbox;
  let bob: ClusterSandbox;

  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), "cluster-provider-")), "kubeconfig");
    const out: string[] = [];
    running = runSandbox(["--kubeconfig", file, "--profile", "instant"], { out: (text) => out.push(text), err: () => {}, signal: controller.signal });
    for (let i = 0; i < 200 && out.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    operator = readFileSync(file, "utf8");
    // Istio's namespace exists on the clusters this provider serves.
    assert.equal((await kubectlOutput(operator, ["create", "namespace", "istio-system"])).code, 0);
    provider = new ClusterProvider({ kubeconfig: operator, readyTimeoutMs: 20_000 });
    // Two learners arriving at once share the one reader ClusterRole without tripping over it.
    [alice, bob] = await Promise.all([provider.create({ namespaceLabels: { "istio-injection": "enabled" } }), provider.create({})]);
  });

  after(async () => {
    await provider.close();
    controller.abort();
    await running;
  });

  it("gives each learner a namespace with a quota, limits and a running workstation", async () => {
    const ns = `learner-${alice.id}`;
    const listing = await kubectlOutput(operator, ["get", "resourcequota/learner", "limitrange/learner", "-n", ns, "-o", "name"]);
    assert.equal(listing.out, "resourcequota/learner\nlimitrange/learner\n", listing.err);
    // The workstation and the learner's account live beside it, out of the learner's reach.
    const workstation = await kubectlOutput(operator, ["get", "serviceaccount/learner", "pod/workstation", "-n", `${ns}-ws`, "-o", "name"]);
    assert.equal(workstation.out, "serviceaccount/learner\npod/workstation\n", workstation.err);
    const labels = await kubectlOutput(operator, ["get", "ns", ns, "-o", "jsonpath={.metadata.labels.istio-injection}"]);
    assert.equal(labels.out, "enabled");
    // Only the labels a lesson asks for: bob's lesson asked for none.
    assert.equal((await kubectlOutput(operator, ["get", "ns", `learner-${bob.id}`, "-o", "jsonpath={.metadata.labels.istio-injection}"])).out, "");
    const phase = await kubectlOutput(operator, ["get", "pod", "workstation", "-n", `${ns}-ws`, "-o", "jsonpath={.status.phase}"]);
    assert.equal(phase.out, "Running");
  });

  it("runs commands and a terminal in the workstation through the exec API", async () => {
    const result = await alice.run("echo from-the-workstation; exit 3");
    assert.deepEqual(result, { stdout: "from-the-workstation\n", stderr: "", exitCode: 3 });
    const tty = alice.openTty({ cols: 80, rows: 24 });
    let screen = "";
    tty.onData((data) => {
      screen += data;
    });
    tty.write("echo typed-$((6*7))\r");
    for (let i = 0; i < 200 && !screen.includes("typed-42"); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.match(screen, /typed-42/);
    tty.close();
  });

  it("labels a learner's namespace for a lesson with the operator's rights, which the learner lacks", async () => {
    const own = await kubectlOutput(bob.learnerKubeconfig, ["label", "namespace", `learner-${bob.id}`, "istio-injection=enabled"]);
    assert.equal(own.code, 1);
    assert.match(own.err, /Forbidden/);
    await bob.labelNamespace({ "istio-injection": "enabled" });
    const labels = await kubectlOutput(operator, ["get", "ns", `learner-${bob.id}`, "-o", "jsonpath={.metadata.labels.istio-injection}"]);
    assert.equal(labels.out, "enabled");
  });

  it("lets checks read the learner's namespace where lessons say default, with the learner's rights", async () => {
    assert.equal((await kubectlOutput(alice.learnerKubeconfig, ["run", "web", "--image=nginx"])).code, 0);
    const pods = await kubectlOutput(alice.kubeconfig, ["get", "pods", "-n", "default", "-o", "name"]);
    assert.equal(pods.out, "pod/web\n", pods.err);
    const namespace = await kubectlOutput(alice.kubeconfig, ["get", "namespace", "default", "-o", "jsonpath={.metadata.name} {.metadata.labels.istio-injection}"]);
    assert.equal(namespace.out, `learner-${alice.id} enabled`);
    // A watch or list over every namespace (the page's auto-check) sees the learner's own.
    const everywhere = await kubectlOutput(alice.kubeconfig, ["get", "pods", "--all-namespaces", "-o", "name"]);
    assert.equal(everywhere.out, "pod/web\n", everywhere.err);
    const elsewhere = await kubectlOutput(alice.kubeconfig, ["get", "secrets", "-n", "kube-system"]);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.err, /Forbidden/);
    const stranger = alice.kubeconfig.replace(/token: \S+/, "token: not-the-relay-token");
    assert.match((await kubectlOutput(stranger, ["get", "pods"])).err, /Unauthorized|must be logged in/);
  });

  it("scopes the learner's token to their namespace, with read access to istio-system", async () => {
    const own = await kubectlOutput(alice.learnerKubeconfig, ["get", "pods", "-o", "name"]);
    assert.equal(own.out, "pod/web\n", own.err);
    assert.equal((await kubectlOutput(alice.learnerKubeconfig, ["create", "configmap", "mine", "--from-literal=a=b"])).code, 0);
    const elsewhere = await kubectlOutput(alice.learnerKubeconfig, ["get", "secrets", "-n", "default"]);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.err, /Error from server \(Forbidden\): secrets is forbidden: User "system:serviceaccount:learner-[0-9a-f]+-ws:learner" cannot list resource "secrets" in API group "" in the namespace "default"/);
    const write = await kubectlOutput(alice.learnerKubeconfig, ["create", "configmap", "theirs", "-n", "default", "--from-literal=a=b"]);
    assert.match(write.err, /Forbidden/);
    const canI = await kubectlOutput(alice.learnerKubeconfig, ["auth", "can-i", "create", "deployments", "-n", "default"]);
    assert.equal(canI.out, "no\n");
    assert.equal((await kubectlOutput(alice.learnerKubeconfig, ["auth", "can-i", "create", "deployments"])).out, "yes\n");
    assert.equal((await kubectlOutput(alice.learnerKubeconfig, ["get", "pods", "-n", "istio-system"])).code, 0);
    assert.equal((await kubectlOutput(alice.learnerKubeconfig, ["delete", "ns", "istio-system"])).code, 1);
    // Not even the pod their own terminal runs in.
    assert.match((await kubectlOutput(alice.learnerKubeconfig, ["delete", "pod", "workstation", "-n", `learner-${alice.id}-ws`])).err, /Forbidden/);
  });

  it("keeps one learner from touching another's objects or reading their Secrets", async () => {
    assert.equal((await kubectlOutput(alice.learnerKubeconfig, ["create", "secret", "generic", "hers", "--from-literal=a=b"])).code, 0);
    const peek = await kubectlOutput(bob.learnerKubeconfig, ["get", "secret", "hers", "-n", `learner-${alice.id}`]);
    assert.equal(peek.code, 1);
    assert.match(peek.err, /Forbidden/);
    const touch = await kubectlOutput(bob.learnerKubeconfig, ["delete", "pod", "web", "-n", `learner-${alice.id}`]);
    assert.match(touch.err, /Forbidden/);
    const write = await kubectlOutput(bob.learnerKubeconfig, ["create", "configmap", "his", "-n", `learner-${alice.id}`, "--from-literal=a=b"]);
    assert.match(write.err, /Forbidden/);
    // What istioctl analyze and proxy-status read across the mesh is readable, not writable.
    assert.equal((await kubectlOutput(bob.learnerKubeconfig, ["get", "configmap", "mine", "-n", `learner-${alice.id}`])).code, 0);
    assert.equal((await kubectlOutput(bob.learnerKubeconfig, ["auth", "can-i", "create", "pods", "--subresource=portforward", "-n", "istio-system"])).out, "yes\n");
    assert.equal((await kubectlOutput(bob.learnerKubeconfig, ["auth", "can-i", "create", "pods", "--subresource=exec", "-n", "istio-system"])).out, "no\n");
  });

  it("with meshWideReads off, a learner reads nothing of other namespaces but istio-system; the shared role follows the setting", async () => {
    const strict = new ClusterProvider({ kubeconfig: operator, readyTimeoutMs: 20_000, meshWideReads: false });
    try {
      const carol = await strict.create({});
      assert.match((await kubectlOutput(carol.learnerKubeconfig, ["get", "configmap", "mine", "-n", `learner-${alice.id}`])).err, /Forbidden/);
      assert.match((await kubectlOutput(carol.learnerKubeconfig, ["get", "pods", "-n", "default"])).err, /Forbidden/);
      assert.equal((await kubectlOutput(carol.learnerKubeconfig, ["get", "pods", "-n", "istio-system"])).code, 0);
      await carol.dispose();
    } finally {
      await strict.close();
    }
    // The next session of a server with the default gets the mesh-wide reads back.
    const dave = await new ClusterProvider({ kubeconfig: operator, readyTimeoutMs: 20_000 }).create({});
    try {
      assert.equal((await kubectlOutput(dave.learnerKubeconfig, ["get", "configmap", "mine", "-n", `learner-${alice.id}`])).code, 0);
    } finally {
      await dave.dispose();
    }
  });

  it("deletes what a session created when it ends, and sweeps leftovers after a restart", async () => {
    await alice.dispose();
    const config = new KubeConfig();
    config.loadFromString(operator);
    const core = config.makeApiClient(CoreV1Api);
    const namespace = await core.readNamespace({ name: `learner-${alice.id}` }).catch(() => undefined);
    assert.ok(namespace === undefined || namespace.metadata?.deletionTimestamp !== undefined);
    const bindings = await config.makeApiClient(RbacAuthorizationV1Api).listClusterRoleBinding({ labelSelector: `mesh-academy.dev/session=${alice.id}` });
    assert.equal(bindings.items.length, 0);
    // A new server process holds no sessions: bob's namespace is a leftover.
    const restarted = new ClusterProvider({ kubeconfig: operator });
    assert.equal(await restarted.sweep(), 1);
    const left = await core.readNamespace({ name: `learner-${bob.id}` }).catch(() => undefined);
    assert.ok(left === undefined || left.metadata?.deletionTimestamp !== undefined);
  });
});
