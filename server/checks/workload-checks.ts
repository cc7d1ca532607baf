// Checks on running workloads: pods Ready with the expected containers, the Istio sidecar
// injected, a Deployment fully rolled out.
import type { V1Pod } from "@kubernetes/client-node";
import type { Check, CheckContext } from "./check-types.ts";
import { describeRef, readObject } from "./object-ref.ts";
import { teachingMessage, type TeachingOptions } from "./teaching-message.ts";

export interface PodSelection {
  namespace: string;
  /** A label selector, e.g. `app=httpbin`. */
  selector: string;
}

async function listPods(context: CheckContext, selection: PodSelection): Promise<V1Pod[]> {
  const list = await context.core.listNamespacedPod({ namespace: selection.namespace, labelSelector: selection.selector });
  // Pods on their way out still match the selector but are not what the learner is looking at.
  return list.items.filter((pod) => pod.metadata?.deletionTimestamp === undefined);
}

function where(selection: PodSelection): string {
  return `pods matching \`${selection.selector}\` in namespace ${selection.namespace}`;
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") === true;
}

// Native sidecars (Kubernetes 1.29+, Istio's ENABLE_NATIVE_SIDECARS) are init containers
// that keep running; Istio injects one of those or a plain container.
function hasSidecar(pod: V1Pod): boolean {
  const named = (container: { name: string }) => container.name === "istio-proxy";
  return (pod.spec?.containers ?? []).some(named) || (pod.spec?.initContainers ?? []).some((c) => named(c) && c.restartPolicy === "Always");
}

function containerCount(pod: V1Pod): number {
  const sidecars = (pod.spec?.initContainers ?? []).filter((container) => container.restartPolicy === "Always").length;
  return (pod.spec?.containers ?? []).length + sidecars;
}

export function podsReady(selection: PodSelection & { containers?: number }, options: TeachingOptions = {}): Check {
  const withCount = selection.containers === undefined ? "" : ` with ${selection.containers} container${selection.containers === 1 ? "" : "s"}`;
  return {
    name: options.name ?? `${where(selection)} are Ready${withCount}`,
    async run(context) {
      const pods = await listPods(context, selection);
      if (pods.length === 0) return context.fail(teachingMessage(`No ${where(selection)} exist yet`, { why: options.why, fix: options.fix }));
      if (selection.containers !== undefined) {
        const wrong = pods.find((pod) => containerCount(pod) !== selection.containers);
        if (wrong !== undefined) {
          const count = containerCount(wrong);
          const hint = selection.containers > count && !hasSidecar(wrong) ? " (the sidecar is missing)" : "";
          return context.fail(
            teachingMessage(`Pod ${wrong.metadata?.name} has ${count} container${count === 1 ? "" : "s"}, not ${selection.containers}${hint}`, {
              why: options.why,
              fix: options.fix,
            }),
          );
        }
      }
      const notReady = pods.filter((pod) => !isReady(pod));
      if (notReady.length > 0) {
        const names = notReady.map((pod) => `${pod.metadata?.name} (${pod.status?.phase ?? "Unknown"})`).join(", ");
        return context.fail(teachingMessage(`Not Ready yet: ${names}`, { why: options.why ?? "wait a few seconds and check again", fix: options.fix }));
      }
      return context.pass();
    },
  };
}

export function sidecarInjected(selection: PodSelection & { deployment?: string }, options: TeachingOptions = {}): Check {
  const fix = options.fix ?? (selection.deployment !== undefined ? `kubectl rollout restart deployment/${selection.deployment} -n ${selection.namespace}` : undefined);
  return {
    name: options.name ?? `${where(selection)} have the Istio sidecar`,
    async run(context) {
      const pods = await listPods(context, selection);
      if (pods.length === 0) return context.fail(teachingMessage(`No ${where(selection)} exist yet`, { why: options.why, fix: undefined }));
      const bare = pods.filter((pod) => !hasSidecar(pod)).map((pod) => pod.metadata?.name ?? "?");
      if (bare.length === 0) return context.pass();
      const problem = `Pod${bare.length === 1 ? "" : "s"} ${bare.join(", ")} ${bare.length === 1 ? "has" : "have"} no istio-proxy sidecar`;
      return context.fail(
        teachingMessage(problem, {
          why: options.why ?? "because injection happens only when a pod is created: label the namespace, then restart the workload",
          fix,
        }),
      );
    },
  };
}

interface DeploymentShape {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number };
}

/** The same test as `kubectl rollout status`: the new ReplicaSet has every replica, all available. */
export function rolledOut(deployment: { namespace: string; name: string }, options: TeachingOptions = {}): Check {
  const ref = { kind: "Deployment", namespace: deployment.namespace, name: deployment.name };
  return {
    name: options.name ?? `${describeRef(ref)} is rolled out`,
    async run(context) {
      const object = (await readObject(context, ref)) as DeploymentShape | undefined;
      if (object === undefined) return context.fail(teachingMessage(`${describeRef(ref)} does not exist yet`, { why: options.why, fix: options.fix }));
      const want = object.spec?.replicas ?? 1;
      const status = object.status ?? {};
      const why = options.why ?? `wait for it with \`kubectl rollout status deployment/${deployment.name} -n ${deployment.namespace}\``;
      if ((status.observedGeneration ?? 0) < (object.metadata?.generation ?? 0)) {
        return context.fail(teachingMessage(`${describeRef(ref)} has a change the cluster has not picked up yet`, { why, fix: options.fix }));
      }
      const updated = status.updatedReplicas ?? 0;
      const available = status.availableReplicas ?? 0;
      const total = status.replicas ?? 0;
      if (updated < want || total > updated || available < updated) {
        return context.fail(
          teachingMessage(`${describeRef(ref)} is still rolling out: ${updated} of ${want} replicas updated, ${available} available`, { why, fix: options.fix }),
        );
      }
      return context.pass();
    },
  };
}
