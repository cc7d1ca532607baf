import { asArray, asObject, asString, readPath, type JsonObject } from '../core/json-object.ts';
import { fromEventsV1 } from './event-versions.ts';
import { ageOf, humanDuration } from './human-duration.ts';
import { formatLabelSelector, labelSelectorFromObject } from './label-selector.ts';
import type { PrinterColumn, ResourceType } from './resource-type.ts';
import { evaluateJsonPath } from './simple-json-path.ts';

type Cell = string | number | boolean | null;

interface Printer {
  columns: PrinterColumn[];
  cells(object: JsonObject, now: number): Cell[];
}

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

function column(name: string, description = '', priority = 0, format = '', type = 'string'): PrinterColumn {
  return { name, type, format, description, priority };
}

const nameColumn = column('Name', NAME_DESCRIPTION, 0, 'name');
const ageColumn = column('Age', AGE_DESCRIPTION);

const meta = (object: JsonObject): JsonObject => asObject(object.metadata);
const spec = (object: JsonObject): JsonObject => asObject(object.spec);
const status = (object: JsonObject): JsonObject => asObject(object.status);
const nameOf = (object: JsonObject): string => String(meta(object).name ?? '');
const age = (object: JsonObject, now: number): string => ageOf(meta(object).creationTimestamp, now);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const orNone = (value: unknown): string => (value === undefined || value === null || value === '' ? '<none>' : String(value));

function formatLabels(labels: unknown): string {
  const entries = Object.entries(asObject(labels)).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? '<none>' : entries.map(([key, value]) => `${key}=${String(value)}`).join(',');
}

function selectorOf(object: JsonObject): string {
  const formatted = formatLabelSelector(labelSelectorFromObject(spec(object).selector));
  return formatted === '' ? '<none>' : formatted;
}

function templateContainers(object: JsonObject, path: string[] = ['spec', 'template', 'spec', 'containers']): [string, string] {
  const containers = asArray(readPath(object, path)).map(asObject);
  return [containers.map((c) => String(c.name ?? '')).join(','), containers.map((c) => String(c.image ?? '')).join(',')];
}

/** `lastState.terminated.finishedAt` of a container status, if it restarted. */
function finishedAt(container: JsonObject): string | undefined {
  return asString(asObject(asObject(container.lastState).terminated).finishedAt);
}

const later = (a: string | undefined, b: string | undefined): string | undefined => (a === undefined ? b : b === undefined ? a : a > b ? a : b);

/** `Signal:9` or `ExitCode:1` for a terminated state without a reason. */
function exitDescription(terminated: JsonObject): string {
  return num(terminated.signal) !== 0 ? `Signal:${num(terminated.signal)}` : `ExitCode:${num(terminated.exitCode)}`;
}

/**
 * READY, STATUS, RESTARTS (and when the last restart was) as the API server's printPod
 * computes them: the first init container that has not succeeded decides STATUS (Init:N/M,
 * Init:Error, Init:CrashLoopBackOff…), native sidecars (restartable init containers) count
 * as containers, and while the pod initializes only init container restarts count.
 */
function podStatusReason(pod: JsonObject): { reason: string; ready: number; total: number; restarts: number; lastRestart: string | undefined } {
  const podStatus = status(pod);
  let reason = String(podStatus.phase ?? 'Pending');
  if (typeof podStatus.reason === 'string' && podStatus.reason !== '') reason = podStatus.reason;
  const initSpecs = asArray(spec(pod).initContainers).map(asObject);
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => String(c.name)));
  const total = asArray(spec(pod).containers).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let restartableRestarts = 0;
  let lastRestart: string | undefined;
  let lastRestartableRestart: string | undefined;
  let initializing = false;
  const initStatuses = asArray(podStatus.initContainerStatuses).map(asObject);
  for (const [index, container] of initStatuses.entries()) {
    restarts += num(container.restartCount);
    lastRestart = later(lastRestart, finishedAt(container));
    const isRestartable = restartable.has(String(container.name));
    if (isRestartable) {
      restartableRestarts += num(container.restartCount);
      lastRestartableRestart = later(lastRestartableRestart, finishedAt(container));
    }
    const state = asObject(container.state);
    const terminated = asObject(state.terminated);
    const waiting = asObject(state.waiting);
    if (state.terminated !== undefined && num(terminated.exitCode) === 0) continue;
    if (isRestartable && container.started === true) {
      if (container.ready === true) ready++;
      continue;
    }
    if (state.terminated !== undefined) {
      reason = typeof terminated.reason === 'string' && terminated.reason !== '' ? `Init:${terminated.reason}` : `Init:${exitDescription(terminated)}`;
    } else if (typeof waiting.reason === 'string' && waiting.reason !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${index}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  const initialized = asArray(podStatus.conditions).map(asObject).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    for (const container of asArray(podStatus.containerStatuses).map(asObject).reverse()) {
      restarts += num(container.restartCount);
      lastRestart = later(lastRestart, finishedAt(container));
      const state = asObject(container.state);
      const waiting = asObject(state.waiting);
      const terminated = asObject(state.terminated);
      if (typeof waiting.reason === 'string' && waiting.reason !== '') reason = waiting.reason;
      else if (typeof terminated.reason === 'string' && terminated.reason !== '') reason = terminated.reason;
      else if (state.terminated !== undefined) reason = exitDescription(terminated);
      else if (container.ready === true && state.running !== undefined) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCondition = asArray(podStatus.conditions).map(asObject).find((c) => c.type === 'Ready');
      reason = readyCondition?.status === 'True' ? 'Running' : 'NotReady';
    }
  }
  const terminal = podStatus.phase === 'Succeeded' || podStatus.phase === 'Failed';
  if (meta(pod).deletionTimestamp !== undefined && podStatus.reason === 'NodeLost') reason = 'Unknown';
  else if (meta(pod).deletionTimestamp !== undefined && !terminal) reason = 'Terminating';
  return { reason, ready, total, restarts, lastRestart };
}

/** TARGETS of `kubectl get hpa` (formatHPAMetrics): `cpu: <unknown>/50%`, `<unknown>/10 (avg)`. */
function hpaTargets(hpa: JsonObject): string {
  const v1Target = spec(hpa).targetCPUUtilizationPercentage;
  if (v1Target !== undefined) return `cpu: ${status(hpa).currentCPUUtilizationPercentage === undefined ? '<unknown>' : `${String(status(hpa).currentCPUUtilizationPercentage)}%`}/${String(v1Target)}%`;
  const metrics = asArray(spec(hpa).metrics).map(asObject);
  if (metrics.length === 0) return '<none>';
  const current = asArray(status(hpa).currentMetrics).map(asObject);
  const shown = metrics.map((metric, index) => {
    const type = String(metric.type ?? '');
    const key = type === 'ContainerResource' ? 'containerResource' : type.charAt(0).toLowerCase() + type.slice(1);
    const target = asObject(asObject(metric[key]).target);
    const now = asObject(asObject(asObject(current[index])[key]).current);
    const has = asObject(current[index])[key] !== undefined;
    const value = (field: string): string => (has && now[field] !== undefined ? String(now[field]) : '<unknown>');
    switch (type) {
      case 'External':
      case 'Object':
        return target.averageValue !== undefined ? `${value('averageValue')}/${String(target.averageValue)} (avg)` : `${value('value')}/${String(target.value)}`;
      case 'Pods':
        return `${value('averageValue')}/${String(target.averageValue)}`;
      case 'Resource':
      case 'ContainerResource': {
        const name = String(asObject(metric[key]).name ?? '');
        if (target.averageValue !== undefined) return `${name}: ${value('averageValue')}/${String(target.averageValue)}`;
        const utilization = has && now.averageUtilization !== undefined ? `${String(now.averageUtilization)}%` : '<unknown>';
        return `${name}: ${utilization}/${target.averageUtilization === undefined ? '<auto>' : `${String(target.averageUtilization)}%`}`;
      }
      default:
        return '<unknown type>';
    }
  });
  return shown.length > 2 ? `${shown.slice(0, 2).join(', ')} + ${shown.length - 2} more...` : shown.join(', ');
}

function servicePorts(service: JsonObject): string {
  const ports = asArray(spec(service).ports).map(asObject);
  if (ports.length === 0) return '<none>';
  return ports
    .map((port) => `${String(port.port)}${port.nodePort !== undefined ? `:${String(port.nodePort)}` : ''}/${String(port.protocol ?? 'TCP')}`)
    .join(',');
}

function serviceExternalIp(service: JsonObject): string {
  const serviceSpec = spec(service);
  const external = asArray(serviceSpec.externalIPs).map(String);
  switch (serviceSpec.type) {
    case 'ExternalName':
      return String(serviceSpec.externalName ?? '<none>');
    case 'LoadBalancer': {
      const ingress = asArray(readPath(service, ['status', 'loadBalancer', 'ingress'])).map(asObject);
      const addresses = [...ingress.map((entry) => String(entry.ip ?? entry.hostname ?? '')), ...external].filter((a) => a !== '');
      return addresses.length === 0 ? '<pending>' : addresses.join(',');
    }
    default:
      return external.length === 0 ? '<none>' : external.join(',');
  }
}

function listWithMore(values: string[], max = 3): string {
  if (values.length === 0) return '<none>';
  if (values.length <= max) return values.join(',');
  return `${values.slice(0, max).join(',')} + ${values.length - max} more...`;
}

function endpointsList(endpoints: JsonObject): string {
  const out: string[] = [];
  for (const subset of asArray(endpoints.subsets).map(asObject)) {
    const ports = asArray(subset.ports).map(asObject);
    for (const address of asArray(subset.addresses).map(asObject)) {
      if (ports.length === 0) out.push(String(address.ip));
      for (const port of ports) out.push(`${String(address.ip)}:${String(port.port)}`);
    }
  }
  return listWithMore(out);
}

function nodeStatus(node: JsonObject): string {
  const conditions = asArray(status(node).conditions).map(asObject);
  const ready = conditions.find((condition) => condition.type === 'Ready');
  const states = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (spec(node).unschedulable === true) states.push('SchedulingDisabled');
  return states.join(',');
}

function nodeRoles(node: JsonObject): string {
  const roles = Object.keys(asObject(meta(node).labels))
    .filter((key) => key.startsWith('node-role.kubernetes.io/'))
    .map((key) => key.slice('node-role.kubernetes.io/'.length));
  return roles.length === 0 ? '<none>' : roles.sort().join(',');
}

function nodeAddress(node: JsonObject, type: string): string {
  const address = asArray(status(node).addresses).map(asObject).find((entry) => entry.type === type);
  return orNone(address?.address);
}

function jobStatus(job: JsonObject): string {
  const conditions = asArray(status(job).conditions).map(asObject).filter((c) => c.status === 'True');
  for (const type of ['Complete', 'Failed', 'SuccessCriteriaMet', 'FailureTarget', 'Suspended']) {
    if (conditions.some((c) => c.type === type)) return type === 'SuccessCriteriaMet' ? 'SuccessCriteriaMet' : type;
  }
  return 'Running';
}

function createdAt(object: JsonObject): string {
  return String(meta(object).creationTimestamp ?? '');
}

function subjects(binding: JsonObject, kind: string): string {
  const names = asArray(binding.subjects)
    .map(asObject)
    .filter((subject) => subject.kind === kind)
    .map((subject) => (kind === 'ServiceAccount' ? `${String(subject.namespace ?? '')}/${String(subject.name)}` : String(subject.name)));
  return names.join(', ');
}

const bindingPrinter: Printer = {
  columns: [nameColumn, column('Role'), ageColumn, column('Users', '', 1), column('Groups', '', 1), column('ServiceAccounts', '', 1)],
  cells: (o, now) => {
    const ref = asObject(o.roleRef);
    return [nameOf(o), `${String(ref.kind)}/${String(ref.name)}`, age(o, now), subjects(o, 'User'), subjects(o, 'Group'), subjects(o, 'ServiceAccount')];
  },
};

const createdAtPrinter: Printer = {
  columns: [nameColumn, column('Created At', AGE_DESCRIPTION, 0, '', 'date')],
  cells: (o) => [nameOf(o), createdAt(o)],
};

const webhookPrinter: Printer = {
  columns: [nameColumn, column('Webhooks'), ageColumn],
  cells: (o, now) => [nameOf(o), asArray(o.webhooks).length, age(o, now)],
};

/** Server-side print columns of the built-in kinds, as in pkg/printers/internalversion. */
const PRINTERS: Record<string, Printer> = {
  Pod: {
    columns: [
      nameColumn, column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'The aggregate status of the containers in this pod.'),
      column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      ageColumn, column('IP', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
      column('Node', 'NodeName is a request to schedule this pod onto a specific node.', 1),
      column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
      column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells: (o, now) => {
      const { reason, ready, total, restarts, lastRestart: restarted } = podStatusReason(o);
      const gates = asArray(spec(o).readinessGates).map(asObject);
      let gateCell = '<none>';
      if (gates.length > 0) {
        const conditions = asArray(status(o).conditions).map(asObject);
        const met = gates.filter((gate) => conditions.some((c) => c.type === gate.conditionType && c.status === 'True')).length;
        gateCell = `${met}/${gates.length}`;
      }
      const restartsCell = restarts > 0 && restarted !== undefined ? `${restarts} (${ageOf(restarted, now)} ago)` : String(restarts);
      return [nameOf(o), `${ready}/${total}`, reason, restartsCell, age(o, now), orNone(status(o).podIP), orNone(spec(o).nodeName), orNone(status(o).nominatedNodeName), gateCell];
    },
  },
  Service: {
    columns: [
      nameColumn, column('Type', 'The type of the service.'), column('Cluster-IP', 'The cluster IP of the service.'),
      column('External-IP', 'The external IP of the service.'), column('Port(s)', 'The ports of the service.'), ageColumn,
      column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 1),
    ],
    cells: (o, now) => [nameOf(o), String(spec(o).type ?? 'ClusterIP'), orNone(spec(o).clusterIP), serviceExternalIp(o), servicePorts(o), age(o, now), formatLabels(spec(o).selector)],
  },
  Deployment: {
    columns: [
      nameColumn, column('Ready', 'Number of the pod with ready state'), column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'), ageColumn,
      column('Containers', 'Names of each container in the template.', 1), column('Images', 'Images referenced by each container in the template.', 1),
      column('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
    ],
    cells: (o, now) => {
      const [names, images] = templateContainers(o);
      return [nameOf(o), `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`, num(status(o).updatedReplicas), num(status(o).availableReplicas), age(o, now), names, images, selectorOf(o)];
    },
  },
  ReplicaSet: {
    columns: [
      nameColumn, column('Desired', 'Replicas is the number of desired replicas.'), column('Current', 'Replicas is the most recently observed number of replicas.'),
      column('Ready', 'The number of ready replicas for this replica set.'), ageColumn,
      column('Containers', 'Names of each container in the template.', 1), column('Images', 'Images referenced by each container in the template.', 1),
      column('Selector', 'Selector is a label query over pods that should match the replica count.', 1),
    ],
    cells: (o, now) => {
      const [names, images] = templateContainers(o);
      return [nameOf(o), num(spec(o).replicas), num(status(o).replicas), num(status(o).readyReplicas), age(o, now), names, images, selectorOf(o)];
    },
  },
  StatefulSet: {
    columns: [nameColumn, column('Ready', 'Number of the pod with ready state'), ageColumn, column('Containers', '', 1), column('Images', '', 1)],
    cells: (o, now) => {
      const [names, images] = templateContainers(o);
      return [nameOf(o), `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`, age(o, now), names, images];
    },
  },
  DaemonSet: {
    columns: [
      nameColumn, column('Desired'), column('Current'), column('Ready'), column('Up-to-date'), column('Available'), column('Node Selector'), ageColumn,
      column('Containers', '', 1), column('Images', '', 1), column('Selector', '', 1),
    ],
    cells: (o, now) => {
      const [names, images] = templateContainers(o);
      const s = status(o);
      return [
        nameOf(o), num(s.desiredNumberScheduled), num(s.currentNumberScheduled), num(s.numberReady), num(s.updatedNumberScheduled), num(s.numberAvailable),
        formatLabels(readPath(o, ['spec', 'template', 'spec', 'nodeSelector'])), age(o, now), names, images, selectorOf(o),
      ];
    },
  },
  Job: {
    columns: [
      nameColumn, column('Status', 'Status of the job.'), column('Completions', 'The completion status of the job'), column('Duration', 'Time required to complete the job.'), ageColumn,
      column('Containers', '', 1), column('Images', '', 1), column('Selector', '', 1),
    ],
    cells: (o, now) => {
      const [names, images] = templateContainers(o);
      const completions = spec(o).completions;
      const start = asString(status(o).startTime);
      const end = asString(status(o).completionTime);
      const duration = start === undefined ? '' : humanDuration((end === undefined ? now : Date.parse(end)) - Date.parse(start));
      const done = `${num(status(o).succeeded)}/${completions === undefined ? 1 : String(completions)}`;
      return [nameOf(o), jobStatus(o), done, duration, age(o, now), names, images, selectorOf(o)];
    },
  },
  CronJob: {
    columns: [
      nameColumn, column('Schedule'), column('Timezone'), column('Suspend'), column('Active'), column('Last Schedule'), ageColumn,
      column('Containers', '', 1), column('Images', '', 1), column('Selector', '', 1),
    ],
    cells: (o, now) => {
      const [names, images] = templateContainers(o, ['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers']);
      const last = status(o).lastScheduleTime;
      return [
        nameOf(o), String(spec(o).schedule ?? ''), orNone(spec(o).timeZone), spec(o).suspend === true ? 'True' : 'False', asArray(status(o).active).length,
        last === undefined ? '<none>' : ageOf(last, now), age(o, now), names, images, formatLabelSelector(labelSelectorFromObject(readPath(o, ['spec', 'jobTemplate', 'spec', 'selector']))) || '<none>',
      ];
    },
  },
  Namespace: {
    columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
    cells: (o, now) => [nameOf(o), String(status(o).phase ?? 'Active'), age(o, now)],
  },
  Node: {
    columns: [
      nameColumn, column('Status', 'The status of the node'), column('Roles', 'The roles of the node'), ageColumn, column('Version', 'Kubelet Version reported by the node.'),
      column('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
      column('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
      column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
      column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
    ],
    cells: (o, now) => {
      const info = asObject(status(o).nodeInfo);
      return [
        nameOf(o), nodeStatus(o), nodeRoles(o), age(o, now), String(info.kubeletVersion ?? ''), nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'),
        orNone(info.osImage), orNone(info.kernelVersion), orNone(info.containerRuntimeVersion),
      ];
    },
  },
  Event: {
    columns: [
      column('Last Seen'), column('Type'), column('Reason'), column('Object'), column('Subobject', '', 1), column('Source', '', 1), column('Message'),
      column('First Seen', '', 1), column('Count', '', 1), { ...nameColumn, priority: 1 },
    ],
    cells: (o, now) => {
      const involved = asObject(o.involvedObject);
      const source = asObject(o.source);
      const last = o.lastTimestamp ?? o.eventTime ?? readPath(o, ['series', 'lastObservedTime']);
      const first = o.firstTimestamp ?? o.eventTime;
      const sourceText = source.component === undefined ? String(o.reportingComponent ?? '') : `${String(source.component)}${source.host ? `, ${String(source.host)}` : ''}`;
      return [
        ageOf(last, now), String(o.type ?? ''), String(o.reason ?? ''), `${String(involved.kind ?? '').toLowerCase()}/${String(involved.name ?? '')}`,
        String(involved.fieldPath ?? ''), sourceText, String(o.message ?? ''), ageOf(first, now), num(o.count) || 1, nameOf(o),
      ];
    },
  },
  ConfigMap: {
    columns: [nameColumn, column('Data', 'Data contains the configuration data.'), ageColumn],
    cells: (o, now) => [nameOf(o), Object.keys(asObject(o.data)).length + Object.keys(asObject(o.binaryData)).length, age(o, now)],
  },
  Secret: {
    columns: [nameColumn, column('Type', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'Data contains the secret data.'), ageColumn],
    cells: (o, now) => [nameOf(o), String(o.type ?? 'Opaque'), Object.keys(asObject(o.data)).length, age(o, now)],
  },
  ServiceAccount: {
    columns: [nameColumn, column('Secrets', 'Secrets is the list of secrets allowed to be used by pods running using this ServiceAccount.'), ageColumn],
    cells: (o, now) => [nameOf(o), asArray(o.secrets).length, age(o, now)],
  },
  Endpoints: {
    columns: [nameColumn, column('Endpoints', 'Endpoints of the service'), ageColumn],
    cells: (o, now) => [nameOf(o), endpointsList(o), age(o, now)],
  },
  EndpointSlice: {
    columns: [nameColumn, column('AddressType'), column('Ports'), column('Endpoints'), ageColumn],
    cells: (o, now) => {
      const ports = asArray(o.ports).map(asObject).map((port) => (port.port === undefined ? '<unset>' : String(port.port)));
      const addresses = asArray(o.endpoints).flatMap((endpoint) => asArray(asObject(endpoint).addresses).map(String));
      return [nameOf(o), String(o.addressType ?? ''), ports.length === 0 ? '<unset>' : ports.join(','), listWithMore(addresses), age(o, now)];
    },
  },
  Role: createdAtPrinter,
  ClusterRole: createdAtPrinter,
  LimitRange: createdAtPrinter,
  RoleBinding: bindingPrinter,
  ClusterRoleBinding: bindingPrinter,
  Ingress: {
    columns: [nameColumn, column('Class'), column('Hosts'), column('Address'), column('Ports'), ageColumn],
    cells: (o, now) => {
      const hosts = asArray(spec(o).rules).map((rule) => String(asObject(rule).host ?? '*'));
      const addresses = asArray(readPath(o, ['status', 'loadBalancer', 'ingress'])).map((entry) => String(asObject(entry).ip ?? asObject(entry).hostname ?? ''));
      return [nameOf(o), orNone(spec(o).ingressClassName), hosts.length === 0 ? '*' : hosts.join(','), addresses.join(','), asArray(spec(o).tls).length > 0 ? '80, 443' : '80', age(o, now)];
    },
  },
  IngressClass: {
    columns: [nameColumn, column('Controller'), column('Parameters'), ageColumn],
    cells: (o, now) => [nameOf(o), String(spec(o).controller ?? ''), '<none>', age(o, now)],
  },
  Lease: {
    columns: [nameColumn, column('Holder'), ageColumn],
    cells: (o, now) => [nameOf(o), String(spec(o).holderIdentity ?? ''), age(o, now)],
  },
  ResourceQuota: {
    columns: [nameColumn, ageColumn, column('Request'), column('Limit')],
    cells: (o, now) => {
      const hard = asObject(status(o).hard);
      const used = asObject(status(o).used);
      const pairs = Object.keys(hard).sort().map((key) => `${key}: ${String(used[key] ?? '0')}/${String(hard[key])}`);
      return [nameOf(o), age(o, now), pairs.filter((p) => !p.startsWith('limits.')).join(', '), pairs.filter((p) => p.startsWith('limits.')).join(', ')];
    },
  },
  PodDisruptionBudget: {
    columns: [nameColumn, column('Min Available'), column('Max Unavailable'), column('Allowed Disruptions'), ageColumn],
    cells: (o, now) => [nameOf(o), String(spec(o).minAvailable ?? 'N/A'), String(spec(o).maxUnavailable ?? 'N/A'), num(status(o).disruptionsAllowed), age(o, now)],
  },
  HorizontalPodAutoscaler: {
    columns: [nameColumn, column('Reference'), column('Targets'), column('MinPods'), column('MaxPods'), column('Replicas'), ageColumn],
    cells: (o, now) => {
      const target = asObject(spec(o).scaleTargetRef);
      return [nameOf(o), `${String(target.kind)}/${String(target.name)}`, hpaTargets(o), spec(o).minReplicas === undefined ? '<unset>' : num(spec(o).minReplicas), num(spec(o).maxReplicas), num(status(o).currentReplicas), age(o, now)];
    },
  },
  NetworkPolicy: {
    columns: [nameColumn, column('Pod-Selector'), ageColumn],
    cells: (o, now) => [nameOf(o), formatLabelSelector(labelSelectorFromObject(spec(o).podSelector)) || '<none>', age(o, now)],
  },
  MutatingWebhookConfiguration: webhookPrinter,
  ValidatingWebhookConfiguration: webhookPrinter,
};

function customPrinter(columns: PrinterColumn[]): Printer {
  return {
    columns: [nameColumn, ...columns.map((c) => ({ name: c.name, type: c.type, format: c.format, description: c.description, priority: c.priority }))],
    cells: (o, now) => [
      nameOf(o),
      ...columns.map((c): Cell => {
        const values = evaluateJsonPath(o, c.jsonPath ?? '');
        if (values.length === 0) return null;
        const value = values.length === 1 ? values[0] : values;
        if (c.type === 'date') return ageOf(value, now);
        if (typeof value === 'object' && value !== null) return JSON.stringify(value);
        if (c.type === 'integer' || c.type === 'number') return typeof value === 'number' ? value : Number(value);
        if (c.type === 'boolean') return value === true;
        return String(value);
      }),
    ],
  };
}

function printerFor(type: ResourceType): Printer {
  if (type.custom !== undefined) return customPrinter(type.custom.printerColumns);
  const eventPrinter = PRINTERS.Event;
  if (type.group === 'events.k8s.io' && eventPrinter !== undefined) {
    // The same columns as core Events, read from the events.k8s.io shape.
    return { columns: eventPrinter.columns, cells: (o, now) => eventPrinter.cells(fromEventsV1(o), now) };
  }
  return PRINTERS[type.kind] ?? createdAtPrinter;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** A meta.k8s.io/v1 Table of `objects`; rows carry PartialObjectMetadata unless told otherwise. */
export function printTable(type: ResourceType, objects: readonly JsonObject[], now: number, options: { include: IncludeObject; resourceVersion?: string; continueToken?: string; withColumns?: boolean }): JsonObject {
  const printer = printerFor(type);
  const rows = objects.map((object) => {
    const row: JsonObject = { cells: printer.cells(object, now) };
    if (options.include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
    if (options.include === 'Object') row.object = object;
    return row;
  });
  const metadata: JsonObject = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken !== undefined) metadata.continue = options.continueToken;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: options.withColumns === false ? [] : printer.columns,
    rows,
  };
}
