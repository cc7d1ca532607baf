import { check } from "../../../server/checks/check.ts";
import { defineSteps } from "../../../server/checks/define-steps.ts";

export const steps = defineSteps([
  {
    id: "make-namespace",
    title: "Create the team namespace",
    checks: [check.exists({ kind: "Namespace", name: "team" })],
    // The mistake: namespace names are lowercase, so kubectl refuses this one.
    solution: "kubectl create namespace Team",
  },
  {
    id: "make-another",
    title: "Create the ops namespace",
    checks: [check.exists({ kind: "Namespace", name: "ops" })],
    solution: "kubectl create namespace ops",
  },
]);
