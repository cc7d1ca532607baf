import { readPath, type JsonObject } from '../core/json-object.ts';
import { SelectorParseError } from './label-selector.ts';

export interface FieldRequirement {
  field: string;
  equals: boolean;
  value: string;
}

/** Field names every resource supports; kinds add their own (see supportedFields). */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];

const KIND_FIELDS: Record<string, string[]> = {
  Pod: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'],
  Event: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

export function parseFieldSelector(text: string, kind: string): FieldRequirement[] {
  const supported = [...COMMON_FIELDS, ...(KIND_FIELDS[kind] ?? [])];
  const requirements: FieldRequirement[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const match = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (match === null) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = match[1] ?? '';
    if (!supported.includes(field)) {
      throw new SelectorParseError(`field label not supported: ${field}`);
    }
    requirements.push({ field, equals: match[2] !== '!=', value: match[3] ?? '' });
  }
  return requirements;
}

function fieldValue(object: JsonObject, field: string): string {
  if (field === 'source' && object.kind === 'Event') return String(readPath(object, ['source', 'component']) ?? '');
  const value = readPath(object, field.split('.'));
  return value === undefined || value === null ? '' : String(value);
}

export function matchesFields(requirements: FieldRequirement[], object: JsonObject): boolean {
  return requirements.every((requirement) => (fieldValue(object, requirement.field) === requirement.value) === requirement.equals);
}
