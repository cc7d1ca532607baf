import { check } from "../../../server/checks/check.ts";
import { defineSteps } from "../../../server/checks/define-steps.ts";

export const steps = defineSteps([
  {
    id: "label-namespace",
    title: "Label the team namespace",
    // The mistake: the solution sets tier=web, the check wants tier=frontend.
    checks: [check.labelEquals({ kind: "Namespace", name: "team" }, "tier", "frontend")],
    solution: "kubectl create namespace team\nkubectl label namespace team tier=web",
  },
]);
