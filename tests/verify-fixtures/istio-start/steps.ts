import { check } from "../../../server/checks/check.ts";
import { defineSteps } from "../../../server/checks/define-steps.ts";

export const steps = defineSteps([
  {
    id: "inject-httpbin",
    title: "Run httpbin with a sidecar",
    checks: [check.sidecarInjected({ namespace: "default", selector: "app=httpbin" }), check.podsReady({ namespace: "default", selector: "app=httpbin", containers: 2 })],
    solution: [
      "kubectl label namespace default istio-injection=enabled",
      "kubectl apply -f ~/samples/httpbin/httpbin.yaml",
      "kubectl rollout status deployment/httpbin --timeout=60s",
    ].join("\n"),
  },
]);
