// The steps of the welcome lesson; the format is described in lessons/README.md.
import { check } from "../../server/checks/check.ts";
import { defineSteps } from "../../server/checks/define-steps.ts";

const namespace = { kind: "Namespace", name: "hello-mesh" };

export const steps = defineSteps([
  {
    id: "create-namespace",
    title: "Create the hello-mesh namespace",
    checks: [check.exists(namespace, { why: "so there is nowhere to put your first objects" })],
    hints: [
      "Namespaces are made with `kubectl create`, followed by the kind of object and its name.",
      "Type `kubectl create namespace hello-mesh` in the terminal and press Enter.",
    ],
    solution: "kubectl create namespace hello-mesh",
  },
  {
    id: "label-namespace",
    title: "Label hello-mesh for sidecar injection",
    checks: [check.labelEquals(namespace, "istio-injection", "enabled", { why: "so new pods in it would get no sidecar" })],
    hints: [
      "Labels are added with `kubectl label`, followed by the object and `key=value`.",
      "Type `kubectl label namespace hello-mesh istio-injection=enabled`.",
    ],
    solution: "kubectl label namespace hello-mesh istio-injection=enabled",
  },
]);
