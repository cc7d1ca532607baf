import { test } from "node:test";
import assert from "node:assert/strict";
import { instructorOnlyCommands, parseClusterSteps } from "./shared-cluster-steps.ts";

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
