// What one learner gets on a shared cluster: a namespace of their own, a ServiceAccount that
// may do anything inside it and only read what lessons show elsewhere (istio-system, the
// namespaces, the CRDs), a quota, default container limits, and the workstation pod whose
// kubeconfig speaks for that ServiceAccount. Everything carries the labels the provider
// sweeps by.
// The workstation lives beside it in a namespace of its own (`<namespace>-ws`, as the
// embedded sandbox keeps it in `mesh-academy`): the learner's namespace holds only what the
// learner made, and the learner cannot delete the pod their terminal runs in.
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "mesh-academy" };
export const SESSION_LABEL = "mesh-academy.dev/session";
/** The cluster-wide read-only role every learner is bound to (created once, shared). */
export const READER_ROLE = "mesh-academy-learner-reader";

export interface LearnerSettings {
  /** The session id, a DNS label. */
  id: string;
  namespace: string;
  /** Where the workstation pod and the learner's ServiceAccount live; the learner may not touch it. */
  workstationNamespace: string;
  /** The workstation's toolbox image (bash, kubectl, istioctl, curl, jq). */
  image: string;
  /** Labels the lesson needs on the learner's namespace (e.g. `istio-injection: enabled`). */
  namespaceLabels?: Record<string, string>;
  quota?: Record<string, string>;
}

export type Manifest = { apiVersion: string; kind: string; metadata: Record<string, unknown>; [field: string]: unknown };

// Requests are what the scheduler reserves on a node, so they are what the quota caps; limits
// are left to the LimitRange (each injected sidecar alone may burst to 2 CPUs, which a
// limits quota would have to allow for every pod).
export const DEFAULT_QUOTA: Record<string, string> = {
  pods: "30",
  services: "20",
  "requests.cpu": "4",
  "requests.memory": "8Gi",
};

export const WORKSTATION_POD = "workstation";
export const WORKSTATION_CONTAINER = "shell";
export const LEARNER_ACCOUNT = "learner";

// What Istio's debugging tools read across the cluster. `istioctl analyze` builds the whole
// mesh's model, as istiod does (a VirtualService in one namespace may route to a Service in
// another, a Sidecar or mesh-wide policy in istio-system applies everywhere), so it lists
// workloads, Services, ConfigMaps and every Istio and Gateway API resource in all namespaces;
// `istioctl version`, `proxy-status`, `proxy-config` and `x describe` read the same model.
// The trade-off: a learner can read (never change) other learners' workloads and mesh
// configuration; Secrets stay private, and nothing here lets a learner write outside their
// namespace. Instructors who need learners blind to each other can turn it off
// (`meshWideReads: false`); those istioctl commands then fail with Forbidden.
const VIEW = ["get", "list", "watch"];
export const MESH_READ_RULES: ReadonlyArray<{ apiGroups: string[]; resources: string[]; verbs: string[] }> = [
  { apiGroups: [""], resources: ["pods", "services", "endpoints", "configmaps", "serviceaccounts"], verbs: VIEW },
  { apiGroups: ["apps"], resources: ["deployments", "replicasets", "statefulsets", "daemonsets"], verbs: VIEW },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: VIEW },
  {
    apiGroups: ["networking.istio.io", "security.istio.io", "telemetry.istio.io", "extensions.istio.io", "gateway.networking.k8s.io"],
    resources: ["*"],
    verbs: VIEW,
  },
];

/** Shared by all learners; created when missing. */
export function readerRole(options: { meshWideReads?: boolean } = {}): Manifest {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: READER_ROLE, labels: MANAGED_BY },
    rules: [
      ...(options.meshWideReads === false ? [] : MESH_READ_RULES),
      { apiGroups: [""], resources: ["namespaces", "nodes"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["gateway.networking.k8s.io"], resources: ["gatewayclasses"], verbs: ["get", "list", "watch"] },
      { apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], verbs: ["get", "list", "watch"] },
    ],
  };
}

/** The learner's objects in creation order; the kubeconfig Secret is added once a token exists. */
export function learnerManifests(settings: LearnerSettings): Manifest[] {
  const { id, namespace, workstationNamespace } = settings;
  const labels = { ...MANAGED_BY, [SESSION_LABEL]: id };
  const subject = [{ kind: "ServiceAccount", name: LEARNER_ACCOUNT, namespace: workstationNamespace }];
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { ...labels, ...settings.namespaceLabels } } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: workstationNamespace, labels } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: LEARNER_ACCOUNT, namespace: workstationNamespace, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "learner", namespace, labels },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "learner", namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "learner" },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `learner-${id}`, namespace: "istio-system", labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects: subject,
    },
    // How istioctl reaches istiod's debug endpoints (`proxy-status`, `version`): a port-forward
    // to the istiod pod. Creating one is the only verb beyond reading, and it opens a tunnel
    // to istio-system's pods only, which `view` above already lets the learner list.
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: `learner-${id}-debug`, namespace: "istio-system", labels },
      rules: [{ apiGroups: [""], resources: ["pods/portforward"], verbs: ["create", "get"] }],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: `learner-${id}-debug`, namespace: "istio-system", labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `learner-${id}-debug` },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `mesh-academy-learner-${id}`, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: READER_ROLE },
      subjects: subject,
    },
    { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "learner", namespace, labels }, spec: { hard: settings.quota ?? DEFAULT_QUOTA } },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "learner", namespace, labels },
      spec: {
        limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "50m", memory: "64Mi" } }],
      },
    },
  ];
}

/** The Secret holding the learner's kubeconfig, and the workstation pod that mounts it. */
export function workstationManifests(settings: LearnerSettings, kubeconfig: string): Manifest[] {
  const { id, namespace, workstationNamespace, image } = settings;
  const labels = { ...MANAGED_BY, [SESSION_LABEL]: id, "app.kubernetes.io/name": "workstation" };
  // The workstation is the learner's laptop, not a mesh workload.
  const podLabels = { ...labels, "sidecar.istio.io/inject": "false" };
  return [
    { apiVersion: "v1", kind: "Secret", metadata: { name: "learner-kubeconfig", namespace: workstationNamespace, labels }, type: "Opaque", stringData: { config: kubeconfig } },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: WORKSTATION_POD, namespace: workstationNamespace, labels: podLabels },
      spec: {
        serviceAccountName: LEARNER_ACCOUNT,
        automountServiceAccountToken: false,
        hostname: WORKSTATION_POD,
        containers: [
          {
            name: WORKSTATION_CONTAINER,
            image,
            command: ["sleep", "infinity"],
            stdin: true,
            tty: true,
            workingDir: "/home/learner",
            // LEARNER_NAMESPACE lets a lesson show the learner's own namespace, e.g. its labels.
            env: [
              { name: "KUBECONFIG", value: "/home/learner/.kube/config" },
              { name: "LEARNER_NAMESPACE", value: namespace },
            ],
            volumeMounts: [{ name: "kubeconfig", mountPath: "/home/learner/.kube", readOnly: true }],
            resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
          },
        ],
        volumes: [{ name: "kubeconfig", secret: { secretName: "learner-kubeconfig" } }],
      },
    },
  ];
}
