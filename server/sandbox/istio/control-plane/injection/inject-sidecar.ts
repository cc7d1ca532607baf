// The pod the injector returns (istio-control/istio-discovery/files/injection-template.yaml):
// istio-init (or istio-validation with CNI), istio-proxy as a regular or native sidecar, the
// volumes, labels and annotations of §2.3, and app HTTP probes redirected through the agent.
import { asArray, asObject, asString, deepClone, type JsonObject } from '../../../core/json-object.ts';
import { ISTIO_RELEASE } from '../install/istio-release.ts';

export interface SidecarOptions {
  /** `istio.io/rev` of the injector, `default` for the unnamed revision. */
  revision: string;
  /** Owning workload (Deployment name for ReplicaSet pods); falls back to the pod name. */
  workloadName?: string;
  /** apiVersion/kind of the owner for ISTIO_META_OWNER, e.g. `apps/v1` + `Deployment`. */
  ownerKind?: { apiVersion: string; kind: string };
  /** Put istio-proxy in initContainers with restartPolicy Always (1.27+ when every node is ≥ 1.33). */
  nativeSidecar?: boolean;
  /** istio-cni installed: istio-validation replaces istio-init. */
  cni?: boolean;
  hub?: string;
  tag?: string;
  /** `istiod` service name answering for this revision. */
  discoveryService?: string;
  istioNamespace?: string;
}

const VOLUMES = ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert', 'istio-ca-crl'];

function fieldRef(name: string, path: string): JsonObject {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: path } } };
}

/**
 * Whether 1.30 picks native sidecars by default (`ENABLE_NATIVE_SIDECARS=auto`): only when every
 * node's kubelet is at least 1.33.
 */
export function nativeSidecarDefault(kubeletVersions: readonly string[]): boolean {
  if (kubeletVersions.length === 0) return false;
  return kubeletVersions.every((version) => {
    const found = /^v?(\d+)\.(\d+)/.exec(version);
    return found !== null && (Number(found[1]) > 1 || Number(found[2]) >= 33);
  });
}

function iptablesArgs(validationOnly: boolean): string[] {
  const args = ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'];
  if (validationOnly) args.push('--run-validation', '--skip-rule-apply');
  return args;
}

function workloadName(pod: JsonObject, options: SidecarOptions): string {
  if (options.workloadName !== undefined) return options.workloadName;
  const metadata = asObject(pod.metadata);
  return asString(metadata.name) ?? asString(metadata.generateName)?.replace(/-$/, '') ?? '';
}

function canonicalName(labels: Record<string, unknown>, workload: string): string {
  return asString(labels['service.istio.io/canonical-name']) ?? asString(labels['app.kubernetes.io/name']) ?? asString(labels.app) ?? workload;
}

function canonicalRevision(labels: Record<string, unknown>): string {
  return asString(labels['service.istio.io/canonical-revision']) ?? asString(labels['app.kubernetes.io/version']) ?? asString(labels.version) ?? 'latest';
}

/** Rewrites app httpGet probes to the agent on 15020 and returns the original probers. */
function rewriteProbes(containers: JsonObject[]): Record<string, JsonObject> {
  const probers: Record<string, JsonObject> = {};
  const kinds: Array<[string, string]> = [['readinessProbe', 'readyz'], ['livenessProbe', 'livez'], ['startupProbe', 'startupz']];
  for (const container of containers) {
    const name = asString(container.name) ?? '';
    for (const [field, suffix] of kinds) {
      const probe = asObject(container[field]);
      const httpGet = asObject(probe.httpGet);
      if (Object.keys(httpGet).length === 0) continue;
      const path = `/app-health/${name}/${suffix}`;
      const original: JsonObject = { httpGet: { ...httpGet, scheme: asString(httpGet.scheme) ?? 'HTTP' } };
      if (probe.timeoutSeconds !== undefined) original.timeoutSeconds = probe.timeoutSeconds;
      else original.timeoutSeconds = 1;
      probers[path] = original;
      container[field] = { ...probe, httpGet: { path, port: 15020, scheme: 'HTTP' } };
    }
  }
  return probers;
}

/** Returns an injected copy of a pod (or pod template: `metadata` + `spec`). */
export function injectSidecar(pod: JsonObject, options: SidecarOptions): JsonObject {
  const out = deepClone(pod);
  const metadata = asObject(out.metadata);
  out.metadata = metadata;
  const spec = asObject(out.spec);
  out.spec = spec;
  const labels = asObject(metadata.labels);
  const annotations = asObject(metadata.annotations);
  const hub = options.hub ?? ISTIO_RELEASE.hub;
  const tag = options.tag ?? ISTIO_RELEASE.tag;
  const istioNamespace = options.istioNamespace ?? 'istio-system';
  const discovery = options.discoveryService ?? (options.revision === 'default' ? 'istiod' : `istiod-${options.revision}`);
  const native = options.nativeSidecar === true || asString(annotations['sidecar.istio.io/nativeSidecar']) === 'true';
  const appContainers = asArray(spec.containers).map(asObject);
  const workload = workloadName(out, options);
  const namespace = asString(metadata.namespace);
  const owner = options.ownerKind ?? { apiVersion: 'apps/v1', kind: 'Deployment' };

  const podPorts = appContainers.flatMap((container) => asArray(container.ports).map((port) => {
    const source = asObject(port);
    const entry: JsonObject = {};
    if (source.name !== undefined) entry.name = source.name;
    entry.containerPort = source.containerPort;
    entry.protocol = source.protocol ?? 'TCP';
    return entry;
  }));
  const probers = asString(annotations['sidecar.istio.io/rewriteAppHTTPProbers']) === 'false' ? {} : rewriteProbes(appContainers);

  const env: JsonObject[] = [
    { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
    { name: 'CA_ADDR', value: `${discovery}.${istioNamespace}.svc:15012` },
    fieldRef('POD_NAME', 'metadata.name'),
    fieldRef('POD_NAMESPACE', 'metadata.namespace'),
    fieldRef('INSTANCE_IP', 'status.podIP'),
    fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    fieldRef('HOST_IP', 'status.hostIP'),
    { name: 'ISTIO_CPU_LIMIT', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } },
    { name: 'PROXY_CONFIG', value: '{}\n' },
    { name: 'ISTIO_META_POD_PORTS', value: `[\n${podPorts.map((p) => `    ${JSON.stringify(p)}`).join('\n    ,')}\n]` },
    { name: 'ISTIO_META_APP_CONTAINERS', value: appContainers.map((c) => String(c.name)).join(',') },
    { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.memory' } } },
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { divisor: '0', resource: 'limits.cpu' } } },
    { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
    fieldRef('ISTIO_META_NODE_NAME', 'spec.nodeName'),
    { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
    { name: 'ISTIO_META_WORKLOAD_NAME', value: workload },
    { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/${owner.apiVersion}/namespaces/${namespace ?? 'default'}/${owner.kind.toLowerCase()}s/${workload}` },
    { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
    { name: 'TRUST_DOMAIN', value: 'cluster.local' },
  ];
  if (Object.keys(probers).length > 0) env.push({ name: 'ISTIO_KUBE_APP_PROBERS', value: JSON.stringify(probers) });

  const proxy: JsonObject = {
    name: 'istio-proxy',
    image: `${hub}/proxyv2:${tag}`,
    args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    env,
    ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
    readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 15, timeoutSeconds: 3 },
    startupProbe: { failureThreshold: 600, httpGet: { path: '/healthz/ready', port: 15021 }, periodSeconds: 1, timeoutSeconds: 3 },
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
    volumeMounts: [
      { mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' },
      { mountPath: '/var/run/secrets/credential-uds', name: 'credential-socket' },
      { mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs' },
      { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
      { mountPath: '/var/run/secrets/istio/crl', name: 'istio-ca-crl' },
      { mountPath: '/var/lib/istio/data', name: 'istio-data' },
      { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
      { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
      { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
    ],
  };
  const initName = options.cni === true ? 'istio-validation' : 'istio-init';
  const init: JsonObject = {
    name: initName,
    image: `${hub}/proxyv2:${tag}`,
    args: iptablesArgs(options.cni === true),
    resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
    securityContext:
      options.cni === true
        ? { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 }
        : { allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
  };

  const existingInit = asArray(spec.initContainers).map(asObject);
  if (native) {
    proxy.restartPolicy = 'Always';
    spec.initContainers = [init, proxy, ...existingInit];
    spec.containers = appContainers;
  } else {
    spec.initContainers = [init, ...existingInit];
    spec.containers = [...appContainers, proxy];
  }
  spec.volumes = [
    ...asArray(spec.volumes),
    { emptyDir: {}, name: 'workload-socket' },
    { emptyDir: {}, name: 'credential-socket' },
    { emptyDir: {}, name: 'workload-certs' },
    { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' },
    { emptyDir: {}, name: 'istio-data' },
    {
      downwardAPI: { items: [{ fieldRef: { fieldPath: 'metadata.labels' }, path: 'labels' }, { fieldRef: { fieldPath: 'metadata.annotations' }, path: 'annotations' }] },
      name: 'istio-podinfo',
    },
    { name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
    { configMap: { name: 'istio-ca-root-cert' }, name: 'istiod-ca-cert' },
    { configMap: { name: 'istio-ca-crl', optional: true }, name: 'istio-ca-crl' },
  ];

  const firstApp = asString(appContainers[0]?.name);
  const status = {
    initContainers: native ? [initName, 'istio-proxy'] : [initName],
    containers: native ? null : ['istio-proxy'],
    volumes: VOLUMES,
    imagePullSecrets: null,
    revision: options.revision,
  };
  if (firstApp !== undefined) {
    annotations['kubectl.kubernetes.io/default-container'] ??= firstApp;
    annotations['kubectl.kubernetes.io/default-logs-container'] ??= firstApp;
  }
  annotations['istio.io/rev'] = options.revision;
  annotations['prometheus.io/path'] ??= '/stats/prometheus';
  annotations['prometheus.io/port'] ??= '15020';
  annotations['prometheus.io/scrape'] ??= 'true';
  annotations['sidecar.istio.io/status'] = JSON.stringify(status);
  metadata.annotations = annotations;

  labels['security.istio.io/tlsMode'] = 'istio';
  labels['service.istio.io/canonical-name'] = canonicalName(labels, workload);
  labels['service.istio.io/canonical-revision'] = canonicalRevision(labels);
  metadata.labels = labels;
  return out;
}
