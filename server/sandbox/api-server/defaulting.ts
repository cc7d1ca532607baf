import { asArray, childObject, isJsonObject, type JsonObject } from '../core/json-object.ts';
import type { Rng } from '../core/rng.ts';
import type { ResourceType } from './resource-type.ts';

export interface DefaultingContext {
  rng: Rng;
  allocateClusterIP(): string;
  allocateNodePort(): number;
}

function setDefault(target: JsonObject, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** `Always` for `:latest` or untagged images, otherwise `IfNotPresent` (as the real defaulter). */
function pullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: JsonObject): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'imagePullPolicy', pullPolicyFor(container.image));
  setDefault(container, 'resources', {});
  for (const port of asArray(container.ports)) if (isJsonObject(port)) setDefault(port, 'protocol', 'TCP');
  for (const probeName of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = container[probeName];
    if (!isJsonObject(probe)) continue;
    setDefault(probe, 'timeoutSeconds', 1);
    setDefault(probe, 'periodSeconds', 10);
    setDefault(probe, 'successThreshold', 1);
    setDefault(probe, 'failureThreshold', 3);
    const httpGet = probe.httpGet;
    if (isJsonObject(httpGet)) {
      setDefault(httpGet, 'path', '/');
      setDefault(httpGet, 'scheme', 'HTTP');
    }
  }
}

/** PodSpec defaults shared by pods and pod templates. */
export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers']) {
    for (const container of asArray(spec[list])) if (isJsonObject(container)) defaultContainer(container);
  }
  if (spec.serviceAccountName !== undefined) setDefault(spec, 'serviceAccount', spec.serviceAccountName);
}

/** What admission plugins add to a new pod (ServiceAccount, DefaultTolerationSeconds, Priority). */
function admitPod(pod: JsonObject, rng: Rng): void {
  const spec = childObject(pod, 'spec');
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(spec, 'priority', 0);
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => isJsonObject(t) && t.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
  if (spec.automountServiceAccountToken !== false) {
    const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
    if (!volumes.some((v) => isJsonObject(v) && String(v.name).startsWith('kube-api-access-'))) {
      const name = `kube-api-access-${rng.nameSuffix(5)}`;
      volumes.push({
        name,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      });
      spec.volumes = volumes;
      for (const container of asArray(spec.containers)) {
        if (!isJsonObject(container)) continue;
        const mounts = Array.isArray(container.volumeMounts) ? container.volumeMounts : [];
        mounts.push({ name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' });
        container.volumeMounts = mounts;
      }
    }
  }
  const status = childObject(pod, 'status');
  setDefault(status, 'phase', 'Pending');
  const hasResources = asArray(spec.containers).some((c) => isJsonObject(c) && isJsonObject(c.resources) && Object.keys(c.resources).length > 0);
  setDefault(status, 'qosClass', hasResources ? 'Burstable' : 'BestEffort');
}

function defaultTemplate(owner: JsonObject): void {
  const template = childObject(childObject(owner, 'spec'), 'template');
  defaultPodSpec(childObject(template, 'spec'));
}

/** Fills in what a real API server defaults on create, so `get -o yaml` looks like a cluster's. */
export function applyCreateDefaults(type: ResourceType, object: JsonObject, context: DefaultingContext, operation: 'create' | 'update' = 'create'): void {
  if (type.custom !== undefined) return;
  const spec = (): JsonObject => childObject(object, 'spec');
  switch (type.kind) {
    case 'Pod':
      defaultPodSpec(spec());
      admitPod(object, context.rng);
      break;
    case 'Deployment': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'progressDeadlineSeconds', 600);
      const strategy = childObject(s, 'strategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const rolling = childObject(strategy, 'rollingUpdate');
        setDefault(rolling, 'maxUnavailable', '25%');
        setDefault(rolling, 'maxSurge', '25%');
      }
      defaultTemplate(object);
      setDefault(object, 'status', {});
      break;
    }
    case 'ReplicaSet':
      setDefault(spec(), 'replicas', 1);
      defaultTemplate(object);
      break;
    case 'StatefulSet': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      setDefault(s, 'podManagementPolicy', 'OrderedReady');
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(s, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      defaultTemplate(object);
      break;
    }
    case 'DaemonSet': {
      const s = spec();
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
      defaultTemplate(object);
      break;
    }
    case 'Job': {
      const s = spec();
      setDefault(s, 'parallelism', 1);
      setDefault(s, 'completions', 1);
      setDefault(s, 'backoffLimit', 6);
      setDefault(s, 'completionMode', 'NonIndexed');
      setDefault(s, 'suspend', false);
      setDefault(s, 'podReplacementPolicy', 'TerminatingOrFailed');
      if (s.manualSelector !== true) {
        const uid = String(childObject(object, 'metadata').uid ?? '');
        const name = String(childObject(object, 'metadata').name ?? '');
        const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name };
        setDefault(s, 'selector', { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
        const templateMeta = childObject(childObject(s, 'template'), 'metadata');
        templateMeta.labels = { ...(isJsonObject(templateMeta.labels) ? templateMeta.labels : {}), ...labels };
      }
      defaultTemplate(object);
      break;
    }
    case 'HorizontalPodAutoscaler': {
      const s = spec();
      setDefault(s, 'minReplicas', 1);
      if (!Array.isArray(s.metrics) || s.metrics.length === 0) s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
      break;
    }
    case 'CronJob': {
      const s = spec();
      setDefault(s, 'concurrencyPolicy', 'Allow');
      setDefault(s, 'suspend', false);
      setDefault(s, 'successfulJobsHistoryLimit', 3);
      setDefault(s, 'failedJobsHistoryLimit', 1);
      const jobSpec = childObject(childObject(s, 'jobTemplate'), 'spec');
      defaultPodSpec(childObject(childObject(jobSpec, 'template'), 'spec'));
      break;
    }
    case 'Service': {
      const s = spec();
      setDefault(s, 'type', 'ClusterIP');
      setDefault(s, 'sessionAffinity', 'None');
      if (s.type !== 'ExternalName') {
        if (s.clusterIP === undefined || s.clusterIP === '') s.clusterIP = context.allocateClusterIP();
        setDefault(s, 'clusterIPs', [s.clusterIP]);
        setDefault(s, 'ipFamilies', s.clusterIP === 'None' ? ['IPv4'] : ['IPv4']);
        setDefault(s, 'ipFamilyPolicy', 'SingleStack');
        setDefault(s, 'internalTrafficPolicy', 'Cluster');
      }
      const external = s.type === 'NodePort' || s.type === 'LoadBalancer';
      if (external) setDefault(s, 'externalTrafficPolicy', 'Cluster');
      if (s.type === 'LoadBalancer') setDefault(s, 'allocateLoadBalancerNodePorts', true);
      for (const port of asArray(s.ports)) {
        if (!isJsonObject(port)) continue;
        setDefault(port, 'protocol', 'TCP');
        setDefault(port, 'targetPort', port.port);
        if (external) setDefault(port, 'nodePort', context.allocateNodePort());
      }
      setDefault(object, 'status', { loadBalancer: {} });
      break;
    }
    case 'Namespace': {
      const meta = childObject(object, 'metadata');
      const labels = childObject(meta, 'labels');
      labels['kubernetes.io/metadata.name'] = String(meta.name ?? '');
      // The namespace strategy adds the finalizer at creation only; removing it ends termination.
      if (operation === 'create') {
        setDefault(spec(), 'finalizers', ['kubernetes']);
        childObject(object, 'status').phase = 'Active';
      }
      break;
    }
    case 'Secret':
      setDefault(object, 'type', 'Opaque');
      break;
  }
}

/** Defaults that also apply on every update (write-only fields folded in). */
export function applyWriteDefaults(type: ResourceType, object: JsonObject): void {
  if (type.kind === 'Secret' && type.group === '' && isJsonObject(object.stringData)) {
    const data = childObject(object, 'data');
    for (const [key, value] of Object.entries(object.stringData)) data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    delete object.stringData;
  }
  if (type.kind === 'Namespace' && type.group === '') {
    const meta = childObject(object, 'metadata');
    childObject(meta, 'labels')['kubernetes.io/metadata.name'] = String(meta.name ?? '');
  }
}
