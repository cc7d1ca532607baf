import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { InMemoryFs } from "just-bash";
import { ClusterHost } from "../../cluster/cluster-host.ts";
import type { Cluster } from "../../cluster/create-cluster.ts";
import { renderKubeconfig } from "../../cluster/kubeconfig.ts";
import type { ClusterCatalog } from "./cluster-catalog.ts";
import { ShellCompleter } from "./shell-completer.ts";
import type { CompletionResult } from "./shell-completer.ts";

const HOME = "/home/learner";
const ENV = { HOME, PATH: "/usr/bin:/bin" };

function values(result: CompletionResult): string[] {
  return result.candidates.map((candidate) => candidate.value);
}

async function filesystem(files: Record<string, string>): Promise<InMemoryFs> {
  const fs = new InMemoryFs();
  for (const [path, content] of Object.entries(files)) {
    await fs.mkdir(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
    await fs.writeFile(path, content);
  }
  return fs;
}

describe("ShellCompleter", () => {
  const host = new ClusterHost();
  let cluster: Cluster;
  let server = "";
  let fs: InMemoryFs;
  let completer: ShellCompleter;
  const complete = (line: string, cwd = HOME, env: Record<string, string> = ENV) =>
    completer.complete({ line, cursor: line.length, cwd, env });

  before(async () => {
    cluster = host.create("complete", { profile: "none", seed: "completion", anonymousUser: "admin" });
    await host.listen({ port: 0 });
    server = host.url("complete");
    const ns = cluster.api.resource("", "v1", "namespaces");
    const pods = cluster.api.resource("", "v1", "pods");
    const deployments = cluster.api.resource("apps", "v1", "deployments");
    cluster.api.create(ns, "", { metadata: { name: "bookinfo" } });
    const pod = (name: string) => ({
      metadata: { name },
      spec: { containers: [{ name: "app", image: "busybox" }, { name: "istio-proxy", image: "proxyv2" }] },
    });
    cluster.api.create(pods, "default", pod("web-1"));
    cluster.api.create(pods, "default", pod("web-2"));
    cluster.api.create(pods, "bookinfo", pod("ratings-v1"));
    cluster.api.create(deployments, "bookinfo", {
      metadata: { name: "reviews-v1" },
      spec: { selector: { matchLabels: { app: "reviews" } }, template: { metadata: { labels: { app: "reviews" } }, spec: { containers: [{ name: "r", image: "reviews" }] } } },
    });
    fs = await filesystem({
      [`${HOME}/.kube/config`]: renderKubeconfig({ server, token: "t" }),
      [`${HOME}/other.kubeconfig`]: renderKubeconfig({ server, token: "t", name: "lab", namespace: "bookinfo" }),
      [`${HOME}/samples/bookinfo/platform.yaml`]: "x",
      [`${HOME}/samples/bookinfo/networking.yaml`]: "x",
      [`${HOME}/samples/httpbin.yaml`]: "x",
      [`${HOME}/my files/a b.txt`]: "x",
      [`${HOME}/.hidden`]: "x",
      "/usr/bin/kubectl": "stub",
      "/usr/bin/kill": "stub",
      "/usr/bin/__plumbing": "stub",
    });
    completer = new ShellCompleter({ fs, hiddenCommands: new Set(["__plumbing"]) });
  });
  after(() => host.close());

  it("completes command names from builtins, keywords and $PATH, hiding plumbing", async () => {
    assert.deepEqual(values(await complete("ku")), ["kubectl"]);
    assert.deepEqual(values(await complete("ki")), ["kill"]);
    assert.ok(values(await complete("")).includes("cd"));
    assert.deepEqual(values(await complete("__")), []);
    assert.deepEqual(values(await complete("echo hi; ku")), ["kubectl"]);
    assert.deepEqual(values(await complete("FOO=1 ku")), ["kubectl"]);
  });

  it("completes paths relative to the cwd and ~, directories with a slash, dot files only when asked", async () => {
    assert.deepEqual(values(await complete("cat sa")), ["samples/"]);
    const inside = await complete("cat samples/");
    assert.deepEqual(values(inside), ["samples/bookinfo/", "samples/httpbin.yaml"]);
    assert.deepEqual(inside.candidates.map((candidate) => candidate.display), ["bookinfo/", "httpbin.yaml"]);
    assert.deepEqual(values(await complete("cat ../learner/samples/h")), ["../learner/samples/httpbin.yaml"]);
    assert.deepEqual(values(await complete("cat bookinfo/p", `${HOME}/samples`)), ["bookinfo/platform.yaml"]);
    assert.deepEqual(values(await complete("ls ~/samples/b", "/tmp")), ["~/samples/bookinfo/"]);
    assert.deepEqual(values(await complete("cat .h")), [".hidden"]);
    assert.equal(values(await complete("cat ")).includes(".hidden"), false);
    assert.deepEqual(values(await complete("cd s")), ["samples/"]);
    assert.deepEqual(values(await complete("echo > samples/h")), ["samples/httpbin.yaml"]);
  });

  it("unquotes the word being completed and reports where it starts", async () => {
    const escaped = await complete("cat my\\ files/a");
    assert.deepEqual(values(escaped), ["my files/a b.txt"]);
    assert.equal(escaped.start, 4);
    const quoted = await complete("cat 'my files/");
    assert.equal(quoted.quote, "'");
    assert.deepEqual(values(quoted), ["my files/a b.txt"]);
  });

  it("completes kubectl commands, subcommands, flags and output formats", async () => {
    assert.deepEqual(values(await complete("kubectl ge")), ["get"]);
    assert.deepEqual(values(await complete("/usr/bin/kubectl ge")), ["get"]);
    assert.deepEqual(values(await complete("kubectl get pods | ki")), ["kill"]);
    assert.deepEqual(values(await complete("kubectl rollout re")), ["restart", "resume"]);
    assert.deepEqual(values(await complete("kubectl config use-")), ["use-context"]);
    assert.deepEqual(values(await complete("kubectl config use-context ")), ["mesh-academy"]);
    assert.deepEqual(values(await complete("kubectl get -o ya")), ["yaml"]);
    assert.deepEqual(values(await complete("kubectl get pods --output=j")), ["--output=json", "--output=jsonpath-as-json=", "--output=jsonpath-file=", "--output=jsonpath="]);
    assert.ok(values(await complete("kubectl get --all")).includes("--all-namespaces"));
    assert.deepEqual(values(await complete("kubectl apply -f samples/bookinfo/p")), ["samples/bookinfo/platform.yaml"]);
  });

  it("completes resource kinds from discovery: names, singular names and short names", async () => {
    const kinds = values(await complete("kubectl get deploy"));
    assert.deepEqual(kinds, ["deploy", "deployment", "deployments"]);
    assert.deepEqual(values(await complete("kubectl describe po")), ["po", "pod", "poddisruptionbudget", "poddisruptionbudgets", "pods"]);
    assert.ok(values(await complete("kubectl get ")).includes("svc"));
  });

  it("completes object names of the kind before the cursor, in the -n namespace or the context's", async () => {
    assert.deepEqual(values(await complete("kubectl logs ")), ["web-1", "web-2"]);
    assert.deepEqual(values(await complete("kubectl logs -n bookinfo ")), ["ratings-v1"]);
    assert.deepEqual(values(await complete("kubectl describe deploy -n bookinfo r")), ["reviews-v1"]);
    assert.deepEqual(values(await complete("kubectl get deployments.apps --namespace=bookinfo ")), ["reviews-v1"]);
    assert.deepEqual(values(await complete("kubectl logs -n bookinfo deploy/")), ["deploy/reviews-v1"]);
    assert.deepEqual(values(await complete("kubectl get ns book")), ["bookinfo"]);
    assert.deepEqual(values(await complete("kubectl get pods -n b")), ["bookinfo"]);
    const context = { ...ENV, KUBECONFIG: `${HOME}/other.kubeconfig` };
    assert.deepEqual(values(await complete("kubectl exec ", HOME, context)), ["ratings-v1"]);
    assert.deepEqual(values(await complete("kubectl exec -n default w", HOME, context)), ["web-1", "web-2"]);
  });

  it("completes variable names, a directory's with a slash, and says to insert them unquoted", async () => {
    const env = { ...ENV, SAMPLES: `${HOME}/samples`, GATEWAY_URL: "http://x", GATEKEEPER: "1" };
    const samples = await complete("cd $SAM", HOME, env);
    assert.deepEqual(values(samples), ["$SAMPLES/"]);
    assert.equal(samples.verbatim, true);
    assert.deepEqual(values(await complete('echo "$GATE', HOME, env)), ["$GATEKEEPER", "$GATEWAY_URL"]);
    assert.deepEqual(values(await complete("echo '$GATE", HOME, env)), []);
  });

  it("completes the containers of the pod on the line after -c", async () => {
    assert.deepEqual(values(await complete("kubectl logs web-1 -c ")), ["app", "istio-proxy"]);
    assert.deepEqual(values(await complete("kubectl exec -n bookinfo ratings-v1 --container=i")), ["--container=istio-proxy"]);
    assert.deepEqual(values(await complete("kubectl logs -c ")), []);
    assert.deepEqual(values(await complete("kubectl logs no-such-pod -c ")), []);
  });

  it("lists names of every namespace with -A", async () => {
    assert.deepEqual(values(await complete("kubectl get pods -A ")), ["ratings-v1", "web-1", "web-2"]);
    assert.deepEqual(values(await complete("kubectl get pods --all-namespaces r")), ["ratings-v1"]);
  });

  it("completes istioctl commands, proxy-config sections, pods, flags and profiles", async () => {
    assert.deepEqual(values(await complete("istioctl pro")), ["proxy-config", "proxy-status"]);
    assert.deepEqual(values(await complete("istioctl proxy-config r")), ["rootca-compare", "route"]);
    assert.deepEqual(values(await complete("istioctl pc cluster ")), ["web-1", "web-2"]);
    assert.deepEqual(values(await complete("istioctl proxy-config routes -n bookinfo ")), ["ratings-v1"]);
    assert.deepEqual(values(await complete("istioctl x describe pod -n bookinfo ")), ["ratings-v1"]);
    assert.deepEqual(values(await complete("istioctl install --set profile=de")), ["profile=default", "profile=demo"]);
    assert.deepEqual(values(await complete("istioctl analyze -n book")), ["bookinfo"]);
    assert.ok(values(await complete("istioctl analyze --")).includes("--all-namespaces"));
    assert.deepEqual(values(await complete("istioctl proxy-config cluster web-1 ")), []);
  });

  it("answers without the cluster when a lookup hangs or there is no kubeconfig", async () => {
    const hanging: ClusterCatalog = {
      namespace: "default",
      listContainers: () => new Promise(() => {}),
      listKinds: () => new Promise(() => {}),
      listNames: (_kind, _namespace, signal) =>
        new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason))),
    };
    const slow = new ShellCompleter({ fs, catalog: () => hanging, lookupTimeoutMs: 20 });
    const request = (line: string) => slow.complete({ line, cursor: line.length, cwd: HOME, env: ENV });
    assert.deepEqual(values(await request("kubectl get ")), []);
    assert.deepEqual(values(await request("kubectl logs w")), []);
    assert.deepEqual(values(await request("kubectl get -o js")), ["json", "jsonpath-as-json=", "jsonpath-file=", "jsonpath="]);
    const none = await completer.complete({ line: "kubectl logs ", cursor: 13, cwd: HOME, env: { ...ENV, KUBECONFIG: "/nowhere" } });
    assert.deepEqual(values(none), []);
  });
});
