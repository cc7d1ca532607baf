import { asArray, asObject, isJsonObject, type JsonObject } from '../core/json-object.ts';
import { validateName } from '../core/name-validation.ts';
import type { StatusCause } from '../core/status-error.ts';
import { CronScheduleError, parseCronSchedule } from './cron-schedule.ts';
import { labelSelectorFromObject, matchesLabels } from './label-selector.ts';
import type { ResourceType } from './resource-type.ts';

function required(field: string): StatusCause {
  return { reason: 'FieldValueRequired', message: 'Required value', field };
}

function podSpecCauses(spec: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const containers = asArray(asObject(spec).containers);
  if (containers.length === 0) causes.push(required(`${path}.containers`));
  const seen = new Set<string>();
  containers.forEach((raw, index) => {
    const container = asObject(raw);
    const at = `${path}.containers[${index}]`;
    const name = container.name;
    if (typeof name !== 'string' || name === '') causes.push(required(`${at}.name`));
    else {
      for (const problem of validateName(name, 'dns1123-label')) causes.push({ reason: 'FieldValueInvalid', field: `${at}.name`, message: `Invalid value: "${name}": ${problem}` });
      if (seen.has(name)) causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: "${name}"` });
      seen.add(name);
    }
    if (typeof container.image !== 'string' || container.image === '') causes.push(required(`${at}.image`));
  });
  return causes;
}

function selectorMatchesTemplate(object: JsonObject, path: string): StatusCause[] {
  const spec = asObject(object.spec);
  if (!isJsonObject(spec.selector)) return [required(`${path}.selector`)];
  const labels = asObject(asObject(asObject(spec.template).metadata).labels);
  const selector = labelSelectorFromObject(spec.selector);
  if (selector.length === 0) return [{ reason: 'FieldValueInvalid', field: `${path}.selector`, message: 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment' }];
  if (!matchesLabels(selector, labels)) {
    const shown = Object.entries(labels).map(([k, v]) => `"${k}":"${String(v)}"`).join(', ');
    return [{ reason: 'FieldValueInvalid', field: `${path}.template.metadata.labels`, message: `Invalid value: map[string]string{${shown}}: \`selector\` does not match template \`labels\`` }];
  }
  return [];
}

/** The per-kind validation a real API server does that users commonly trip over. */
export function validateKind(type: ResourceType, object: JsonObject): StatusCause[] {
  if (type.custom !== undefined) return [];
  switch (type.kind) {
    case 'Pod':
      return podSpecCauses(object.spec, 'spec');
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      return [...selectorMatchesTemplate(object, 'spec'), ...podSpecCauses(asObject(asObject(object.spec).template).spec, 'spec.template.spec')];
    case 'Job':
      return podSpecCauses(asObject(asObject(object.spec).template).spec, 'spec.template.spec');
    case 'CronJob': {
      const schedule = asObject(object.spec).schedule;
      const causes = podSpecCauses(asObject(asObject(asObject(asObject(object.spec).jobTemplate).spec).template).spec, 'spec.jobTemplate.spec.template.spec');
      if (typeof schedule !== 'string' || schedule === '') return [required('spec.schedule'), ...causes];
      try {
        parseCronSchedule(schedule);
      } catch (error) {
        if (!(error instanceof CronScheduleError)) throw error;
        causes.unshift({ reason: 'FieldValueInvalid', field: 'spec.schedule', message: `Invalid value: "${schedule}": ${error.message}` });
      }
      return causes;
    }
    case 'Service': {
      const spec = asObject(object.spec);
      const ports = asArray(spec.ports);
      if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None' && ports.length === 0) return [required('spec.ports')];
      return ports.flatMap((raw, index) => {
        const port = asObject(raw);
        const value = port.port;
        if (typeof value !== 'number' || value < 1 || value > 65535) {
          return [{ reason: 'FieldValueInvalid', field: `spec.ports[${index}].port`, message: `Invalid value: ${String(value ?? 0)}: must be between 1 and 65535, inclusive` }];
        }
        if (ports.length > 1 && (typeof port.name !== 'string' || port.name === '')) return [required(`spec.ports[${index}].name`)];
        return [];
      });
    }
    case 'CustomResourceDefinition': {
      const spec = asObject(object.spec);
      const names = asObject(spec.names);
      const expected = `${String(names.plural ?? '')}.${String(spec.group ?? '')}`;
      const name = String(asObject(object.metadata).name ?? '');
      const causes: StatusCause[] = [];
      if (name !== expected) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group` });
      for (const key of ['plural', 'kind']) if (typeof names[key] !== 'string' || names[key] === '') causes.push(required(`spec.names.${key}`));
      if (asArray(spec.versions).length === 0) causes.push(required('spec.versions'));
      if (asArray(spec.versions).map(asObject).filter((version) => version.storage === true).length !== 1) {
        causes.push({ reason: 'FieldValueInvalid', field: 'spec.versions', message: `Invalid value: ${JSON.stringify(asArray(spec.versions).map((v) => asObject(v).name))}: must have exactly one version marked as storage version` });
      }
      return causes;
    }
    default:
      return [];
  }
}
