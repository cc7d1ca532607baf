import { check } from "../../../server/checks/check.ts";
import { defineSteps } from "../../../server/checks/define-steps.ts";

export const steps = defineSteps([
  {
    id: "make-namespace",
    title: "Create the team namespace",
    // The mistake: `default` exists in every cluster, so this passes before the learner acts.
    checks: [check.exists({ kind: "Namespace", name: "team" }), check.exists({ kind: "Namespace", name: "default" })],
    solution: "kubectl create namespace team",
  },
]);
