// `kubectl describe`: kubectl's describer output (one tabwriter with padding 2) for Services
// (with their EndpointSlices), Deployments, ReplicaSets, Pods, Namespaces, ConfigMaps, Secrets,
// ServiceAccounts, Roles and RoleBindings (cluster ones too); custom resources generically.
import { statusError } from './api-client.ts';
import { qualifiedResource, resourcePath } from './discovery.ts';
import { parseFlags, flagString } from './flag-parser.ts';
import { resourceRequests } from './get-command.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';
import { annotationsMultiline, eventsFor, eventsSection, labelsMultiline } from './describe-sections.ts';
import {
  describeConfigMap,
  describeDeployment,
  describeGeneric,
  describeNamespace,
  describePod,
  describeReplicaSet,
  describeRole,
  describeRoleBinding,
  describeSecret,
  describeServiceAccount,
} from './kind-describers.ts';
import { tabwrite } from './tab-writer.ts';

const DESCRIBE = { minWidth: 0, padding: 2 };

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
}

interface EndpointSliceLike {
  ports?: { name?: string; port?: number }[];
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
}

function endpointsFor(slices: EndpointSliceLike[], portName: string): string {
  const list: string[] = [];
  for (const slice of slices) {
    for (const port of slice.ports ?? []) {
      if ((port.name ?? '') !== portName) continue;
      for (const endpoint of slice.endpoints ?? []) {
        if (endpoint.conditions?.ready === false) continue;
        for (const address of endpoint.addresses ?? []) list.push(`${address}:${port.port ?? ''}`);
      }
    }
  }
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

async function describeService(context: KubectlContext, service: KubeObject): Promise<string> {
  const metadata = service.metadata ?? {};
  const spec = (service.spec ?? {}) as {
    selector?: Record<string, string>;
    type?: string;
    ipFamilyPolicy?: string;
    ipFamilies?: string[];
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    ports?: ServicePort[];
    sessionAffinity?: string;
    externalTrafficPolicy?: string;
    internalTrafficPolicy?: string;
    externalName?: string;
  };
  const namespace = metadata.namespace ?? '';
  const name = metadata.name ?? '';
  const slices = await context.client.json<{ items?: EndpointSliceLike[] }>({
    path: `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${name}`)}`,
  });
  const events = await eventsFor(context, service);
  let text = `Name:\t${name}\nNamespace:\t${namespace}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  const selector = Object.keys(spec.selector ?? {}).sort().map((key) => `${key}=${spec.selector?.[key] ?? ''}`).join(',');
  text += `Selector:\t${selector === '' ? '<none>' : selector}\n`;
  text += `Type:\t${spec.type ?? ''}\n`;
  if (spec.ipFamilyPolicy !== undefined) text += `IP Family Policy:\t${spec.ipFamilyPolicy}\n`;
  if ((spec.ipFamilies ?? []).length > 0) text += `IP Families:\t${(spec.ipFamilies ?? []).join(',')}\n`;
  if (spec.clusterIP !== undefined && spec.clusterIP !== '') text += `IP:\t${spec.clusterIP}\n`;
  if ((spec.clusterIPs ?? []).length > 0) text += `IPs:\t${(spec.clusterIPs ?? []).join(',')}\n`;
  if ((spec.externalIPs ?? []).length > 0) text += `External IPs:\t${(spec.externalIPs ?? []).join(',')}\n`;
  const ingress = ((service.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [])
    .map((entry) => entry.ip ?? entry.hostname ?? '')
    .filter((entry) => entry !== '');
  if (ingress.length > 0) text += `LoadBalancer Ingress:\t${ingress.join(', ')}\n`;
  if (spec.type === 'ExternalName') text += `External Name:\t${spec.externalName ?? ''}\n`;
  for (const port of spec.ports ?? []) {
    const portName = port.name === undefined || port.name === '' ? '<unset>' : port.name;
    const protocol = port.protocol ?? 'TCP';
    text += `Port:\t${portName}\t${port.port}/${protocol}\n`;
    text += `TargetPort:\t${String(port.targetPort ?? port.port)}/${protocol}\n`;
    if (port.nodePort !== undefined && port.nodePort !== 0) text += `NodePort:\t${portName}\t${port.nodePort}/${protocol}\n`;
    text += `Endpoints:\t${endpointsFor(slices.items ?? [], port.name ?? '')}\n`;
  }
  text += `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`;
  if (spec.externalTrafficPolicy !== undefined && spec.externalTrafficPolicy !== '') text += `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`;
  if (spec.internalTrafficPolicy !== undefined && spec.internalTrafficPolicy !== '') text += `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`;
  text += eventsSection(events, Date.now());
  return text;
}

/** Kinds kubectl describes with a describer of their own (DescriberFor); others get the generic one. */
const KUBECTL_DESCRIBERS = new Set([
  '/Pod', '/ReplicationController', '/Secret', '/Service', '/ServiceAccount', '/Node', '/LimitRange', '/ResourceQuota', '/PersistentVolume',
  '/PersistentVolumeClaim', '/Namespace', '/Endpoints', '/ConfigMap', 'apps/StatefulSet', 'apps/Deployment', 'apps/DaemonSet', 'apps/ReplicaSet',
  'batch/Job', 'batch/CronJob', 'autoscaling/HorizontalPodAutoscaler', 'networking.k8s.io/Ingress', 'networking.k8s.io/IngressClass',
  'networking.k8s.io/NetworkPolicy', 'storage.k8s.io/StorageClass', 'storage.k8s.io/CSINode', 'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'policy/PodDisruptionBudget', 'scheduling.k8s.io/PriorityClass', 'certificates.k8s.io/CertificateSigningRequest', 'discovery.k8s.io/EndpointSlice',
]);

/** Describers by `group/Kind`; each returns text with kubectl's tabs, aligned here. */
const DESCRIBERS: Record<string, (context: KubectlContext, object: KubeObject) => Promise<string>> = {
  '/Service': describeService,
  '/Pod': describePod,
  '/Namespace': describeNamespace,
  '/ConfigMap': describeConfigMap,
  '/ServiceAccount': describeServiceAccount,
  'apps/Deployment': describeDeployment,
  '/Secret': describeSecret,
  'apps/ReplicaSet': describeReplicaSet,
  'rbac.authorization.k8s.io/Role': describeRole,
  'rbac.authorization.k8s.io/ClusterRole': describeRole,
  'rbac.authorization.k8s.io/RoleBinding': describeRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': describeRoleBinding,
};

export async function runDescribe(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'show-events', type: 'bool' },
    { name: 'filename', short: 'f', type: 'strings' },
  ]);
  const discovery = await context.discovery();
  const { requests } = resourceRequests(discovery, [...flags.positionals, ...flags.rest]);
  const selector = flagString(flags, 'selector');
  const namespace = context.namespace;
  const outputs: string[] = [];
  let failed = false;
  for (const request of requests) {
    const key = `${request.resource.group}/${request.resource.kind}`;
    if (DESCRIBERS[key] === undefined && KUBECTL_DESCRIBERS.has(key)) {
      // kubectl has a describer of its own for this kind; the generic one would print something else.
      throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl describe ${qualifiedResource(request.resource)} is not available in this sandbox yet`);
    }
    const describer = DESCRIBERS[key] ?? describeGeneric;
    const objects: KubeObject[] = [];
    if (request.names.length === 0) {
      const query = selector === undefined ? '' : `?labelSelector=${encodeURIComponent(selector)}`;
      const list = await context.client.json<{ items?: KubeObject[] }>({ path: resourcePath(request.resource, namespace) + query });
      objects.push(...(list.items ?? []));
      if (objects.length === 0) {
        context.err(`No resources found in ${namespace} namespace.\n`);
        continue;
      }
    }
    for (const name of request.names) {
      const response = await context.client.raw({ path: resourcePath(request.resource, namespace, name) });
      if (response.status >= 300) {
        context.err(`${statusError(response).render()}\n`);
        failed = true;
        continue;
      }
      objects.push(JSON.parse(response.text) as KubeObject);
    }
    for (const object of objects) outputs.push(tabwrite(await describer(context, object), DESCRIBE));
  }
  context.out(outputs.join('\n\n'));
  return failed ? 1 : 0;
}
