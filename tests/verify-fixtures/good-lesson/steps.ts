import { check } from "../../../server/checks/check.ts";
import { defineSteps } from "../../../server/checks/define-steps.ts";

const shop = { kind: "Namespace", name: "shop" };

export const steps = defineSteps([
  {
    id: "make-namespace",
    title: "Create and label the shop namespace",
    checks: [check.exists(shop), check.labelEquals(shop, "istio-injection", "enabled", { why: "so new pods get no sidecar" })],
    hints: ["Namespaces are created with `kubectl create namespace`.", "Labels are set with `kubectl label`."],
    solution: "kubectl create namespace shop\nkubectl label namespace shop istio-injection=enabled",
  },
  {
    id: "run-httpbin",
    title: "Run httpbin in the shop namespace",
    checks: [
      check.rolledOut({ namespace: "shop", name: "httpbin" }),
      check.podsReady({ namespace: "shop", selector: "app=httpbin", containers: 1 }),
      check.httpResponds({ url: "http://httpbin.shop:8000/status/418", status: 418, body: "teapot" }),
    ],
    hints: ["`kubectl create deployment` and `kubectl expose` do it in two commands."],
    solution: [
      "kubectl create deployment httpbin -n shop --image=docker.io/mccutchen/go-httpbin:v2.15.0 --port=8080",
      "kubectl expose deployment httpbin -n shop --port=8000 --target-port=8080",
      "kubectl rollout status deployment/httpbin -n shop --timeout=60s",
    ].join("\n"),
  },
]);
