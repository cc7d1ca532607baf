// Puts saved objects (dumpUserObjects) into a fresh cluster in dependency order: definitions
// first (CRDs, so their instances are served), then namespaces, then what workloads refer to,
// configuration (Istio's), and the workloads last. Istio's own objects are objects: its
// Deployments come back and its control plane with them. The sidecar injector refuses pods
// while istiod has no ready endpoint (failurePolicy Fail, as in a real cluster), so the
// workloads of the webhooks' own namespaces and the webhooks go first, and the other
// workloads only once the webhooks' Services answer (or after a time limit).
import type { ClusterApi } from "../sandbox/api-server/cluster-api.ts";
import type { JsonObject } from "../sandbox/core/json-object.ts";
import { serviceEndpointsProblem } from "../sandbox/istio/control-plane/istiod/service-endpoints.ts";
import type { SavedObject } from "./dump-user-objects.ts";

export interface RestoreFailure {
  /** `Kind namespace/name`. */
  object: string;
  message: string;
}

export interface RestoreResult {
  restored: number;
  failures: RestoreFailure[];
}

/** The manager restored objects are written by; not a system one, so the next dump keeps them. */
export const RESTORE_FIELD_MANAGER = "mesh-academy-restore";

const RANK: Record<string, number> = {
  CustomResourceDefinition: 0,
  Namespace: 1,
  PriorityClass: 2,
  StorageClass: 2,
  ClusterRole: 2,
  ClusterRoleBinding: 2,
  Role: 2,
  RoleBinding: 2,
  ServiceAccount: 2,
  LimitRange: 2,
  ResourceQuota: 2,
  ConfigMap: 3,
  Secret: 3,
  PersistentVolume: 3,
  PersistentVolumeClaim: 4,
  Service: 4,
  // Istio and Gateway API configuration, and anything else not named: rank 5.
  Deployment: 6,
  StatefulSet: 6,
  DaemonSet: 6,
  ReplicaSet: 6,
  ReplicationController: 6,
  Job: 6,
  CronJob: 6,
  Pod: 6,
  HorizontalPodAutoscaler: 7,
  PodDisruptionBudget: 7,
  // After the configuration: validating ones would otherwise ask an istiod not running yet.
  MutatingWebhookConfiguration: 8,
  ValidatingWebhookConfiguration: 8,
};
const WORKLOAD_RANK = 6;
const WEBHOOK_RANK = 8;

export interface RestoreOptions {
  /** How long to wait for the webhooks' Services before creating the other workloads. Default 60 s. */
  webhookWaitMs?: number;
  /** Stops the wait early (the session ended while its sandbox was being restored). */
  signal?: AbortSignal;
}
const DEFAULT_RANK = 5;

function rankOf(object: SavedObject): number {
  return RANK[object.kind] ?? DEFAULT_RANK;
}

function describe(object: SavedObject): string {
  const namespace = typeof object.metadata.namespace === "string" ? `${object.metadata.namespace}/` : "";
  return `${object.kind} ${namespace}${String(object.metadata.name)}`;
}

/** Creates the saved objects; one that cannot be created is reported and the rest go on. */
export async function restoreUserObjects(api: ClusterApi, objects: readonly SavedObject[], options: RestoreOptions = {}): Promise<RestoreResult> {
  const ordered = objects
    .map((object, index) => ({ object, index }))
    .sort((a, b) => rankOf(a.object) - rankOf(b.object) || a.index - b.index)
    .map(({ object }) => object);
  const webhooks = ordered.filter((object) => rankOf(object) === WEBHOOK_RANK);
  const backends = webhookServices(webhooks);
  const backendNamespaces = new Set(backends.map((service) => service.namespace));
  const isWorkload = (object: SavedObject) => rankOf(object) === WORKLOAD_RANK;
  const inBackendNamespace = (object: SavedObject) => backendNamespaces.has(String(object.metadata.namespace ?? ""));
  const result: RestoreResult = { restored: 0, failures: [] };
  // Written synchronously phase by phase: no controller runs in between.
  writeAll(api, ordered.filter((object) => !isWorkload(object) && rankOf(object) !== WEBHOOK_RANK), result);
  writeAll(api, ordered.filter((object) => isWorkload(object) && inBackendNamespace(object)), result);
  writeAll(api, webhooks, result);
  const rest = ordered.filter((object) => isWorkload(object) && !inBackendNamespace(object));
  if (rest.length > 0 && backends.length > 0) await waitForServices(api, backends, options);
  writeAll(api, rest, result);
  return result;
}

function writeAll(api: ClusterApi, objects: readonly SavedObject[], result: RestoreResult): void {
  const options = { fieldManager: RESTORE_FIELD_MANAGER };
  for (const object of objects) {
    try {
      const type = api.resourceForKind(object.apiVersion, object.kind);
      if (type === undefined) throw new Error(`the cluster does not serve ${object.apiVersion} ${object.kind}`);
      const namespace = type.namespaced && typeof object.metadata.namespace === "string" ? object.metadata.namespace : "";
      const name = String(object.metadata.name ?? "");
      const existing = api.tryGet(type, namespace, name);
      if (existing === undefined) {
        createFresh(api, type, namespace, object, options);
      } else {
        // A fresh sandbox has it already (the `default` namespace, a `default` ServiceAccount):
        // the learner's labels and annotations are what they changed on it.
        api.update(type, namespace, name, withMetadataOf(existing, object), options);
      }
      result.restored += 1;
    } catch (error) {
      result.failures.push({ object: describe(object), message: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** The Services the webhook configurations call (istiod's, for Istio's). */
function webhookServices(webhooks: readonly SavedObject[]): { namespace: string; name: string }[] {
  const services = new Map<string, { namespace: string; name: string }>();
  for (const configuration of webhooks) {
    for (const webhook of Array.isArray(configuration.webhooks) ? configuration.webhooks : []) {
      const service = (((webhook ?? {}) as JsonObject).clientConfig as JsonObject | undefined)?.service as JsonObject | undefined;
      if (typeof service?.namespace === "string" && typeof service.name === "string") {
        services.set(`${service.namespace}/${service.name}`, { namespace: service.namespace, name: service.name });
      }
    }
  }
  return [...services.values()];
}

async function waitForServices(api: ClusterApi, services: readonly { namespace: string; name: string }[], options: RestoreOptions): Promise<void> {
  const deadline = Date.now() + (options.webhookWaitMs ?? 60_000);
  while (Date.now() < deadline && options.signal?.aborted !== true) {
    if (services.every((service) => serviceEndpointsProblem(api, service.namespace, service.name) === undefined)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function createFresh(api: ClusterApi, type: Parameters<ClusterApi["create"]>[0], namespace: string, object: SavedObject, options: { fieldManager: string }): void {
  if (object.kind !== "Service") {
    api.create(type, namespace, object, options);
    return;
  }
  try {
    api.create(type, namespace, object, options);
  } catch {
    // A cluster IP or node port the fresh cluster gave to something else: let it allocate.
    const spec = { ...((object.spec ?? {}) as JsonObject) };
    const headless = spec.clusterIP === "None";
    if (!headless) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (Array.isArray(spec.ports)) spec.ports = spec.ports.map((port) => {
      const { nodePort: _nodePort, ...rest } = port as JsonObject;
      return rest;
    });
    api.create(type, namespace, { ...object, spec }, options);
  }
}

function withMetadataOf(existing: JsonObject, saved: SavedObject): JsonObject {
  const metadata = { ...((existing.metadata ?? {}) as JsonObject) };
  for (const field of ["labels", "annotations"] as const) {
    const wanted = saved.metadata[field];
    if (wanted !== undefined) metadata[field] = { ...((metadata[field] ?? {}) as JsonObject), ...(wanted as JsonObject) };
  }
  return { ...existing, metadata };
}
