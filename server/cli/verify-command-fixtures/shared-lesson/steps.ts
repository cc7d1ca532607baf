import { check } from "../../../checks/check.ts";
import { defineSteps } from "../../../checks/define-steps.ts";

export const steps = defineSteps([
  {
    id: "label-namespace",
    title: "Switch on sidecar injection",
    checks: [check.labelEquals({ kind: "Namespace", name: "default" }, "istio-injection", "enabled")],
    solution: "kubectl label namespace default istio-injection=enabled",
  },
  {
    id: "deploy-httpbin",
    title: "Run httpbin with a sidecar",
    checks: [
      check.sidecarInjected({ namespace: "default", selector: "app=httpbin" }),
      check.podsReady({ namespace: "default", selector: "app=httpbin", containers: 2 }),
    ],
    solution: "kubectl apply -f ~/samples/httpbin/httpbin.yaml\nkubectl rollout status deployment/httpbin --timeout=60s",
  },
]);
