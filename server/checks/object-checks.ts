// Checks on single objects: exists, is gone, label or annotation equals, a condition is True.
import type { Check } from "./check-types.ts";
import { describeRef, kubectlRef, readObject, type ObjectRef } from "./object-ref.ts";
import { teachingMessage, type TeachingOptions } from "./teaching-message.ts";

export function exists(ref: ObjectRef, options: TeachingOptions = {}): Check {
  const fix = options.fix ?? (ref.kind === "Namespace" ? `kubectl create namespace ${ref.name}` : undefined);
  return {
    name: options.name ?? `${describeRef(ref)} exists`,
    async run(context) {
      const object = await readObject(context, ref);
      if (object === undefined) return context.fail(teachingMessage(`${describeRef(ref)} does not exist yet`, { why: options.why, fix }));
      if (object.metadata?.deletionTimestamp !== undefined) {
        return context.fail(teachingMessage(`${describeRef(ref)} is being deleted`, { why: options.why, fix }));
      }
      return context.pass();
    },
  };
}

export function gone(ref: ObjectRef, options: TeachingOptions = {}): Check {
  const fix = options.fix ?? `kubectl delete ${kubectlRef(ref)}`;
  return {
    name: options.name ?? `${describeRef(ref)} is gone`,
    async run(context) {
      const object = await readObject(context, ref);
      if (object === undefined) return context.pass();
      const state = object.metadata?.deletionTimestamp !== undefined ? "is still being deleted" : "still exists";
      return context.fail(teachingMessage(`${describeRef(ref)} ${state}`, { why: options.why, fix }));
    },
  };
}

function metadataEquals(field: "labels" | "annotations", ref: ObjectRef, key: string, value: string, options: TeachingOptions): Check {
  const noun = field === "labels" ? "label" : "annotation";
  const command = `kubectl ${field === "labels" ? "label" : "annotate"} ${kubectlRef(ref)} ${key}=${value}`;
  return {
    name: options.name ?? `${describeRef(ref)} has ${noun} ${key}=${value}`,
    async run(context) {
      const object = await readObject(context, ref);
      if (object === undefined) {
        // The learner's "why" speaks of the missing label; here the object itself is missing.
        const create = ref.kind === "Namespace" ? `kubectl create namespace ${ref.name}` : undefined;
        return context.fail(teachingMessage(`${describeRef(ref)} does not exist yet, so it cannot carry the ${noun} \`${key}=${value}\``, { fix: create }));
      }
      const actual = object.metadata?.[field]?.[key];
      if (actual === value) return context.pass();
      const problem =
        actual === undefined
          ? `${describeRef(ref)} has no \`${key}\` ${noun}`
          : `${describeRef(ref)} has the ${noun} \`${key}=${actual}\`, not \`${key}=${value}\``;
      // Changing a value kubectl refuses without --overwrite; adding one needs nothing more.
      const fix = options.fix ?? (actual === undefined ? command : `${command} --overwrite`);
      return context.fail(teachingMessage(problem, { why: options.why, fix }));
    },
  };
}

export function labelEquals(ref: ObjectRef, key: string, value: string, options: TeachingOptions = {}): Check {
  return metadataEquals("labels", ref, key, value, options);
}

export function annotationEquals(ref: ObjectRef, key: string, value: string, options: TeachingOptions = {}): Check {
  return metadataEquals("annotations", ref, key, value, options);
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** `status.conditions[type=…].status` is "True" (Deployments, Pods, Gateways, CRDs, …). */
export function conditionTrue(ref: ObjectRef, type: string, options: TeachingOptions = {}): Check {
  return {
    name: options.name ?? `${describeRef(ref)} is ${type}`,
    async run(context) {
      const object = (await readObject(context, ref)) as { status?: { conditions?: Condition[] } } | undefined;
      if (object === undefined) return context.fail(teachingMessage(`${describeRef(ref)} does not exist yet`, { why: options.why, fix: options.fix }));
      const condition = object.status?.conditions?.find((entry) => entry.type === type);
      if (condition?.status === "True") return context.pass();
      const detail =
        condition === undefined
          ? `does not report a ${type} condition yet`
          : `is not ${type}${condition.reason ? ` (${condition.reason}${condition.message ? `: ${condition.message}` : ""})` : ""}`;
      return context.fail(teachingMessage(`${describeRef(ref)} ${detail}`, { why: options.why, fix: options.fix }));
    },
  };
}
