import assert from "node:assert/strict";
import { test } from "node:test";
import { lessonSchema } from "./lesson-schema.ts";

const base = { title: "T", summary: "S", duration: 5, order: 1 };

test("a lesson declares the labels its namespace needs and its cluster-scoped steps", () => {
  const parsed = lessonSchema.parse({
    ...base,
    sandbox: {
      start: "istio",
      namespaceLabels: { "istio-injection": "enabled", "istio.io/rev": "canary" },
      clusterSteps: { "install-istio": "kubectl get pods -n istio-system" },
    },
  });
  assert.deepEqual(parsed.sandbox.namespaceLabels, { "istio-injection": "enabled", "istio.io/rev": "canary" });
  assert.deepEqual(parsed.sandbox.clusterSteps, { "install-istio": "kubectl get pods -n istio-system" });
  assert.equal(lessonSchema.parse({ ...base, sandbox: { start: "empty" } }).sandbox.clusterSteps, undefined);
});

test("labels outside Istio's keys and malformed step ids are refused with the fix", () => {
  for (const sandbox of [
    { start: "empty", namespaceLabels: { "pod-security.kubernetes.io/enforce": "privileged" } },
    { start: "empty", namespaceLabels: { "app.kubernetes.io/managed-by": "someone" } },
    { start: "empty", namespaceLabels: { "istio-injection": "not a value" } },
    { start: "empty", clusterSteps: { "Install Istio": "kubectl get pods -n istio-system" } },
    { start: "empty", clusterSteps: { "install-istio": "" } },
  ]) {
    const result = lessonSchema.safeParse({ ...base, sandbox });
    assert.equal(result.success, false, JSON.stringify(sandbox));
    assert.match(result.error?.issues[0]?.message ?? "", /e\.g\. (namespaceLabels|clusterSteps)/);
  }
});

test("a lesson that needs a cluster of its own says why, and what a learner may still try", () => {
  const reason = "It labels the namespace half-way, after a pod that must start without a sidecar.";
  const parsed = lessonSchema.parse({ ...base, sandbox: { start: "istio", ownCluster: { reason, safeToTry: ["kubectl get pods"] } } });
  assert.deepEqual(parsed.sandbox.ownCluster, { reason, safeToTry: ["kubectl get pods"] });
  assert.deepEqual(lessonSchema.parse({ ...base, sandbox: { start: "istio", ownCluster: { reason } } }).sandbox.ownCluster?.safeToTry, []);
  assert.equal(lessonSchema.parse({ ...base, sandbox: { start: "istio" } }).sandbox.ownCluster, undefined);
});

test("an own-cluster declaration without a real reason is refused with the fix", () => {
  for (const ownCluster of [
    "It labels the namespace half-way, after a pod that must start without a sidecar.",
    {},
    { reason: "" },
    { reason: "needs one" },
    { reason: "x".repeat(301) },
    { reason: "It labels the namespace half-way, after a pod.", safeToTry: "kubectl get pods" },
    { reason: "It labels the namespace half-way, after a pod.", safeToTry: [""] },
  ]) {
    const result = lessonSchema.safeParse({ ...base, sandbox: { start: "empty", ownCluster } });
    assert.equal(result.success, false, JSON.stringify(ownCluster));
    const message = result.error?.issues[0]?.message ?? "";
    assert.match(message, /e\.g\. ownCluster: \{ reason: /, JSON.stringify(ownCluster));
  }
  const typo = lessonSchema.safeParse({ ...base, sandbox: { start: "empty", ownCluster: { reason: "It labels the namespace half-way, after a pod.", safe: [] } } });
  assert.equal(typo.error?.issues[0]?.code, "unrecognized_keys");
});
