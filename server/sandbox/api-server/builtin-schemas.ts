import { arr, bool, int, intOrStr, obj, openObject, ref, str, strMap, type SchemaNode } from './schema-node.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';

const API_VERSION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
const SPEC_OF = (what: string): string =>
  `Specification of the desired behavior of the ${what}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status`;
const STATUS_OF = (what: string): string =>
  `Most recently observed status of the ${what}. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status`;

/** A top-level kind: apiVersion, kind, metadata, plus its own fields. */
function kind(description: string, fields: Record<string, SchemaNode>, required?: string[]): SchemaNode {
  return obj(description, { apiVersion: str(API_VERSION), kind: str(KIND), metadata: ref(`${META}.ObjectMeta`, METADATA), ...fields }, required);
}

function specStatusKind(description: string, what: string, specRef?: string, statusOpen = true): SchemaNode {
  return kind(description, {
    spec: specRef === undefined ? openObject(SPEC_OF(what)) : ref(specRef, SPEC_OF(what)),
    ...(statusOpen ? { status: openObject(STATUS_OF(what)) } : {}),
  });
}

const container = obj('A single application container that you want to run within a pod.', {
  args: arr(str(''), 'Arguments to the entrypoint. The container image\'s CMD is used if this is not provided. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell'),
  command: arr(str(''), 'Entrypoint array. Not executed within a shell. The container image\'s ENTRYPOINT is used if this is not provided. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell'),
  env: arr(ref(`${CORE}.EnvVar`, ''), 'List of environment variables to set in the container. Cannot be updated.', 'name'),
  envFrom: arr(openObject(''), 'List of sources to populate environment variables in the container.'),
  image: str('Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
  imagePullPolicy: str("Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images", { enum: ['Always', 'IfNotPresent', 'Never'] }),
  lifecycle: openObject('Actions that the management system should take in response to container lifecycle events. Cannot be updated.'),
  livenessProbe: ref(`${CORE}.Probe`, 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  name: str('Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
  ports: arr(ref(`${CORE}.ContainerPort`, ''), 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed.', 'containerPort'),
  readinessProbe: ref(`${CORE}.Probe`, 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  resizePolicy: arr(openObject(''), 'Resources resize policy for the container.'),
  resources: ref(`${CORE}.ResourceRequirements`, 'Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'),
  restartPolicy: str('RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set for init containers, and the only allowed value is "Always".'),
  securityContext: openObject('SecurityContext defines the security options the container should be run with. More info: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'),
  startupProbe: ref(`${CORE}.Probe`, 'StartupProbe indicates that the Pod has successfully initialized. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.'),
  stdinOnce: bool('Whether the container runtime should close the stdin channel after it has been opened by a single attach. Default is false'),
  terminationMessagePath: str("Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log. Cannot be updated."),
  terminationMessagePolicy: str('Indicate how the termination message should be populated. Defaults to File. Cannot be updated.', { enum: ['FallbackToLogsOnError', 'File'] }),
  tty: bool("Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
  volumeDevices: arr(openObject(''), 'volumeDevices is the list of block devices to be used by the container.', 'devicePath'),
  volumeMounts: arr(ref(`${CORE}.VolumeMount`, ''), "Pod volumes to mount into the container's filesystem. Cannot be updated.", 'mountPath'),
  workingDir: str("Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated."),
}, ['name']);

const podSpec = obj('PodSpec is a description of a pod.', {
  activeDeadlineSeconds: int('Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers.', 'int64'),
  affinity: openObject("If specified, the pod's scheduling constraints"),
  automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'),
  containers: arr(ref(`${CORE}.Container`, ''), 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.', 'name'),
  dnsConfig: openObject('Specifies the DNS parameters of a pod.'),
  dnsPolicy: str("Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'.", { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] }),
  enableServiceLinks: bool("EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true."),
  ephemeralContainers: arr(openObject(''), 'List of ephemeral containers run in this pod.', 'name'),
  hostAliases: arr(openObject(''), "HostAliases is an optional list of hosts and IPs that will be injected into the pod's hosts file if specified.", 'ip'),
  hostIPC: bool("Use the host's ipc namespace. Optional: Default to false."),
  hostNetwork: bool("Host networking requested for this pod. Use the host's network namespace. Default to false."),
  hostPID: bool("Use the host's pid namespace. Optional: Default to false."),
  hostUsers: bool("Use the host's user namespace. Optional: Default to true."),
  hostname: str("Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value."),
  imagePullSecrets: arr(openObject(''), 'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.', 'name'),
  initContainers: arr(ref(`${CORE}.Container`, ''), 'List of initialization containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/init-containers/', 'name'),
  nodeName: str('NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.'),
  nodeSelector: strMap("NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
  os: openObject('Specifies the OS of the containers in the pod.'),
  overhead: openObject('Overhead represents the resource overhead associated with running a pod for a given RuntimeClass.'),
  preemptionPolicy: str('PreemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  priority: int('The priority value. Various system components use this field to find the priority of the pod.'),
  priorityClassName: str('If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities with the former being the highest priority.'),
  readinessGates: arr(openObject(''), 'If specified, all readiness gates will be evaluated for pod readiness.'),
  resourceClaims: arr(openObject(''), 'ResourceClaims defines which ResourceClaims must be allocated and reserved before the Pod is allowed to start.', 'name'),
  resources: openObject('Resources is the total amount of CPU and Memory resources required by all containers in the pod.'),
  restartPolicy: str('Restart policy for all containers within the pod. One of Always, OnFailure, Never. In some contexts, only a subset of those values may be permitted. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy', { enum: ['Always', 'Never', 'OnFailure'] }),
  runtimeClassName: str('RuntimeClassName refers to a RuntimeClass object in the node.k8s.io group, which should be used to run this pod.'),
  schedulerName: str('If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.'),
  schedulingGates: arr(openObject(''), 'SchedulingGates is an opaque list of values that if specified will block scheduling the pod.', 'name'),
  securityContext: openObject('SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.'),
  serviceAccount: str('DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.'),
  serviceAccountName: str('ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'),
  setHostnameAsFQDN: bool("If true the pod's hostname will be configured as the pod's FQDN, rather than the leaf name (the default)."),
  shareProcessNamespace: bool('Share a single process namespace between all of the containers in a pod. Optional: Default to false.'),
  subdomain: str('If specified, the fully qualified Pod hostname will be "<hostname>.<subdomain>.<pod namespace>.svc.<cluster domain>".'),
  terminationGracePeriodSeconds: int('Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Value must be non-negative integer. Defaults to 30 seconds.', 'int64'),
  tolerations: arr(openObject(''), "If specified, the pod's tolerations."),
  topologySpreadConstraints: arr(openObject(''), 'TopologySpreadConstraints describes how a group of pods ought to spread across topology domains.', 'topologyKey'),
  volumes: arr(openObject(''), 'List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes', 'name'),
}, ['containers']);

const objectMeta = obj('ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.', {
  annotations: strMap('Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations'),
  creationTimestamp: str('CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.', { format: 'date-time' }),
  deletionGracePeriodSeconds: int('Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.', 'int64'),
  deletionTimestamp: str('DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client.', { format: 'date-time' }),
  finalizers: { ...arr(str(''), 'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.'), listType: 'set' },
  generateName: str('GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'),
  generation: int('A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.', 'int64'),
  labels: strMap('Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels'),
  managedFields: arr(openObject(''), 'ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn\'t need to set or understand this field.'),
  name: str('Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'),
  namespace: str('Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces'),
  ownerReferences: arr(openObject(''), 'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.', 'uid'),
  resourceVersion: str('An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency'),
  selfLink: str('Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.'),
  uid: str('UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations. Populated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids'),
});

const labelSelector = obj('A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.', {
  matchExpressions: arr(openObject(''), 'matchExpressions is a list of label selector requirements. The requirements are ANDed.'),
  matchLabels: strMap('matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.'),
});

const podTemplateSpec = obj('PodTemplateSpec describes the data a pod should have when created from a template', {
  metadata: ref(`${META}.ObjectMeta`, METADATA),
  spec: ref(`${CORE}.PodSpec`, SPEC_OF('pod')),
});

const deploymentSpec = obj('DeploymentSpec is the specification of the desired behavior of the Deployment.', {
  minReadySeconds: int('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'),
  paused: bool('Indicates that the deployment is paused.'),
  progressDeadlineSeconds: int('The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.'),
  replicas: int('Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'),
  revisionHistoryLimit: int('The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.'),
  selector: ref(`${META}.LabelSelector`, "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
  strategy: obj('The deployment strategy to use to replace existing pods with new ones.', {
    rollingUpdate: obj('Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.', {
      maxSurge: intOrStr('The maximum number of pods that can be scheduled above the desired number of pods.'),
      maxUnavailable: intOrStr('The maximum number of pods that can be unavailable during the update.'),
    }),
    type: str('Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.', { enum: ['Recreate', 'RollingUpdate'] }),
  }),
  template: ref(`${CORE}.PodTemplateSpec`, 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".'),
}, ['selector', 'template']);

const serviceSpec = obj('ServiceSpec describes the attributes that a user creates on a service.', {
  allocateLoadBalancerNodePorts: bool('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer. Default is "true".'),
  clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
  clusterIPs: arr(str(''), 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.'),
  externalIPs: arr(str(''), 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
  externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record).'),
  externalTrafficPolicy: str("externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service's \"externally-facing\" addresses."),
  healthCheckNodePort: int('healthCheckNodePort specifies the healthcheck nodePort for the service.'),
  internalTrafficPolicy: str('InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.'),
  ipFamilies: arr(str(''), 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
  ipFamilyPolicy: str('IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.'),
  loadBalancerClass: str('loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
  loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
  loadBalancerSourceRanges: arr(str(''), 'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.'),
  ports: arr(ref(`${CORE}.ServicePort`, ''), 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies', 'port'),
  publishNotReadyAddresses: bool('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
  selector: strMap('Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. More info: https://kubernetes.io/docs/concepts/services-networking/service/'),
  sessionAffinity: str('Supports "ClientIP" and "None". Used to maintain session affinity. Defaults to None.', { enum: ['ClientIP', 'None'] }),
  sessionAffinityConfig: openObject('sessionAffinityConfig contains the configurations of session affinity.'),
  trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.'),
  type: str('type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.', { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
});

/** Definitions by name, as they appear under `components.schemas`. */
export const builtinDefinitions: Record<string, SchemaNode> = {
  [`${META}.ObjectMeta`]: objectMeta,
  [`${META}.LabelSelector`]: labelSelector,
  [`${CORE}.Container`]: container,
  [`${CORE}.ContainerPort`]: obj('ContainerPort represents a network port in a single container.', {
    containerPort: int("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
    hostIP: str('What host IP to bind the external port to.'),
    hostPort: int('Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536.'),
    name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.'),
    protocol: str('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', { enum: ['SCTP', 'TCP', 'UDP'] }),
  }, ['containerPort']),
  [`${CORE}.EnvVar`]: obj('EnvVar represents an environment variable present in a Container.', {
    name: str('Name of the environment variable. Must be a C_IDENTIFIER.'),
    value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. Defaults to "".'),
    valueFrom: openObject("Source for the environment variable's value. Cannot be used if value is not empty."),
  }, ['name']),
  [`${CORE}.VolumeMount`]: obj('VolumeMount describes a mounting of a Volume within a container.', {
    mountPath: str("Path within the container at which the volume should be mounted.  Must not contain ':'."),
    mountPropagation: str('mountPropagation determines how mounts are propagated from the host to container and the other way around.'),
    name: str('This must match the Name of a Volume.'),
    readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
    recursiveReadOnly: str('RecursiveReadOnly specifies whether read-only mounts should be handled recursively.'),
    subPath: str("Path within the volume from which the container's volume should be mounted. Defaults to \"\" (volume's root)."),
    subPathExpr: str("Expanded path within the volume from which the container's volume should be mounted."),
  }, ['name', 'mountPath']),
  [`${CORE}.Probe`]: { ...obj('Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.', {}), open: true },
  [`${CORE}.ResourceRequirements`]: obj('ResourceRequirements describes the compute resource requirements.', {
    claims: arr(openObject(''), 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.', 'name'),
    limits: { type: 'object', additionalProperties: intOrStr(''), description: 'Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/' },
    requests: { type: 'object', additionalProperties: intOrStr(''), description: 'Requests describes the minimum amount of compute resources required. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/' },
  }),
  [`${CORE}.PodSpec`]: podSpec,
  [`${CORE}.PodTemplateSpec`]: podTemplateSpec,
  [`${CORE}.ServicePort`]: obj("ServicePort contains information on service's port.", {
    appProtocol: str('The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'),
    name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
    nodePort: int('The port on each node on which this service is exposed when type is NodePort or LoadBalancer.'),
    port: int('The port that will be exposed by this service.'),
    protocol: str('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    targetPort: intOrStr("Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map)."),
  }, ['port']),
  [`${CORE}.ServiceSpec`]: serviceSpec,
  [`${APPS}.DeploymentSpec`]: deploymentSpec,
  [`${CORE}.Pod`]: kind('Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.', {
    spec: ref(`${CORE}.PodSpec`, SPEC_OF('pod')),
    status: openObject(STATUS_OF('pod')),
  }),
  [`${CORE}.Service`]: kind('Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.', {
    spec: ref(`${CORE}.ServiceSpec`, SPEC_OF('service')),
    status: openObject(STATUS_OF('service')),
  }),
  [`${CORE}.ConfigMap`]: kind('ConfigMap holds configuration data for pods to consume.', {
    binaryData: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'BinaryData contains the binary data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.' },
    data: strMap("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field."),
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified).'),
  }),
  [`${CORE}.Secret`]: kind('Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.', {
    data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' }, description: 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. The serialized form of the secret data is a base64 encoded string.' },
    immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified).'),
    stringData: strMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience.'),
    type: str('Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
  }),
  [`${CORE}.Namespace`]: kind('Namespace provides a scope for Names. Use of multiple namespaces is optional.', {
    spec: obj('Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status', {
      finalizers: arr(str(''), 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/'),
    }),
    status: openObject('Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
  }),
  [`${CORE}.ServiceAccount`]: kind('ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets', {
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.'),
    imagePullSecrets: arr(openObject(''), 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount.'),
    secrets: arr(openObject(''), 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', 'name'),
  }),
  [`${CORE}.Node`]: specStatusKind("Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).", 'node'),
  [`${CORE}.Endpoints`]: kind('Endpoints is a collection of endpoints that implement the actual service.', {
    subsets: arr(openObject(''), 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share.'),
  }),
  [`${CORE}.Event`]: { ...kind('Event is a report of an event somewhere in the cluster.', {
    involvedObject: openObject('The object that this event is about.'),
    message: str('A human-readable description of the status of this operation.'),
    reason: str("This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    type: str('Type of this event (Normal, Warning), new types could be added in the future'),
  }), open: true },
  [`${CORE}.LimitRange`]: specStatusKind('LimitRange sets resource usage limits for each kind of resource in a Namespace.', 'limit range', undefined, false),
  [`${CORE}.ResourceQuota`]: specStatusKind('ResourceQuota sets aggregate quota restrictions enforced per namespace', 'resource quota'),
  [`${APPS}.Deployment`]: kind('Deployment enables declarative updates for Pods and ReplicaSets.', {
    spec: ref(`${APPS}.DeploymentSpec`, 'Specification of the desired behavior of the Deployment.'),
    status: openObject('Most recently observed status of the Deployment.'),
  }),
  [`${APPS}.ReplicaSet`]: specStatusKind('ReplicaSet ensures that a specified number of pod replicas are running at any given time.', 'ReplicaSet'),
  [`${APPS}.StatefulSet`]: specStatusKind('StatefulSet represents a set of pods with consistent identities.', 'statefulset'),
  [`${APPS}.DaemonSet`]: specStatusKind('DaemonSet represents the configuration of a daemon set.', 'daemonset'),
  ['io.k8s.api.events.v1.Event']: { ...kind('Event is a report of an event somewhere in the cluster.', {}), open: true },
  ['io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler']: specStatusKind('HorizontalPodAutoscaler is the configuration for a horizontal pod autoscaler, which automatically manages the replica count of any resource implementing the scale subresource based on the metrics specified.', 'autoscaler'),
  ['io.k8s.api.batch.v1.Job']: specStatusKind('Job represents the configuration of a single job.', 'job'),
  ['io.k8s.api.batch.v1.CronJob']: specStatusKind('CronJob represents the configuration of a single cron job.', 'cron job'),
  ['io.k8s.api.networking.v1.Ingress']: specStatusKind('Ingress is a collection of rules that allow inbound connections to reach the endpoints defined by a backend.', 'Ingress'),
  ['io.k8s.api.networking.v1.IngressClass']: specStatusKind('IngressClass represents the class of the Ingress, referenced by the Ingress Spec.', 'IngressClass', undefined, false),
  ['io.k8s.api.networking.v1.NetworkPolicy']: specStatusKind('NetworkPolicy describes what network traffic is allowed for a set of Pods', 'NetworkPolicy', undefined, false),
  ['io.k8s.api.policy.v1.PodDisruptionBudget']: specStatusKind('PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods', 'PodDisruptionBudget'),
  ['io.k8s.api.rbac.v1.Role']: { ...kind('Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.', { rules: arr(openObject(''), 'Rules holds all the PolicyRules for this Role') }) },
  ['io.k8s.api.rbac.v1.ClusterRole']: kind('ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.', {
    aggregationRule: openObject('AggregationRule is an optional field that describes how to build the Rules for this ClusterRole.'),
    rules: arr(openObject(''), 'Rules holds all the PolicyRules for this ClusterRole'),
  }),
  ['io.k8s.api.rbac.v1.RoleBinding']: kind('RoleBinding references a role, but does not contain it.', {
    roleRef: openObject('RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    subjects: arr(openObject(''), 'Subjects holds references to the objects the role applies to.'),
  }, ['roleRef']),
  ['io.k8s.api.rbac.v1.ClusterRoleBinding']: kind('ClusterRoleBinding references a ClusterRole, but not contain it.', {
    roleRef: openObject('RoleRef can only reference a ClusterRole in the global namespace.'),
    subjects: arr(openObject(''), 'Subjects holds references to the objects the role applies to.'),
  }, ['roleRef']),
  ['io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration']: kind('MutatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and may change the object.', {
    webhooks: arr(openObject(''), 'Webhooks is a list of webhooks and the affected resources and operations.', 'name'),
  }),
  ['io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration']: kind('ValidatingWebhookConfiguration describes the configuration of and admission webhook that accept or reject and object without changing it.', {
    webhooks: arr(openObject(''), 'Webhooks is a list of webhooks and the affected resources and operations.', 'name'),
  }),
  ['io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition']: specStatusKind('CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.', 'CustomResourceDefinition'),
  ['io.k8s.api.coordination.v1.Lease']: specStatusKind('Lease defines a lease concept.', 'Lease', undefined, false),
  ['io.k8s.api.discovery.v1.EndpointSlice']: { ...kind('EndpointSlice represents a subset of the endpoints that implement a service.', {
    addressType: str('addressType specifies the type of address carried by this EndpointSlice.'),
    endpoints: arr(openObject(''), 'endpoints is a list of unique endpoints in this slice.'),
    ports: arr(openObject(''), 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
  }, ['addressType', 'endpoints']) },
};

/** Package of each group's definitions (`io.k8s.api.apps.v1`). */
export function definitionPackage(group: string, version: string): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  const short = group.replace(/\.k8s\.io$/, '').replace(/^rbac\.authorization$/, 'rbac');
  return `io.k8s.api.${short}.${version}`;
}
