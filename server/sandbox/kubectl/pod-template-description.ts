// kubectl's container, volume and pod-template describers (DescribePodTemplate, as
// `describe deployment` and `rollout history --revision` print it; describeContainers and
// describeVolumes, which `describe pod` shares with statuses and resolved env values).
import { labelsMultiline, annotationsMultiline, rfc1123z, tolerationsMultiline, type Toleration } from './describe-sections.ts';

type IntOrString = number | string;

interface Probe {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  exec?: { command?: string[] };
  httpGet?: { scheme?: string; host?: string; port?: IntOrString; path?: string };
  tcpSocket?: { host?: string; port?: IntOrString };
  grpc?: { port?: number; service?: string };
}

export interface ContainerLike {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort?: number; hostPort?: number; protocol?: string; name?: string }[];
  env?: { name?: string; value?: string; valueFrom?: Record<string, Record<string, unknown> | undefined> }[];
  envFrom?: { prefix?: string; configMapRef?: { name?: string; optional?: boolean }; secretRef?: { name?: string; optional?: boolean } }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean; subPath?: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
}

interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number; startedAt?: string; finishedAt?: string };
}

export interface ContainerStatus {
  name?: string;
  containerID?: string;
  imageID?: string;
  state?: ContainerState;
  lastState?: ContainerState;
  ready?: boolean;
  restartCount?: number;
}

export type VolumeLike = { name?: string } & Record<string, unknown>;

export interface PodSpecLike {
  serviceAccountName?: string;
  initContainers?: ContainerLike[];
  containers?: ContainerLike[];
  volumes?: VolumeLike[];
  priorityClassName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
}

export interface PodTemplateLike {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: PodSpecLike;
}

/** A fieldRef's value for a pod; undefined describes a template (no value). */
export type FieldResolver = ((fieldPath: string) => string) | undefined;

function portText(ports: ContainerLike['ports'], host: boolean): string {
  return (ports ?? []).map((port) => `${host ? (port.hostPort ?? 0) : (port.containerPort ?? 0)}/${port.protocol ?? 'TCP'}`).join(', ');
}

function probeText(probe: Probe): string {
  const attributes = `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 0}s period=${probe.periodSeconds ?? 0}s #success=${probe.successThreshold ?? 0} #failure=${probe.failureThreshold ?? 0}`;
  if (probe.exec !== undefined) return `exec [${(probe.exec.command ?? []).join(' ')}] ${attributes}`;
  if (probe.httpGet !== undefined) {
    const port = String(probe.httpGet.port ?? '');
    const host = probe.httpGet.host ?? '';
    const hostPort = port === '' ? host : `${host.includes(':') ? `[${host}]` : host}:${port}`;
    return `http-get ${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${hostPort}${probe.httpGet.path ?? ''} ${attributes}`;
  }
  if (probe.tcpSocket !== undefined) return `tcp-socket ${probe.tcpSocket.host ?? ''}:${String(probe.tcpSocket.port ?? '')} ${attributes}`;
  if (probe.grpc !== undefined) return `grpc <pod>:${probe.grpc.port ?? 0} ${probe.grpc.service ?? ''} ${attributes}`;
  return `unknown ${attributes}`;
}

function stateText(title: string, state: ContainerState | undefined): string {
  if (state?.running !== undefined) return `    ${title}:\tRunning\n      Started:\t${rfc1123z(state.running.startedAt)}\n`;
  if (state?.terminated !== undefined) {
    const terminated = state.terminated;
    let text = `    ${title}:\tTerminated\n`;
    if ((terminated.reason ?? '') !== '') text += `      Reason:\t${terminated.reason ?? ''}\n`;
    if ((terminated.message ?? '') !== '') text += `      Message:\t${terminated.message ?? ''}\n`;
    text += `      Exit Code:\t${terminated.exitCode ?? 0}\n`;
    if ((terminated.signal ?? 0) > 0) text += `      Signal:\t${terminated.signal ?? 0}\n`;
    return `${text}      Started:\t${rfc1123z(terminated.startedAt)}\n      Finished:\t${rfc1123z(terminated.finishedAt)}\n`;
  }
  let text = `    ${title}:\tWaiting\n`;
  if ((state?.waiting?.reason ?? '') !== '') text += `      Reason:\t${state?.waiting?.reason ?? ''}\n`;
  return text;
}

function envText(container: ContainerLike, resolve: FieldResolver): string {
  let text = '';
  const envFrom = container.envFrom ?? [];
  if (envFrom.length > 0) {
    text += '    Environment Variables from:\n';
    for (const source of envFrom) {
      const from = source.configMapRef !== undefined ? 'ConfigMap' : 'Secret';
      const ref = source.configMapRef ?? source.secretRef ?? {};
      const prefix = (source.prefix ?? '') === '' ? from : `${from} with prefix '${source.prefix ?? ''}'`;
      text += `      ${ref.name ?? ''}\t${prefix}\tOptional: ${ref.optional === true}\n`;
    }
  }
  const env = container.env ?? [];
  if (env.length === 0) return `${text}    Environment:\t<none>\n`;
  text += '    Environment:\n';
  for (const variable of env) {
    const name = variable.name ?? '';
    const from = variable.valueFrom;
    if (from === undefined) {
      (variable.value ?? '').split('\n').forEach((line, index) => {
        text += index === 0 ? `      ${name}:\t${line}\n` : `\t${line}\n`;
      });
      continue;
    }
    if (from.fieldRef !== undefined) {
      const path = String(from.fieldRef.fieldPath ?? '');
      text += `      ${name}:\t${resolve === undefined ? '' : resolve(path)} (${String(from.fieldRef.apiVersion ?? 'v1')}:${path})\n`;
    } else if (from.resourceFieldRef !== undefined) {
      const resource = String(from.resourceFieldRef.resource ?? '');
      const [kind = '', quantity = ''] = resource.split('.');
      const limit = kind === 'limits' ? container.resources?.limits?.[quantity] : container.resources?.requests?.[quantity];
      const value = limit ?? (resource === 'limits.cpu' || resource === 'limits.memory' ? 'node allocatable' : '0');
      text += `      ${name}:\t${value} (${resource})\n`;
    } else if (from.secretKeyRef !== undefined) {
      text += `      ${name}:\t<set to the key '${String(from.secretKeyRef.key ?? '')}' in secret '${String(from.secretKeyRef.name ?? '')}'>\tOptional: ${from.secretKeyRef.optional === true}\n`;
    } else if (from.configMapKeyRef !== undefined) {
      text += `      ${name}:\t<set to the key '${String(from.configMapKeyRef.key ?? '')}' of config map '${String(from.configMapKeyRef.name ?? '')}'>\tOptional: ${from.configMapKeyRef.optional === true}\n`;
    }
  }
  return text;
}

/** describeContainers; `space` is the section indent ("  " inside a pod template). */
export function describeContainers(title: string, containers: readonly ContainerLike[], statuses: readonly ContainerStatus[] | undefined, resolve: FieldResolver, space: string): string {
  if (containers.length === 0) return `${space}${title}:\t<none>\n`;
  let text = `${space}${title}:\n`;
  for (const container of containers) {
    const status = statuses?.find((entry) => entry.name === container.name);
    text += `  ${space === '' ? '' : ' '}${container.name ?? ''}:\n`;
    if (status !== undefined) text += `    Container ID:\t${status.containerID ?? ''}\n`;
    text += `    Image:\t${container.image ?? ''}\n`;
    if (status !== undefined) text += `    Image ID:\t${status.imageID ?? ''}\n`;
    const ports = portText(container.ports, false);
    const hostPorts = portText(container.ports, true);
    text += ports.includes(',') ? `    Ports:\t${ports}\n` : `    Port:\t${ports === '' ? '<none>' : ports}\n`;
    text += hostPorts.includes(',') ? `    Host Ports:\t${hostPorts}\n` : `    Host Port:\t${hostPorts === '' ? '<none>' : hostPorts}\n`;
    for (const [label, values] of [['Command', container.command], ['Args', container.args]] as const) {
      if (values === undefined || values.length === 0) continue;
      text += `    ${label}:\n${values.flatMap((value) => value.split('\n')).map((line) => `      ${line}\n`).join('')}`;
    }
    if (status !== undefined) {
      text += stateText('State', status.state);
      if (status.lastState?.terminated !== undefined) text += stateText('Last State', status.lastState);
      text += `    Ready:\t${status.ready === true ? 'True' : 'False'}\n    Restart Count:\t${status.restartCount ?? 0}\n`;
    }
    for (const [label, values] of [['Limits', container.resources?.limits], ['Requests', container.resources?.requests]] as const) {
      const keys = Object.keys(values ?? {}).sort();
      if (keys.length === 0) continue;
      text += `    ${label}:\n${keys.map((key) => `      ${key}:\t${values?.[key] ?? ''}\n`).join('')}`;
    }
    if (container.livenessProbe !== undefined) text += `    Liveness:\t${probeText(container.livenessProbe)}\n`;
    if (container.readinessProbe !== undefined) text += `    Readiness:\t${probeText(container.readinessProbe)}\n`;
    if (container.startupProbe !== undefined) text += `    Startup:\t${probeText(container.startupProbe)}\n`;
    text += envText(container, resolve);
    const mounts = [...(container.volumeMounts ?? [])].sort((a, b) => ((a.mountPath ?? '') < (b.mountPath ?? '') ? -1 : (a.mountPath ?? '') > (b.mountPath ?? '') ? 1 : 0));
    text += mounts.length === 0 ? '    Mounts:\t<none>\n' : '    Mounts:\n';
    for (const mount of mounts) {
      const flags = [mount.readOnly === true ? 'ro' : 'rw', ...((mount.subPath ?? '') !== '' ? [`path=${JSON.stringify(mount.subPath)}`] : [])];
      text += `      ${mount.mountPath ?? ''} from ${mount.name ?? ''} (${flags.join(',')})\n`;
    }
  }
  return text;
}

function optionalText(value: unknown): string {
  return value === undefined || value === null ? '<nil>' : String(value);
}

/** describeVolumes for the kinds of volume the sandbox's workloads use. */
export function describeVolumes(volumes: readonly VolumeLike[] | undefined, space: string): string {
  if (volumes === undefined || volumes.length === 0) return `${space}Volumes:\t<none>\n`;
  let text = `${space}Volumes:\n`;
  for (const volume of volumes) {
    text += `  ${space === '' ? '' : ' '}${volume.name ?? ''}:\n`;
    const source = Object.keys(volume).find((key) => key !== 'name');
    const body = (source === undefined ? {} : volume[source]) as Record<string, unknown>;
    switch (source) {
      case 'emptyDir':
        text += `    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${String(body.medium ?? '')}\n    SizeLimit:\t${body.sizeLimit === undefined ? '<unset>' : String(body.sizeLimit)}\n`;
        break;
      case 'configMap':
        text += `    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${String(body.name ?? '')}\n    Optional:\t${body.optional === true}\n`;
        break;
      case 'secret':
        text += `    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${String(body.secretName ?? '')}\n    Optional:\t${body.optional === true}\n`;
        break;
      case 'projected': {
        text += '    Type:\tProjected (a volume that contains injected data from multiple sources)\n';
        for (const part of (body.sources ?? []) as Record<string, Record<string, unknown> | undefined>[]) {
          if (part.secret !== undefined) text += `    SecretName:\t${String(part.secret.name ?? '')}\n    SecretOptionalName:\t${optionalText(part.secret.optional)}\n`;
          else if (part.downwardAPI !== undefined) text += '    DownwardAPI:\ttrue\n';
          else if (part.configMap !== undefined) text += `    ConfigMapName:\t${String(part.configMap.name ?? '')}\n    ConfigMapOptional:\t${optionalText(part.configMap.optional)}\n`;
          else if (part.serviceAccountToken !== undefined) text += `    TokenExpirationSeconds:\t${String(part.serviceAccountToken.expirationSeconds ?? 0)}\n`;
        }
        break;
      }
      case 'downwardAPI':
        text += '    Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n';
        for (const item of (body.items ?? []) as { path?: string; fieldRef?: { fieldPath?: string }; resourceFieldRef?: { resource?: string } }[]) {
          if (item.fieldRef !== undefined) text += `      ${item.fieldRef.fieldPath ?? ''} -> ${item.path ?? ''}\n`;
          if (item.resourceFieldRef !== undefined) text += `      ${item.resourceFieldRef.resource ?? ''} -> ${item.path ?? ''}\n`;
        }
        break;
      case 'persistentVolumeClaim':
        text += `    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${String(body.claimName ?? '')}\n    ReadOnly:\t${body.readOnly === true}\n`;
        break;
      case 'hostPath':
        text += `    Type:\tHostPath (bare host directory volume)\n    Path:\t${String(body.path ?? '')}\n    HostPathType:\t${String(body.type ?? '')}\n`;
        break;
      default:
        text += `    <unknown>\n`;
    }
  }
  return text;
}

/** DescribePodTemplate, with kubectl's raw tabs (the caller aligns them, or not). */
export function describePodTemplate(template: PodTemplateLike): string {
  let text = 'Pod Template:\n';
  text += labelsMultiline('  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) text += annotationsMultiline('  Annotations', template.metadata?.annotations);
  const spec = template.spec ?? {};
  if ((spec.serviceAccountName ?? '') !== '') text += `  Service Account:\t${spec.serviceAccountName ?? ''}\n`;
  if ((spec.initContainers ?? []).length > 0) text += describeContainers('Init Containers', spec.initContainers ?? [], undefined, undefined, '  ');
  text += describeContainers('Containers', spec.containers ?? [], undefined, undefined, '  ');
  text += describeVolumes(spec.volumes, '  ');
  if ((spec.priorityClassName ?? '') !== '') text += `  Priority Class Name:\t${spec.priorityClassName ?? ''}\n`;
  text += labelsMultiline('  Node-Selectors', spec.nodeSelector);
  text += tolerationsMultiline('  Tolerations', spec.tolerations);
  return text;
}
