// The authoring API for lesson checks, one object so a steps file needs one import:
//   import { check } from "../../server/checks/check.ts";
//   check.labelEquals({ kind: "Namespace", name: "shop" }, "istio-injection", "enabled")
// Anything the helpers do not cover is plain TypeScript: check.custom(name, run).
import type { Check, CheckContext, CheckOutcome } from "./check-types.ts";
import { annotationEquals, conditionTrue, exists, gone, labelEquals } from "./object-checks.ts";
import { analyzeClean, httpResponds } from "./probe-checks.ts";
import { podsReady, rolledOut, sidecarInjected } from "./workload-checks.ts";

export const check = {
  exists,
  gone,
  labelEquals,
  annotationEquals,
  conditionTrue,
  podsReady,
  sidecarInjected,
  rolledOut,
  analyzeClean,
  httpResponds,
  /** A check in plain TypeScript: read through `context.objects`/`context.core`, probe with `context.run`. */
  custom(name: string, run: (context: CheckContext) => Promise<CheckOutcome>): Check {
    return { name, run };
  },
} as const;
