import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Sandbox } from "../providers/sandbox-provider.ts";
import { EmbeddedProvider } from "../providers/embedded-provider.ts";
import { check } from "./check.ts";
import type { Check, CheckResult } from "./check-types.ts";
import { runChecks } from "./run-checks.ts";

// One sandbox for the whole file: Istio installed, namespace `shop` with injection and
// httpbin + sleep, namespace `plain` with a deployment that predates its injection label.
let provider: EmbeddedProvider;
let sandbox: Sandbox;

async function sh(command: string): Promise<string> {
  const result = await sandbox.run(command);
  assert.equal(result.exitCode, 0, `${command}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function one(subject: Check): Promise<CheckResult> {
  const [result] = await runChecks([subject], sandbox);
  assert.ok(result);
  return result;
}

before(async () => {
  provider = new EmbeddedProvider({ profile: "instant" });
  sandbox = await provider.create({});
  await sh("istioctl install -y >/dev/null 2>&1");
  await sh("kubectl create namespace shop && kubectl label namespace shop istio-injection=enabled");
  await sh("kubectl apply -n shop -f ~/samples/httpbin/httpbin.yaml");
  await sh("kubectl create deployment sleep -n shop --image=curlimages/curl -- sleep infinity");
  await sh("kubectl create namespace plain && kubectl create deployment web -n plain --image=docker.io/mccutchen/go-httpbin:v2.15.0");
  await sh("kubectl label namespace plain istio-injection=enabled");
  await sh("kubectl rollout status -n shop deploy/httpbin && kubectl rollout status -n shop deploy/sleep && kubectl rollout status -n plain deploy/web");
});

after(async () => {
  await sandbox.dispose();
  await provider.close();
});

describe("object checks", () => {
  it("exists: says the object is missing and how to create a namespace", async () => {
    assert.deepEqual(await one(check.exists({ kind: "Namespace", name: "shop" })), { check: "Namespace shop exists", status: "passed" });
    assert.deepEqual(await one(check.exists({ kind: "Namespace", name: "orders" })), {
      check: "Namespace orders exists",
      status: "failed",
      message: "Namespace orders does not exist yet. Run: `kubectl create namespace orders`",
    });
    const missing = await one(check.exists({ kind: "VirtualService", namespace: "shop", name: "reviews" }, { fix: "kubectl apply -f ~/samples/reviews.yaml" }));
    assert.equal(missing.message, "VirtualService reviews in namespace shop does not exist yet. Run: `kubectl apply -f ~/samples/reviews.yaml`");
  });

  it("gone: passes once the object is deleted", async () => {
    await sh("kubectl create configmap leftover -n shop --from-literal=a=b");
    const subject = check.gone({ kind: "ConfigMap", namespace: "shop", name: "leftover" });
    assert.deepEqual(await one(subject), {
      check: "ConfigMap leftover in namespace shop is gone",
      status: "failed",
      message: "ConfigMap leftover in namespace shop still exists. Run: `kubectl delete configmap leftover -n shop`",
    });
    await sh("kubectl delete configmap leftover -n shop");
    assert.equal((await one(subject)).status, "passed");
  });

  it("labelEquals: the issue's own example, a wrong value, and a missing object", async () => {
    const injected = { why: "so new pods get no sidecar" };
    assert.deepEqual(await one(check.labelEquals({ kind: "Namespace", name: "default" }, "istio-injection", "enabled", injected)), {
      check: "Namespace default has label istio-injection=enabled",
      status: "failed",
      message: "Namespace default has no `istio-injection` label, so new pods get no sidecar. Run: `kubectl label namespace default istio-injection=enabled`",
    });
    assert.equal(
      (await one(check.labelEquals({ kind: "Namespace", name: "shop" }, "istio-injection", "disabled"))).message,
      "Namespace shop has the label `istio-injection=enabled`, not `istio-injection=disabled`. Run: `kubectl label namespace shop istio-injection=disabled --overwrite`",
    );
    assert.equal((await one(check.labelEquals({ kind: "Namespace", name: "shop" }, "istio-injection", "enabled"))).status, "passed");
    assert.match((await one(check.labelEquals({ kind: "Namespace", name: "nope" }, "a", "b"))).message ?? "", /^Namespace nope does not exist yet, so it cannot carry the label `a=b`\. Run: `kubectl create namespace nope`$/);
  });

  it("annotationEquals reads annotations, not labels", async () => {
    const ref = { kind: "Deployment", namespace: "shop", name: "httpbin" };
    const subject = check.annotationEquals(ref, "owner", "team-a");
    assert.equal((await one(subject)).message, "Deployment httpbin in namespace shop has no `owner` annotation. Run: `kubectl annotate deployment httpbin -n shop owner=team-a`");
    await sh("kubectl annotate deployment httpbin -n shop owner=team-a");
    assert.equal((await one(subject)).status, "passed");
  });

  it("conditionTrue: a present True condition passes, a missing one is named", async () => {
    assert.equal((await one(check.conditionTrue({ kind: "Deployment", namespace: "shop", name: "httpbin" }, "Available"))).status, "passed");
    const other = await one(check.conditionTrue({ kind: "Deployment", namespace: "shop", name: "httpbin" }, "ReplicaFailure"));
    assert.equal(other.message, "Deployment httpbin in namespace shop does not report a ReplicaFailure condition yet.");
  });
});

describe("workload checks", () => {
  it("podsReady counts containers, sidecars included", async () => {
    assert.equal((await one(check.podsReady({ namespace: "shop", selector: "app=httpbin", containers: 2 }))).status, "passed");
    assert.match((await one(check.podsReady({ namespace: "plain", selector: "app=web", containers: 2 }))).message ?? "", /^Pod web-[a-z0-9]+-[a-z0-9]{5} has 1 container, not 2 \(the sidecar is missing\)\.$/);
    assert.equal((await one(check.podsReady({ namespace: "shop", selector: "app=ratings" }))).message, "No pods matching `app=ratings` in namespace shop exist yet.");
  });

  it("sidecarInjected explains that pods made before the label need a restart", async () => {
    assert.equal((await one(check.sidecarInjected({ namespace: "shop", selector: "app=httpbin" }))).status, "passed");
    const bare = await one(check.sidecarInjected({ namespace: "plain", selector: "app=web", deployment: "web" }));
    assert.match(
      bare.message ?? "",
      /^Pod web-\S+ has no istio-proxy sidecar, because injection happens only when a pod is created: label the namespace, then restart the workload\. Run: `kubectl rollout restart deployment\/web -n plain`$/,
    );
    await sh("kubectl rollout restart deployment/web -n plain && kubectl rollout status deployment/web -n plain");
    let result = await one(check.sidecarInjected({ namespace: "plain", selector: "app=web" }));
    for (let i = 0; i < 20 && result.status !== "passed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await one(check.sidecarInjected({ namespace: "plain", selector: "app=web" }));
    }
    assert.equal(result.status, "passed");
  });

  it("rolledOut passes for a finished rollout and names a missing deployment", async () => {
    assert.equal((await one(check.rolledOut({ namespace: "shop", name: "httpbin" }))).status, "passed");
    assert.equal((await one(check.rolledOut({ namespace: "shop", name: "reviews" }))).message, "Deployment reviews in namespace shop does not exist yet.");
  });
});

describe("probe checks", () => {
  it("analyzeClean passes for a clean namespace and lists istioctl's messages otherwise", async () => {
    assert.equal((await one(check.analyzeClean("shop"))).status, "passed");
    await sh(
      "kubectl apply -f - <<'EOF'\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: broken\n  namespace: plain\nspec:\n  hosts: [web]\n  http:\n  - route:\n    - destination:\n        host: nowhere\nEOF",
    );
    const broken = await one(check.analyzeClean("plain"));
    assert.equal(broken.status, "failed");
    assert.match(broken.message ?? "", /^`istioctl analyze -n plain` reports Error \[IST0101\] \(VirtualService plain\/broken\) Referenced host not found: "nowhere", see the full list with that command\.$/);
  });

  it("httpResponds sends from the workstation or from a pod and compares status, body and headers", async () => {
    const teapot = check.httpResponds({ url: "http://httpbin.shop:8000/status/418", status: 418, body: "teapot", responseHeaders: { server: "istio-envoy" } });
    assert.deepEqual(await one(teapot), { check: teapot.name, status: "passed" });
    assert.equal(teapot.name, "GET http://httpbin.shop:8000/status/418 from the workstation answers status 418, the expected body, the expected headers");
    const wrong = await one(check.httpResponds({ url: "http://httpbin.shop:8000/status/418", status: 200 }));
    assert.equal(wrong.message, "`GET http://httpbin.shop:8000/status/418` from the workstation answered 418, not 200.");
    const fromPod = check.httpResponds({ from: { namespace: "shop", selector: "app=sleep" }, url: "http://httpbin:8000/headers", headers: { "x-lesson": "welcome" }, body: /"X-Lesson"/i });
    assert.equal((await one(fromPod)).status, "passed");
    const noPod = await one(check.httpResponds({ from: { namespace: "shop", selector: "app=ghost" }, url: "http://httpbin:8000/" }));
    assert.equal(noPod.message, "No Ready pod matches `app=ghost` in namespace shop, so there is nothing to send the request from.");
    const nowhere = await one(check.httpResponds({ url: "http://no-such-host.shop:8000/", status: 200 }));
    assert.match(nowhere.message ?? "", /^`GET http:\/\/no-such-host\.shop:8000\/` from the workstation got no HTTP answer \(.+\)\.$/);
  });

  it("custom checks are plain TypeScript over the same clients", async () => {
    const twoNamespaces = check.custom("at least two namespaces carry istio-injection", async (context) => {
      const list = await context.core.listNamespace({ labelSelector: "istio-injection=enabled" });
      return list.items.length >= 2 ? context.pass() : context.fail(`Only ${list.items.length} namespace has injection on.`);
    });
    assert.equal((await one(twoNamespaces)).status, "passed");
  });
});
