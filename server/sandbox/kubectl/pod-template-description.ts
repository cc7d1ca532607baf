// kubectl's DescribePodTemplate (as `rollout history --revision` prints it): labels and
// annotations one per line, then containers, volumes, node selectors and tolerations, with
// the raw tabs of its PrefixWriter (that command does not align them).

interface ContainerLike {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { containerPort?: number; hostPort?: number; protocol?: string; name?: string }[];
  env?: { name?: string; value?: string; valueFrom?: Record<string, Record<string, unknown>> }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: { name?: string; mountPath?: string; readOnly?: boolean; subPath?: string }[];
}

export interface PodTemplateLike {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    serviceAccountName?: string;
    initContainers?: ContainerLike[];
    containers?: ContainerLike[];
    volumes?: ({ name?: string } & Record<string, unknown>)[];
    priorityClassName?: string;
    nodeSelector?: Record<string, string>;
    tolerations?: { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }[];
  };
}

/** printLabelsMultiline: `title:\tk=v` then `\tk=v` per further key, sorted; `<none>` if empty. */
function multiline(title: string, map: Record<string, string> | undefined): string {
  const keys = Object.keys(map ?? {}).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return keys.map((key, index) => `${index === 0 ? `${title}:\t` : '\t'}${key}=${map?.[key] ?? ''}\n`).join('');
}

function portText(ports: ContainerLike['ports'], host: boolean): string {
  return (ports ?? []).map((port) => `${host ? (port.hostPort ?? 0) : (port.containerPort ?? 0)}/${port.protocol ?? 'TCP'}`).join(', ');
}

function describeContainers(title: string, containers: readonly ContainerLike[]): string {
  let text = `  ${title}:\n`;
  for (const container of containers) {
    text += `   ${container.name ?? ''}:\n`;
    text += `    Image:\t${container.image ?? ''}\n`;
    const ports = container.ports ?? [];
    if (ports.length === 0) text += '    Port:\t<none>\n    Host Port:\t<none>\n';
    else if (ports.length === 1) text += `    Port:\t${portText(ports, false)}\n    Host Port:\t${portText(ports, true)}\n`;
    else text += `    Ports:\t${portText(ports, false)}\n    Host Ports:\t${portText(ports, true)}\n`;
    for (const [label, values] of [['Command', container.command], ['Args', container.args]] as const) {
      if (values === undefined || values.length === 0) continue;
      text += `    ${label}:\n${values.map((value) => `      ${value.replaceAll('\n', '\n      ')}\n`).join('')}`;
    }
    for (const [label, values] of [['Limits', container.resources?.limits], ['Requests', container.resources?.requests]] as const) {
      const keys = Object.keys(values ?? {}).sort();
      if (keys.length === 0) continue;
      text += `    ${label}:\n${keys.map((key) => `      ${key}:\t${values?.[key] ?? ''}\n`).join('')}`;
    }
    const env = container.env ?? [];
    if (env.length === 0) text += '    Environment:\t<none>\n';
    else {
      text += '    Environment:\n';
      for (const variable of env) {
        const from = variable.valueFrom;
        let value = variable.value ?? '';
        if (from?.fieldRef !== undefined) value = ` (${String(from.fieldRef.apiVersion ?? 'v1')}:${String(from.fieldRef.fieldPath ?? '')})`;
        else if (from?.secretKeyRef !== undefined) value = `<set to the key '${String(from.secretKeyRef.key ?? '')}' in secret '${String(from.secretKeyRef.name ?? '')}'>${from.secretKeyRef.optional === true ? '\tOptional: true' : '\tOptional: false'}`;
        else if (from?.configMapKeyRef !== undefined) value = `<set to the key '${String(from.configMapKeyRef.key ?? '')}' of config map '${String(from.configMapKeyRef.name ?? '')}'>${from.configMapKeyRef.optional === true ? '\tOptional: true' : '\tOptional: false'}`;
        text += `      ${variable.name ?? ''}:\t${value}\n`;
      }
    }
    const mounts = container.volumeMounts ?? [];
    if (mounts.length === 0) text += '    Mounts:\t<none>\n';
    else {
      text += '    Mounts:\n';
      for (const mount of [...mounts].sort((a, b) => ((a.mountPath ?? '') < (b.mountPath ?? '') ? -1 : (a.mountPath ?? '') > (b.mountPath ?? '') ? 1 : 0))) {
        const flags = [mount.readOnly === true ? 'ro' : 'rw', ...(mount.subPath ? [`path="${mount.subPath}"`] : [])];
        text += `      ${mount.mountPath ?? ''} from ${mount.name ?? ''} (${flags.join(',')})\n`;
      }
    }
  }
  return text;
}

function describeVolumes(volumes: NonNullable<PodTemplateLike['spec']>['volumes']): string {
  if (volumes === undefined || volumes.length === 0) return '  Volumes:\t<none>\n';
  let text = '  Volumes:\n';
  for (const volume of volumes) {
    text += `   ${volume.name ?? ''}:\n`;
    const source = Object.keys(volume).find((key) => key !== 'name');
    const body = (source === undefined ? {} : volume[source]) as Record<string, unknown>;
    switch (source) {
      case 'emptyDir':
        text += `    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:     ${String(body.medium ?? '')}\n    SizeLimit:  ${body.sizeLimit === undefined ? '<unset>' : String(body.sizeLimit)}\n`;
        break;
      case 'configMap':
        text += `    Type:      ConfigMap (a volume populated by a ConfigMap)\n    Name:      ${String(body.name ?? '')}\n    Optional:  ${String(body.optional ?? false)}\n`;
        break;
      case 'secret':
        text += `    Type:        Secret (a volume populated by a Secret)\n    SecretName:  ${String(body.secretName ?? '')}\n    Optional:    ${String(body.optional ?? false)}\n`;
        break;
      default:
        text += `    Type:\t${source ?? '<unknown>'}\n`;
    }
  }
  return text;
}

function tolerationText(toleration: NonNullable<NonNullable<PodTemplateLike['spec']>['tolerations']>[number]): string {
  let text = toleration.key ?? '';
  if (toleration.value !== undefined && toleration.value !== '') text += `=${toleration.value}`;
  else if (toleration.operator === 'Exists' && text === '') text = '';
  if (toleration.effect !== undefined && toleration.effect !== '') text += `:${toleration.effect}`;
  if (toleration.operator === 'Exists' && (toleration.value ?? '') === '') text += ` op=Exists`;
  if (toleration.tolerationSeconds !== undefined) text += ` for ${toleration.tolerationSeconds}s`;
  return text;
}

export function describePodTemplate(template: PodTemplateLike): string {
  let text = 'Pod Template:\n';
  text += multiline('  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) text += multiline('  Annotations', template.metadata?.annotations);
  const spec = template.spec ?? {};
  if (spec.serviceAccountName !== undefined && spec.serviceAccountName !== '') text += `  Service Account:\t${spec.serviceAccountName}\n`;
  if ((spec.initContainers ?? []).length > 0) text += describeContainers('Init Containers', spec.initContainers ?? []);
  text += describeContainers('Containers', spec.containers ?? []);
  text += describeVolumes(spec.volumes);
  if (spec.priorityClassName !== undefined && spec.priorityClassName !== '') text += `  Priority Class Name:\t${spec.priorityClassName}\n`;
  text += multiline('  Node-Selectors', spec.nodeSelector);
  const tolerations = spec.tolerations ?? [];
  if (tolerations.length === 0) text += '  Tolerations:\t<none>\n';
  else text += tolerations.map((toleration, index) => `${index === 0 ? '  Tolerations:\t' : '\t'}${tolerationText(toleration)}\n`).join('');
  return text;
}
