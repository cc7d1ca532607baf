// The objects of an embedded cluster worth saving across a server restart: what the learner
// (or a lesson's starting state, or istioctl on their behalf) put there. Everything else comes
// back by itself in a fresh sandbox: the bootstrap (system namespaces, default RBAC, nodes, the
// `kubernetes` Service), the workstation, and whatever controllers derive from the saved
// objects (ReplicaSets, Pods, EndpointSlices, Events, published CA ConfigMaps).
import type { ClusterApi } from "../sandbox/api-server/cluster-api.ts";
import type { JsonObject } from "../sandbox/core/json-object.ts";

/** A saved object: served apiVersion and kind, metadata without server-set fields, no status. */
export type SavedObject = JsonObject & { apiVersion: string; kind: string; metadata: JsonObject };

// Derived by controllers, recorded by the server, or node-level: never the learner's.
const SKIPPED_STORAGE = new Set([
  "/events",
  "events.k8s.io/events",
  "/endpoints",
  "discovery.k8s.io/endpointslices",
  "coordination.k8s.io/leases",
  "/nodes",
  "apps/controllerrevisions",
]);

// Field managers of the cluster itself. An object only they ever wrote was made by the
// bootstrap, a controller, istiod or the workstation's provisioning ("mesh-academy"); one
// written by kubectl, istioctl ("istio-operator") or a restore is the learner's.
const SYSTEM_MANAGERS = new Set([
  "",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "kubelet",
  "root-ca-cert-publisher",
  "pilot-discovery",
  "mesh-academy",
]);

// Set by the API server on write; a fresh cluster assigns its own.
const SERVER_METADATA = [
  "uid",
  "resourceVersion",
  "creationTimestamp",
  "generation",
  "managedFields",
  "selfLink",
  "ownerReferences",
] as const;

export function isSystemManager(manager: string): boolean {
  return SYSTEM_MANAGERS.has(manager) || manager.endsWith("-controller");
}

/** The learner's objects, each as a plain JSON object ready to be created again. */
export function dumpUserObjects(api: ClusterApi): SavedObject[] {
  const saved: SavedObject[] = [];
  for (const { storageKey, object } of api.store.snapshot().objects) {
    if (SKIPPED_STORAGE.has(storageKey)) continue;
    const type = api.registry.byStorageKey(storageKey)[0];
    if (type === undefined) continue;
    const metadata = (object.metadata ?? {}) as JsonObject;
    if (metadata.deletionTimestamp !== undefined) continue;
    if (controlledByAnother(metadata)) continue;
    if (!writtenByLearner(metadata)) continue;
    saved.push(cleaned(api.present(type, object)));
  }
  return saved;
}

function controlledByAnother(metadata: JsonObject): boolean {
  const owners = Array.isArray(metadata.ownerReferences) ? metadata.ownerReferences : [];
  return owners.some((owner) => typeof owner === "object" && owner !== null && (owner as JsonObject).controller === true);
}

function writtenByLearner(metadata: JsonObject): boolean {
  const entries = Array.isArray(metadata.managedFields) ? metadata.managedFields : [];
  return entries.some((entry) => {
    const manager = typeof entry === "object" && entry !== null ? (entry as JsonObject).manager : undefined;
    return typeof manager === "string" && !isSystemManager(manager);
  });
}

function cleaned(object: JsonObject): SavedObject {
  const { status: _status, ...rest } = object;
  const metadata = { ...((rest.metadata ?? {}) as JsonObject) };
  for (const field of SERVER_METADATA) delete metadata[field];
  const result = { ...rest, metadata } as SavedObject;
  if (result.kind === "Pod") {
    // A bare pod is scheduled again: the node it ran on is the old cluster's choice.
    const spec = { ...((result.spec ?? {}) as JsonObject) };
    delete spec.nodeName;
    result.spec = spec;
  }
  return result;
}
