import { test } from "node:test";
import assert from "node:assert/strict";
import { blockedOnSharedCluster, instructorOnlyCommands, ownClusterNotice, parseClusterSteps, parseOwnCluster } from "./shared-cluster-steps.ts";

test("the declared cluster steps are read leniently from the panel's attribute", () => {
  assert.deepEqual(parseClusterSteps('{"install-istio":"kubectl get pods -n istio-system","bad":3}'), { "install-istio": "kubectl get pods -n istio-system" });
  assert.deepEqual(parseClusterSteps(undefined), {});
  assert.deepEqual(parseClusterSteps("not json"), {});
  assert.deepEqual(parseClusterSteps("[1]"), {});
});

test("only the Run commands that need cluster-wide rights are the instructor's", () => {
  const blocked = instructorOnlyCommands([
    "istioctl install --set profile=demo -y",
    "kubectl get pods -n istio-system",
    "kubectl label namespace default istio-injection=enabled",
    "kubectl apply -f ~/samples/bookinfo/bookinfo.yaml",
  ]);
  assert.deepEqual([...blocked], ["istioctl install --set profile=demo -y", "kubectl label namespace default istio-injection=enabled"]);
});

test("a lesson's own-cluster declaration is read leniently from the panel's attribute", () => {
  const reason = "It makes a second namespace and changes istio-system.";
  assert.deepEqual(parseOwnCluster(JSON.stringify({ reason, safeToTry: ["kubectl get pods", 3, " "] })), { reason, safeToTry: ["kubectl get pods"] });
  assert.deepEqual(parseOwnCluster(JSON.stringify({ reason })), { reason, safeToTry: [] });
  assert.equal(parseOwnCluster(""), undefined);
  assert.equal(parseOwnCluster(undefined), undefined);
  assert.equal(parseOwnCluster("null"), undefined);
  assert.equal(parseOwnCluster('{"reason":" "}'), undefined);
  assert.equal(parseOwnCluster("not json"), undefined);
});

test("the notice gives the reason, says the learner can read along, names the safe commands or none, and points instructors on", () => {
  const reason = "Every learner's Gateway binds the one ingress gateway.";
  const withSafe = ownClusterNotice({ reason, safeToTry: ["kubectl get pods"] });
  assert.equal(withSafe.heading, "This lesson needs a cluster of its own");
  assert.equal(withSafe.reason, reason);
  assert.match(withSafe.readAlong, /Read along/);
  assert.match(withSafe.readAlong, /Run buttons, and the steps' Check and Solve, are off/);
  assert.match(withSafe.safe, /safe to try in your own namespace:$/);
  assert.match(withSafe.instructors, /cluster per learner, .*embedded sandbox \(SANDBOX_PROVIDER=embedded\).*README, "Running workshops on a real cluster"/);
  assert.equal(ownClusterNotice({ reason, safeToTry: [] }).safe, "None of its commands is safe to try in your namespace here.");
});

test("on a lesson that needs its own cluster only the commands named safe stay runnable, even namespace-scoped ones are off", () => {
  const blocked = blockedOnSharedCluster(
    ["kubectl get pods", "kubectl apply -f ~/samples/bookinfo/bookinfo-gateway.yaml", "istioctl install --set profile=demo -y", "cat ~/samples/bookinfo/bookinfo-gateway.yaml\n"],
    { reason: "r", safeToTry: ["kubectl get pods", " cat ~/samples/bookinfo/bookinfo-gateway.yaml"] },
  );
  assert.deepEqual([...blocked], ["kubectl apply -f ~/samples/bookinfo/bookinfo-gateway.yaml", "istioctl install --set profile=demo -y"]);
  assert.equal(blockedOnSharedCluster(["kubectl get pods"], { reason: "r", safeToTry: [] }).size, 1);
});
