// kubectl's describers for Deployments, Pods, Namespaces, ConfigMaps and ServiceAccounts,
// line for line, before the shared tabwriter aligns them (see describe-command.ts).
import { annotationsMultiline, eventsFor, eventsSection, labelsMultiline, rfc1123z, tolerationsMultiline } from './describe-sections.ts';
import type { KubectlContext } from './kubectl-context.ts';
import type { KubeObject } from './object-output.ts';
import { policyRule, ruleRow, sortedCompactRules, type PolicyRule } from './policy-rules.ts';
import { describeContainers, describePodTemplate, describeVolumes, type ContainerStatus, type PodSpecLike, type PodTemplateLike } from './pod-template-description.ts';

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key?: string; operator?: string; values?: string[] }[];
}

/** metav1.FormatLabelSelector. */
function formatSelector(selector: LabelSelector | undefined): string {
  const parts = Object.keys(selector?.matchLabels ?? {}).sort().map((key) => `${key}=${selector?.matchLabels?.[key] ?? ''}`);
  for (const expression of selector?.matchExpressions ?? []) {
    const values = [...(expression.values ?? [])].sort().join(',');
    switch (expression.operator) {
      case 'In': parts.push(`${expression.key ?? ''} in (${values})`); break;
      case 'NotIn': parts.push(`${expression.key ?? ''} notin (${values})`); break;
      case 'Exists': parts.push(expression.key ?? ''); break;
      case 'DoesNotExist': parts.push(`!${expression.key ?? ''}`); break;
    }
  }
  const text = parts.join(',');
  return text === '' ? '<none>' : text;
}

interface ReplicaSetLike {
  metadata?: { name?: string; uid?: string; creationTimestamp?: string; ownerReferences?: { uid?: string; controller?: boolean }[] };
  spec?: { replicas?: number; template?: PodTemplateLike };
  status?: { replicas?: number };
}

function sameTemplate(a: PodTemplateLike | undefined, b: PodTemplateLike | undefined): boolean {
  const strip = (template: PodTemplateLike | undefined): string => {
    const labels = { ...(template?.metadata?.labels ?? {}) };
    delete labels['pod-template-hash'];
    return JSON.stringify(sortDeep({ ...template, metadata: { ...(template?.metadata ?? {}), labels } }));
  };
  return strip(a) === strip(b);
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, sortDeep(record[key])]));
}

function replicaSetsText(sets: readonly ReplicaSetLike[]): string {
  if (sets.length === 0) return '<none>';
  return sets.map((set) => `${set.metadata?.name ?? ''} (${set.status?.replicas ?? 0}/${set.spec?.replicas ?? 0} replicas created)`).join(', ');
}

export async function describeDeployment(context: KubectlContext, deployment: KubeObject): Promise<string> {
  const metadata = deployment.metadata ?? {};
  const spec = (deployment.spec ?? {}) as {
    replicas?: number;
    selector?: LabelSelector;
    minReadySeconds?: number;
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    template?: PodTemplateLike;
  };
  const status = (deployment.status ?? {}) as { updatedReplicas?: number; replicas?: number; availableReplicas?: number; unavailableReplicas?: number; conditions?: { type?: string; status?: string; reason?: string }[] };
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\nCreationTimestamp:\t${rfc1123z(metadata.creationTimestamp as string | undefined)}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  text += `Selector:\t${formatSelector(spec.selector)}\n`;
  text += `Replicas:\t${spec.replicas ?? 1} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`;
  text += `StrategyType:\t${spec.strategy?.type ?? ''}\nMinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`;
  const rolling = spec.strategy?.rollingUpdate;
  if (rolling !== undefined) text += `RollingUpdateStrategy:\t${String(rolling.maxUnavailable ?? '')} max unavailable, ${String(rolling.maxSurge ?? '')} max surge\n`;
  text += describePodTemplate(spec.template ?? {});
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    text += 'Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n';
    for (const condition of conditions) text += `  ${condition.type ?? ''} \t${condition.status ?? ''}\t${condition.reason ?? ''}\n`;
  }
  const namespace = metadata.namespace ?? '';
  const selector = Object.entries(spec.selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(',');
  const list = await context.client.json<{ items?: ReplicaSetLike[] }>({ path: `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets?labelSelector=${encodeURIComponent(selector)}` });
  const owned = (list.items ?? [])
    .filter((set) => (set.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === metadata.uid))
    .sort((a, b) => Date.parse(a.metadata?.creationTimestamp ?? '') - Date.parse(b.metadata?.creationTimestamp ?? '') || ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
  const current = owned.find((set) => sameTemplate(set.spec?.template, spec.template));
  const old = owned.filter((set) => set !== current);
  text += `OldReplicaSets:\t${replicaSetsText(old)}\nNewReplicaSet:\t${replicaSetsText(current === undefined ? [] : [current])}\n`;
  text += eventsSection(await eventsFor(context, deployment), Date.now());
  return text;
}

/** The value a pod's env fieldRef resolves to (EnvValueRetriever). */
function podField(pod: KubeObject, path: string): string {
  const metadata = pod.metadata ?? {};
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  const status = (pod.status ?? {}) as { hostIP?: string; podIP?: string; podIPs?: { ip?: string }[]; hostIPs?: { ip?: string }[] };
  const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (keyed !== null) return (keyed[1] === 'labels' ? metadata.labels : metadata.annotations)?.[keyed[2] ?? ''] ?? '';
  switch (path) {
    case 'metadata.name': return metadata.name ?? '';
    case 'metadata.namespace': return metadata.namespace ?? '';
    case 'metadata.uid': return String(metadata.uid ?? '');
    case 'spec.nodeName': return spec.nodeName ?? '';
    case 'spec.serviceAccountName': return spec.serviceAccountName ?? '';
    case 'status.hostIP': return status.hostIP ?? '';
    case 'status.hostIPs': return (status.hostIPs ?? []).map((entry) => entry.ip ?? '').join(',');
    case 'status.podIP': return status.podIP ?? '';
    case 'status.podIPs': return (status.podIPs ?? []).map((entry) => entry.ip ?? '').join(',');
    default: return '';
  }
}

export async function describePod(context: KubectlContext, pod: KubeObject): Promise<string> {
  const metadata = pod.metadata ?? {};
  const spec = (pod.spec ?? {}) as PodSpecLike & { priority?: number; runtimeClassName?: string; nodeName?: string };
  const status = (pod.status ?? {}) as {
    phase?: string; reason?: string; message?: string; hostIP?: string; startTime?: string; podIP?: string; podIPs?: { ip?: string }[];
    nominatedNodeName?: string; qosClass?: string; conditions?: { type?: string; status?: string }[];
    initContainerStatuses?: ContainerStatus[]; containerStatuses?: ContainerStatus[];
  };
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\n`;
  if (spec.priority !== undefined) text += `Priority:\t${spec.priority}\n`;
  if ((spec.priorityClassName ?? '') !== '') text += `Priority Class Name:\t${spec.priorityClassName ?? ''}\n`;
  if ((spec.runtimeClassName ?? '') !== '') text += `Runtime Class Name:\t${spec.runtimeClassName ?? ''}\n`;
  if ((spec.serviceAccountName ?? '') !== '') text += `Service Account:\t${spec.serviceAccountName ?? ''}\n`;
  text += (spec.nodeName ?? '') === '' ? 'Node:\t<none>\n' : `Node:\t${spec.nodeName ?? ''}/${status.hostIP ?? ''}\n`;
  if (status.startTime !== undefined) text += `Start Time:\t${rfc1123z(status.startTime)}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  const deleted = metadata['deletionTimestamp'] as string | undefined;
  if (deleted !== undefined && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    text += `Status:\tTerminating (lasts ${humanSince(deleted)})\nTermination Grace Period:\t${String(metadata['deletionGracePeriodSeconds'] ?? 0)}s\n`;
  } else text += `Status:\t${status.phase ?? ''}\n`;
  if ((status.reason ?? '') !== '') text += `Reason:\t${status.reason ?? ''}\n`;
  if ((status.message ?? '') !== '') text += `Message:\t${status.message ?? ''}\n`;
  text += `IP:\t${status.podIP ?? ''}\n`;
  const ips = status.podIPs ?? [];
  text += ips.length === 0 ? 'IPs:\t<none>\n' : `IPs:\n${ips.map((entry) => `  IP:\t${entry.ip ?? ''}\n`).join('')}`;
  const owner = ((metadata['ownerReferences'] ?? []) as { kind?: string; name?: string; controller?: boolean }[]).find((reference) => reference.controller === true);
  if (owner !== undefined) text += `Controlled By:\t${owner.kind ?? ''}/${owner.name ?? ''}\n`;
  if ((status.nominatedNodeName ?? '') !== '') text += `NominatedNodeName:\t${status.nominatedNodeName ?? ''}\n`;
  const resolve = (path: string): string => podField(pod, path);
  if ((spec.initContainers ?? []).length > 0) text += describeContainers('Init Containers', spec.initContainers ?? [], status.initContainerStatuses ?? [], resolve, '');
  text += describeContainers('Containers', spec.containers ?? [], status.containerStatuses ?? [], resolve, '');
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) text += `Conditions:\n  Type\tStatus\n${conditions.map((condition) => `  ${condition.type ?? ''} \t${condition.status ?? ''} \n`).join('')}`;
  text += describeVolumes(spec.volumes, '');
  text += `QoS Class:\t${status.qosClass ?? 'BestEffort'}\n`;
  text += labelsMultiline('Node-Selectors', spec.nodeSelector);
  text += tolerationsMultiline('Tolerations', spec.tolerations);
  text += eventsSection(await eventsFor(context, pod), Date.now());
  return text;
}

function humanSince(timestamp: string): string {
  const seconds = Math.max(0, Math.trunc((Date.now() - Date.parse(timestamp)) / 1000));
  return `${seconds}s`;
}

export async function describeNamespace(context: KubectlContext, namespace: KubeObject): Promise<string> {
  const metadata = namespace.metadata ?? {};
  const name = encodeURIComponent(metadata.name ?? '');
  let text = `Name:\t${metadata.name ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  text += `Status:\t${String((namespace.status as { phase?: string } | undefined)?.phase ?? '')}\n`;
  const quotas = await context.client.json<{ items?: KubeObject[] }>({ path: `/api/v1/namespaces/${name}/resourcequotas` });
  const limits = await context.client.json<{ items?: KubeObject[] }>({ path: `/api/v1/namespaces/${name}/limitranges` });
  text += (quotas.items ?? []).length === 0 ? '\nNo resource quota.\n' : `\nResource Quotas\n${(quotas.items ?? []).map((quota) => `  Name:\t${quota.metadata?.name ?? ''}\n`).join('')}`;
  text += (limits.items ?? []).length === 0 ? '\nNo LimitRange resource.\n' : `\nResource Limits\n${(limits.items ?? []).map((limit) => `  Name:\t${limit.metadata?.name ?? ''}\n`).join('')}`;
  return text;
}

export async function describeConfigMap(context: KubectlContext, configMap: KubeObject): Promise<string> {
  const metadata = configMap.metadata ?? {};
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  const data = (configMap.data ?? {}) as Record<string, string>;
  text += '\nData\n====\n';
  for (const key of Object.keys(data).sort()) text += `${key}:\n----\n${data[key] ?? ''}\n\n`;
  text += '\nBinaryData\n====\n';
  const binary = (configMap.binaryData ?? {}) as Record<string, string>;
  for (const key of Object.keys(binary).sort()) text += `${key}: ${Buffer.from(binary[key] ?? '', 'base64').length} bytes\n`;
  text += '\n';
  text += eventsSection(await eventsFor(context, configMap), Date.now());
  return text;
}

export async function describeServiceAccount(context: KubectlContext, account: KubeObject): Promise<string> {
  const metadata = account.metadata ?? {};
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  const list = (title: string, names: string[]): string => (names.length === 0 ? `${title}:\t<none>\n` : names.map((name, index) => `${index === 0 ? `${title}:` : ''}\t${name}\n`).join(''));
  text += list('Image pull secrets', ((account.imagePullSecrets ?? []) as { name?: string }[]).map((entry) => entry.name ?? ''));
  text += list('Mountable secrets', ((account.secrets ?? []) as { name?: string }[]).map((entry) => entry.name ?? ''));
  text += 'Tokens:\t<none>\n';
  text += eventsSection(await eventsFor(context, account), Date.now());
  return text;
}

/** fatih/camelcase Split: runs of one character class, an upper-case letter moved onto the lower-case run it starts. */
function camelSplit(text: string): string[] {
  const runs: string[][] = [];
  let last = 0;
  for (const char of text) {
    const kind = /\p{Ll}/u.test(char) ? 1 : /\p{Lu}/u.test(char) ? 2 : /\p{Nd}/u.test(char) ? 3 : 4;
    if (kind === last) runs[runs.length - 1]?.push(char);
    else runs.push([char]);
    last = kind;
  }
  for (let index = 0; index < runs.length - 1; index++) {
    const current = runs[index] ?? [];
    const next = runs[index + 1] ?? [];
    if (/\p{Lu}/u.test(current[0] ?? '') && /\p{Ll}/u.test(next[0] ?? '')) {
      next.unshift(current.pop() ?? '');
    }
  }
  return runs.filter((run) => run.length > 0).map((run) => run.join(''));
}

/** smartLabelFor: `apiVersion` → `API Version`; names with other characters stay as they are. */
function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((part) => part !== '_')
    .map((part) => (['API', 'URL', 'UID', 'OSB', 'GUID'].includes(part.toUpperCase()) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join(' ');
}

function goScalar(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  return String(value);
}

const GENERIC_SKIPPED = new Set(['.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations', '.metadata.managedFields']);

function unstructuredContent(content: Record<string, unknown>, level: number, prefix: string): string {
  let text = '';
  const indent = '  '.repeat(level);
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (GENERIC_SKIPPED.has(path)) continue;
    if (Array.isArray(value)) {
      text += `${indent}${smartLabel(field)}:\n`;
      for (const child of value) {
        if (child !== null && typeof child === 'object' && !Array.isArray(child)) text += unstructuredContent(child as Record<string, unknown>, level + 1, path);
        else text += `${'  '.repeat(level + 1)}${Array.isArray(child) ? `[${child.map(goScalar).join(' ')}]` : goScalar(child)}\n`;
      }
    } else if (value !== null && typeof value === 'object') {
      text += `${indent}${smartLabel(field)}:\n${unstructuredContent(value as Record<string, unknown>, level + 1, path)}`;
    } else text += `${indent}${smartLabel(field)}:\t${goScalar(value)}\n`;
  }
  return text;
}

/** The generic describer kubectl uses for every kind without its own (CRDs, Istio resources, …). */
export async function describeGeneric(context: KubectlContext, object: KubeObject): Promise<string> {
  const metadata = object.metadata ?? {};
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  text += unstructuredContent(object, 0, '');
  text += eventsSection(await eventsFor(context, object), Date.now());
  return text;
}

export async function describeSecret(_context: KubectlContext, secret: KubeObject): Promise<string> {
  const metadata = secret.metadata ?? {};
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  const type = String(secret.type ?? '');
  text += `\nType:\t${type}\n\nData\n====\n`;
  const data = (secret.data ?? {}) as Record<string, string>;
  // kubectl walks a Go map here, in no fixed order; sorted keys are one of its orders.
  for (const key of Object.keys(data).sort()) {
    const value = Buffer.from(data[key] ?? '', 'base64');
    text += key === 'token' && type === 'kubernetes.io/service-account-token' ? `${key}:\t${value.toString('utf8')}\n` : `${key}:\t${value.length} bytes\n`;
  }
  return text;
}

export async function describeReplicaSet(context: KubectlContext, replicaSet: KubeObject): Promise<string> {
  const metadata = replicaSet.metadata ?? {};
  const spec = (replicaSet.spec ?? {}) as { replicas?: number; selector?: LabelSelector; template?: PodTemplateLike };
  const status = (replicaSet.status ?? {}) as { replicas?: number; conditions?: { type?: string; status?: string; reason?: string }[] };
  let text = `Name:\t${metadata.name ?? ''}\nNamespace:\t${metadata.namespace ?? ''}\nSelector:\t${formatSelector(spec.selector)}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  const owner = ((metadata['ownerReferences'] ?? []) as { kind?: string; name?: string; controller?: boolean }[]).find((reference) => reference.controller === true);
  if (owner !== undefined) text += `Controlled By:\t${owner.kind ?? ''}/${owner.name ?? ''}\n`;
  text += `Replicas:\t${status.replicas ?? 0} current / ${spec.replicas ?? 1} desired\n`;
  const selector = Object.entries(spec.selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`).join(',');
  const pods = await context.client.json<{ items?: KubeObject[] }>({
    path: `/api/v1/namespaces/${encodeURIComponent(metadata.namespace ?? '')}/pods?labelSelector=${encodeURIComponent(selector)}`,
  });
  const phases = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 } as Record<string, number>;
  for (const pod of pods.items ?? []) {
    const owned = ((pod.metadata?.['ownerReferences'] ?? []) as { uid?: string; controller?: boolean }[]).some((reference) => reference.controller === true && reference.uid === metadata.uid);
    const phase = String((pod.status as { phase?: string } | undefined)?.phase ?? '');
    if (owned && phase in phases) phases[phase] = (phases[phase] ?? 0) + 1;
  }
  text += `Pods Status:\t${phases.Running ?? 0} Running / ${phases.Pending ?? 0} Waiting / ${phases.Succeeded ?? 0} Succeeded / ${phases.Failed ?? 0} Failed\n`;
  text += describePodTemplate(spec.template ?? {});
  const conditions = status.conditions ?? [];
  if (conditions.length > 0) {
    text += 'Conditions:\n  Type\tStatus\tReason\n  ----\t------\t------\n';
    for (const condition of conditions) text += `  ${condition.type ?? ''} \t${condition.status ?? ''}\t${condition.reason ?? ''}\n`;
  }
  text += eventsSection(await eventsFor(context, replicaSet), Date.now());
  return text;
}

/** Roles and ClusterRoles: their rules as kubectl breaks down, merges and sorts them. */
export async function describeRole(_context: KubectlContext, role: KubeObject): Promise<string> {
  const metadata = role.metadata ?? {};
  let text = `Name:\t${metadata.name ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  text += 'PolicyRule:\n  Resources\tNon-Resource URLs\tResource Names\tVerbs\n  ---------\t-----------------\t--------------\t-----\n';
  const rules = ((role.rules ?? []) as Partial<PolicyRule>[]).map(policyRule);
  for (const rule of sortedCompactRules(rules)) text += `  ${ruleRow(rule).join('\t')}\n`;
  return text;
}

/** RoleBindings and ClusterRoleBindings. */
export async function describeRoleBinding(_context: KubectlContext, binding: KubeObject): Promise<string> {
  const metadata = binding.metadata ?? {};
  const roleRef = (binding.roleRef ?? {}) as { kind?: string; name?: string };
  let text = `Name:\t${metadata.name ?? ''}\n`;
  text += labelsMultiline('Labels', metadata.labels);
  text += annotationsMultiline('Annotations', metadata.annotations);
  text += `Role:\n  Kind:\t${roleRef.kind ?? ''}\n  Name:\t${roleRef.name ?? ''}\n`;
  text += 'Subjects:\n  Kind\tName\tNamespace\n  ----\t----\t---------\n';
  for (const subject of (binding.subjects ?? []) as { kind?: string; name?: string; namespace?: string }[]) {
    text += `  ${subject.kind ?? ''}\t${subject.name ?? ''}\t${subject.namespace ?? ''}\n`;
  }
  return text;
}
