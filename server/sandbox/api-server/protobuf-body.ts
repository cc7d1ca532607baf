// Kubernetes protobuf request bodies (kubectl >= 1.32 sends them from its typed clients:
// `create namespace|deployment|service|configmap|secret|role|…`, `create token`, `auth can-i`). A small reader
// for the wire format plus field tables from k8s.io/api generated.proto for those kinds.

import type { JsonObject } from '../core/json-object.ts';

export class ProtobufError extends Error {
  readonly code = 'PROTOBUF';
}

type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'intOrString' | 'quantity';

interface Field {
  name: string;
  type: Scalar | Message | { map: Scalar | Message };
  repeated?: boolean;
  /** Pointer fields: an explicit zero is meaningful (`replicas: 0`). */
  keepZero?: boolean;
  /** Embedded structs whose fields JSON shows on the parent (IngressRule.ingressRuleValue). */
  inline?: boolean;
}

type Message = { [fieldNumber: number]: Field };

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  #buffer: Buffer;
  #pos: number;
  readonly end: number;

  constructor(buffer: Buffer, start = 0, end = buffer.length) {
    this.#buffer = buffer;
    this.#pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.#pos >= this.end;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.#pos >= this.end) throw new ProtobufError('truncated varint');
      const byte = this.#buffer[this.#pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtobufError('varint too long');
    }
  }

  bytes(): Reader {
    const length = Number(this.varint());
    if (length < 0 || this.#pos + length > this.end) throw new ProtobufError('truncated length-delimited field');
    const sub = new Reader(this.#buffer, this.#pos, this.#pos + length);
    this.#pos += length;
    return sub;
  }

  raw(): Buffer {
    return this.#buffer.subarray(this.#pos, this.end);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0: this.varint(); break;
      case 1: this.#pos += 8; break;
      case 2: this.bytes(); break;
      case 5: this.#pos += 4; break;
      default: throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
}

const s = (name: string, extra: Partial<Field> = {}): Field => ({ name, type: 'string', ...extra });
const i = (name: string, extra: Partial<Field> = {}): Field => ({ name, type: 'int', ...extra });
const b = (name: string): Field => ({ name, type: 'bool' });
const m = (name: string, type: Message, repeated = false): Field => ({ name, type, repeated });
const strings = (name: string): Field => ({ name, type: 'string', repeated: true });
const stringMap = (name: string): Field => ({ name, type: { map: 'string' } });

const ownerReference: Message = { 1: s('kind'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: b('controller'), 7: b('blockOwnerDeletion') };
const objectMeta: Message = {
  1: s('name'), 2: s('generateName'), 3: s('namespace'), 5: s('uid'), 6: s('resourceVersion'), 7: i('generation'),
  11: stringMap('labels'), 12: stringMap('annotations'), 13: m('ownerReferences', ownerReference, true), 14: strings('finalizers'),
};
const labelSelector: Message = {
  1: stringMap('matchLabels'),
  2: m('matchExpressions', { 1: s('key'), 2: s('operator'), 3: strings('values') }, true),
};
const containerPort: Message = { 1: s('name'), 2: i('hostPort'), 3: i('containerPort'), 4: s('protocol'), 5: s('hostIP') };
const envVar: Message = { 1: s('name'), 2: s('value') };
const resources: Message = { 1: { name: 'limits', type: { map: 'quantity' } }, 2: { name: 'requests', type: { map: 'quantity' } } };
const volumeMount: Message = { 1: s('name'), 2: b('readOnly'), 3: s('mountPath'), 4: s('subPath') };
const container: Message = {
  1: s('name'), 2: s('image'), 3: strings('command'), 4: strings('args'), 5: s('workingDir'), 6: m('ports', containerPort, true),
  7: m('env', envVar, true), 8: m('resources', resources), 9: m('volumeMounts', volumeMount, true), 13: s('terminationMessagePath'),
  14: s('imagePullPolicy'), 16: b('stdin'), 17: b('stdinOnce'), 18: b('tty'), 20: s('terminationMessagePolicy'),
};
const podSpec: Message = {
  2: m('containers', container, true), 3: s('restartPolicy'), 4: i('terminationGracePeriodSeconds', { keepZero: true }), 5: i('activeDeadlineSeconds'),
  6: s('dnsPolicy'), 7: stringMap('nodeSelector'), 8: s('serviceAccountName'), 9: s('serviceAccount'), 10: s('nodeName'), 11: b('hostNetwork'),
  20: m('initContainers', container, true),
};
const podTemplate: Message = { 1: m('metadata', objectMeta), 2: m('spec', podSpec) };
const deploymentSpec: Message = {
  1: i('replicas', { keepZero: true }), 2: m('selector', labelSelector), 3: m('template', podTemplate),
  4: m('strategy', { 1: s('type'), 2: m('rollingUpdate', { 1: { name: 'maxUnavailable', type: 'intOrString' }, 2: { name: 'maxSurge', type: 'intOrString' } }) }),
  5: i('minReadySeconds'), 6: i('revisionHistoryLimit', { keepZero: true }), 7: b('paused'), 9: i('progressDeadlineSeconds', { keepZero: true }),
};
const jobSpec: Message = {
  1: i('parallelism', { keepZero: true }), 2: i('completions', { keepZero: true }), 3: i('activeDeadlineSeconds'), 4: m('selector', labelSelector), 5: b('manualSelector'),
  6: m('template', podTemplate), 7: i('backoffLimit', { keepZero: true }), 8: i('ttlSecondsAfterFinished', { keepZero: true }), 9: s('completionMode'), 10: b('suspend'),
};
const objectReference: Message = { 1: s('kind'), 2: s('namespace'), 3: s('name'), 4: s('uid'), 5: s('apiVersion'), 6: s('resourceVersion'), 7: s('fieldPath') };

const intOrString = (name: string): Field => ({ name, type: 'intOrString' });
const servicePort: Message = { 1: s('name'), 2: s('protocol'), 3: i('port'), 4: intOrString('targetPort'), 5: i('nodePort'), 6: s('appProtocol') };
const serviceSpec: Message = {
  1: m('ports', servicePort, true), 2: stringMap('selector'), 3: s('clusterIP'), 4: s('type'), 5: strings('externalIPs'), 7: s('sessionAffinity'),
  8: s('loadBalancerIP'), 9: strings('loadBalancerSourceRanges'), 10: s('externalName'), 11: s('externalTrafficPolicy'), 12: i('healthCheckNodePort'),
  13: b('publishNotReadyAddresses'), 17: s('ipFamilyPolicy'), 18: strings('clusterIPs'), 19: strings('ipFamilies'), 20: b('allocateLoadBalancerNodePorts'),
  21: s('loadBalancerClass'), 22: s('internalTrafficPolicy'),
};
const policyRule: Message = { 1: strings('verbs'), 2: strings('apiGroups'), 3: strings('resources'), 4: strings('resourceNames'), 5: strings('nonResourceURLs') };
const subject: Message = { 1: s('kind'), 2: s('apiGroup'), 3: s('name'), 4: s('namespace') };
const roleRef: Message = { 1: s('apiGroup'), 2: s('kind'), 3: s('name') };
const ingressBackend: Message = { 4: m('service', { 1: s('name'), 2: m('port', { 1: s('name'), 2: i('number') }) }), 3: m('resource', { 1: s('apiGroup'), 2: s('kind'), 3: s('name') }) };
const ingressRule: Message = {
  1: s('host'),
  2: { name: 'ingressRuleValue', inline: true, type: { 1: m('http', { 1: m('paths', { 1: s('path'), 2: m('backend', ingressBackend), 3: s('pathType') }, true) }) } },
};

const deleteOptions: Message = {
  1: i('gracePeriodSeconds', { keepZero: true }), 2: m('preconditions', { 1: s('uid'), 2: s('resourceVersion') }), 3: b('orphanDependents'), 4: s('propagationPolicy'), 5: strings('dryRun'),
};

/** Field tables of the kinds kubectl sends as protobuf, by kind. */
const KINDS: Record<string, Message> = {
  Namespace: { 1: m('metadata', objectMeta), 2: m('spec', { 1: strings('finalizers') }) },
  ConfigMap: { 1: m('metadata', objectMeta), 2: stringMap('data'), 3: { name: 'binaryData', type: { map: 'bytes' } }, 4: b('immutable') },
  Secret: { 1: m('metadata', objectMeta), 2: { name: 'data', type: { map: 'bytes' } }, 3: s('type'), 4: stringMap('stringData'), 5: b('immutable') },
  ServiceAccount: { 1: m('metadata', objectMeta), 2: m('secrets', objectReference, true), 3: m('imagePullSecrets', { 1: s('name') }, true), 4: b('automountServiceAccountToken') },
  Deployment: { 1: m('metadata', objectMeta), 2: m('spec', deploymentSpec) },
  Job: { 1: m('metadata', objectMeta), 2: m('spec', jobSpec) },
  CronJob: {
    1: m('metadata', objectMeta),
    2: m('spec', { 1: s('schedule'), 2: i('startingDeadlineSeconds'), 3: s('concurrencyPolicy'), 4: b('suspend'), 5: m('jobTemplate', { 1: m('metadata', objectMeta), 2: m('spec', jobSpec) }), 8: s('timeZone') }),
  },
  Service: { 1: m('metadata', objectMeta), 2: m('spec', serviceSpec) },
  Role: { 1: m('metadata', objectMeta), 2: m('rules', policyRule, true) },
  ClusterRole: { 1: m('metadata', objectMeta), 2: m('rules', policyRule, true), 3: m('aggregationRule', { 1: m('clusterRoleSelectors', labelSelector, true) }) },
  RoleBinding: { 1: m('metadata', objectMeta), 2: m('subjects', subject, true), 3: m('roleRef', roleRef) },
  ClusterRoleBinding: { 1: m('metadata', objectMeta), 2: m('subjects', subject, true), 3: m('roleRef', roleRef) },
  ResourceQuota: { 1: m('metadata', objectMeta), 2: m('spec', { 1: { name: 'hard', type: { map: 'quantity' } }, 2: strings('scopes') }) },
  // autoscaling/v1, as `kubectl autoscale` sends it.
  HorizontalPodAutoscaler: {
    1: m('metadata', objectMeta),
    2: m('spec', { 1: m('scaleTargetRef', { 1: s('kind'), 2: s('name'), 3: s('apiVersion') }), 2: i('minReplicas'), 3: i('maxReplicas'), 4: i('targetCPUUtilizationPercentage') }),
  },
  PodDisruptionBudget: { 1: m('metadata', objectMeta), 2: m('spec', { 1: intOrString('minAvailable'), 2: m('selector', labelSelector), 3: intOrString('maxUnavailable'), 4: s('unhealthyPodEvictionPolicy') }) },
  Ingress: { 1: m('metadata', objectMeta), 2: m('spec', { 1: m('defaultBackend', ingressBackend), 2: m('tls', { 1: strings('hosts'), 2: s('secretName') }, true), 3: m('rules', ingressRule, true), 4: s('ingressClassName') }) },
  DeleteOptions: deleteOptions,
  Eviction: { 1: m('metadata', objectMeta), 2: m('deleteOptions', deleteOptions) },
  TokenRequest: {
    1: m('metadata', objectMeta),
    2: m('spec', { 1: strings('audiences'), 3: m('boundObjectRef', { 1: s('kind'), 2: s('apiVersion'), 3: s('name'), 4: s('uid') }), 4: i('expirationSeconds', { keepZero: true }) }),
  },
  SelfSubjectReview: { 1: m('metadata', objectMeta) },
  SelfSubjectRulesReview: { 1: m('metadata', objectMeta), 2: m('spec', { 1: s('namespace') }) },
  SelfSubjectAccessReview: {
    1: m('metadata', objectMeta),
    2: m('spec', {
      1: m('resourceAttributes', { 1: s('namespace'), 2: s('verb'), 3: s('group'), 4: s('version'), 5: s('resource'), 6: s('subresource'), 7: s('name') }),
      2: m('nonResourceAttributes', { 1: s('path'), 2: s('verb') }),
    }),
  },
};

function toInt(value: bigint): number {
  // int32/int64 fields: negative numbers arrive as 64-bit two's complement.
  return Number(BigInt.asIntN(64, value));
}

function decodeScalar(type: Scalar, wireType: number, reader: Reader): unknown {
  switch (type) {
    case 'int': return toInt(reader.varint());
    case 'bool': return reader.varint() !== 0n;
    case 'string': return reader.bytes().raw().toString('utf8');
    case 'bytes': return reader.bytes().raw().toString('base64');
    case 'quantity': {
      const decoded = decodeMessage({ 1: s('string') }, reader.bytes());
      return decoded.string ?? '';
    }
    case 'intOrString': {
      const decoded = decodeMessage({ 1: i('type', { keepZero: true }), 2: i('intVal', { keepZero: true }), 3: s('strVal') }, reader.bytes());
      return decoded.type === 1 ? (decoded.strVal ?? '') : (decoded.intVal ?? 0);
    }
  }
  void wireType;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

function decodeMessage(message: Message, reader: Reader): JsonObject {
  const out: JsonObject = {};
  while (!reader.done) {
    const tag = Number(reader.varint());
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    const field = message[fieldNumber];
    if (field === undefined) {
      reader.skip(wireType);
      continue;
    }
    const { type } = field;
    let value: unknown;
    if (typeof type === 'string') {
      value = decodeScalar(type, wireType, reader);
      if (!field.repeated && !field.keepZero && isZero(value)) continue;
    } else if ('map' in type) {
      const entry = reader.bytes();
      let key = '';
      let entryValue: unknown = '';
      while (!entry.done) {
        const entryTag = Number(entry.varint());
        if (entryTag >>> 3 === 1) key = entry.bytes().raw().toString('utf8');
        else if (entryTag >>> 3 === 2) {
          const valueType = type.map;
          entryValue = typeof valueType === 'string' ? decodeScalar(valueType, entryTag & 7, entry) : decodeMessage(valueType, entry.bytes());
        } else entry.skip(entryTag & 7);
      }
      const map = (out[field.name] ??= {}) as JsonObject;
      map[key] = entryValue;
      continue;
    } else {
      value = decodeMessage(type, reader.bytes());
      if (field.inline === true) {
        Object.assign(out, value);
        continue;
      }
    }
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  return out;
}

export function isProtobufBody(body: Buffer): boolean {
  return body.length >= 4 && body.subarray(0, 4).equals(MAGIC);
}

/**
 * Decodes a `k8s\0` + runtime.Unknown envelope into the JSON form of the object.
 * Throws ProtobufError for kinds we have no field table for.
 */
export function decodeProtobufObject(body: Buffer): JsonObject {
  if (!isProtobufBody(body)) throw new ProtobufError('missing the k8s protobuf magic prefix');
  const envelope = decodeMessage(
    { 1: m('typeMeta', { 1: s('apiVersion'), 2: s('kind') }), 2: { name: 'raw', type: 'bytes' }, 3: s('contentEncoding'), 4: s('contentType') },
    new Reader(body, 4),
  );
  const typeMeta = (envelope.typeMeta ?? {}) as JsonObject;
  const kind = String(typeMeta.kind ?? '');
  const table = KINDS[kind];
  if (table === undefined) throw new ProtobufError(`no protobuf decoding for kind "${kind}"`);
  const raw = Buffer.from(String(envelope.raw ?? ''), 'base64');
  const object = decodeMessage(table, new Reader(raw));
  return { apiVersion: typeMeta.apiVersion, kind, ...object };
}
