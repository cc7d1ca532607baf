// Naming a Kubernetes object in a check, and reading it without turning "not there" into an
// exception: a missing object (or a kind whose CRD is not installed yet) is an ordinary state.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { CheckContext } from "./check-types.ts";

export interface ObjectRef {
  kind: string;
  name: string;
  /** Omit for cluster-scoped kinds (Namespace, ClusterRole, …). */
  namespace?: string;
  /** Defaults from the kind for core, apps, Istio and Gateway API kinds. */
  apiVersion?: string;
}

const API_VERSIONS: Readonly<Record<string, string>> = {
  Namespace: "v1",
  Pod: "v1",
  Service: "v1",
  ConfigMap: "v1",
  Secret: "v1",
  ServiceAccount: "v1",
  Node: "v1",
  PersistentVolumeClaim: "v1",
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  Role: "rbac.authorization.k8s.io/v1",
  RoleBinding: "rbac.authorization.k8s.io/v1",
  ClusterRole: "rbac.authorization.k8s.io/v1",
  ClusterRoleBinding: "rbac.authorization.k8s.io/v1",
  VirtualService: "networking.istio.io/v1",
  DestinationRule: "networking.istio.io/v1",
  Gateway: "networking.istio.io/v1",
  ServiceEntry: "networking.istio.io/v1",
  Sidecar: "networking.istio.io/v1",
  PeerAuthentication: "security.istio.io/v1",
  AuthorizationPolicy: "security.istio.io/v1",
  RequestAuthentication: "security.istio.io/v1",
  HTTPRoute: "gateway.networking.k8s.io/v1",
};

export function apiVersionOf(ref: ObjectRef): string {
  const apiVersion = ref.apiVersion ?? API_VERSIONS[ref.kind];
  if (apiVersion === undefined) {
    throw new TypeError(`No default apiVersion for kind ${ref.kind}; give the check's object an apiVersion`);
  }
  return apiVersion;
}

/** "Namespace shop", "Deployment httpbin in namespace shop": how messages name an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace === undefined ? `${ref.kind} ${ref.name}` : `${ref.kind} ${ref.name} in namespace ${ref.namespace}`;
}

/** The kubectl words for the object: `namespace shop`, `deployment httpbin -n shop`. */
export function kubectlRef(ref: ObjectRef): string {
  const words = `${ref.kind.toLowerCase()} ${ref.name}`;
  return ref.namespace === undefined ? words : `${words} -n ${ref.namespace}`;
}

export function httpStatusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "number" ? code : undefined;
}

/** The object, or undefined when it does not exist (or its kind is not known to the cluster yet). */
export async function readObject(context: CheckContext, ref: ObjectRef): Promise<KubernetesObject | undefined> {
  try {
    return await context.objects.read({
      apiVersion: apiVersionOf(ref),
      kind: ref.kind,
      metadata: { name: ref.name, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}) },
    });
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined;
    if (error instanceof Error && error.message.startsWith("Unrecognized API version and kind")) return undefined;
    throw error;
  }
}
