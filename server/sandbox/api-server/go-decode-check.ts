// The type errors the API server's JSON decoder (sigs.k8s.io/json, a fork of Go's
// encoding/json) reports for built-in kinds: a YAML `false` where a label value must be a
// string, `replicas: "3"`, `containerPort: "80"`. Go keeps decoding after a type error and
// returns the first one in document order; the request fails with it and nothing is stored.
import { isJsonObject } from '../core/json-object.ts';
import type { SchemaNode } from './schema-node.ts';

/** Go type names of objects our schemas declare inline rather than by reference. */
const INLINE_STRUCTS: Record<string, Record<string, string>> = {
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: 'v1.DeploymentStrategy', 'strategy.rollingUpdate': 'v1.RollingUpdateDeployment' },
  'io.k8s.api.core.v1.Namespace': { spec: 'v1.NamespaceSpec' },
};

/** Fields of named Go types (`type Protocol string`), which the message names by their type. */
const NAMED_TYPES: Record<string, string> = {
  'v1.ObjectMeta.uid': 'types.UID',
  'v1.Container.imagePullPolicy': 'v1.PullPolicy',
  'v1.Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'v1.Container.restartPolicy': 'v1.ContainerRestartPolicy',
  'v1.ContainerPort.protocol': 'v1.Protocol',
  'v1.ServicePort.protocol': 'v1.Protocol',
  'v1.VolumeMount.mountPropagation': 'v1.MountPropagationMode',
  'v1.VolumeMount.recursiveReadOnly': 'v1.RecursiveReadOnlyMode',
  'v1.PodSpec.restartPolicy': 'v1.RestartPolicy',
  'v1.PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'v1.PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'v1.ServiceSpec.type': 'v1.ServiceType',
  'v1.ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'v1.ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'v1.ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'v1.ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'v1.ServiceSpec.ipFamilies': 'v1.IPFamily',
  'v1.DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'v1.Secret.type': 'v1.SecretType',
  'v1.NamespaceSpec.finalizers': 'v1.FinalizerName',
  'v1.EndpointSlice.addressType': 'v1.AddressType',
};

/** Fields whose Go types decode themselves (metav1.Time) and word their errors otherwise. */
const SELF_DECODING = new Set(['v1.ObjectMeta.creationTimestamp', 'v1.ObjectMeta.deletionTimestamp']);

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** `io.k8s.api.core.v1.Container` → `v1.Container` (reflect.Type's String()). */
function goTypeOfRef(name: string): string {
  const parts = name.split('.');
  return `${parts.at(-2) ?? ''}.${parts.at(-1) ?? ''}`;
}

/** What Go's decoder calls the JSON value it could not store. */
function jsonValueName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

interface Context {
  /** The innermost Go struct being decoded (`ObjectMeta`). */
  struct: string;
  /** The JSON field names from the root, without map keys or list indices. */
  fields: string[];
  /** The field's named string type, when it has one (`v1.Protocol`). */
  named?: string | undefined;
}

/**
 * The decoder's message for the first value of the wrong JSON type, or undefined. `rootType`
 * is the kind's Go type (`v1.Deployment`). Parts the schemas leave open are not checked.
 */
export function goDecodeError(root: SchemaNode, rootDefinition: string, rootType: string, value: unknown, definitions: Record<string, SchemaNode>): string | undefined {
  let first: string | undefined;
  const fail = (context: Context, valueName: string, goType: string): void => {
    first ??= `json: cannot unmarshal ${valueName} into Go struct field ${context.struct}.${context.fields.join('.')} of type ${goType}`;
  };

  /** A struct: its fields by name; `definition` names it for the inline structs table. */
  const visitStruct = (node: SchemaNode, definition: string | undefined, goType: string, current: unknown, context: Context, depth: number, inlinePrefix: string): void => {
    if (!isJsonObject(current)) {
      fail(context, jsonValueName(current), goType);
      return;
    }
    const struct = goType.slice(goType.indexOf('.') + 1);
    if (node.open === true && node.properties === undefined) return;
    for (const [key, child] of Object.entries(current)) {
      const declared = node.properties?.[key];
      if (declared === undefined || child === null) continue;
      const field = `${goType}.${key}`;
      if (SELF_DECODING.has(field)) continue;
      const inline = definition === undefined ? undefined : INLINE_STRUCTS[definition]?.[inlinePrefix === '' ? key : `${inlinePrefix}.${key}`];
      visit(declared, child, { struct, fields: [...context.fields, key], named: NAMED_TYPES[field] }, depth + 1, definition, inline, inlinePrefix === '' ? key : `${inlinePrefix}.${key}`);
    }
  };

  const visit = (node: SchemaNode, current: unknown, context: Context, depth: number, definition: string | undefined, inlineType: string | undefined, inlinePrefix: string): void => {
    if (first !== undefined || depth > 64 || current === null || current === undefined) return;
    if (node.ref !== undefined) {
      const resolved = definitions[node.ref];
      if (resolved !== undefined) visitStruct(resolved, node.ref, goTypeOfRef(node.ref), current, context, depth, '');
      return;
    }
    if (node.intOrString === true) return;
    const leaf = leafType(node);
    if (leaf !== undefined) {
      checkLeaf(node, context.named ?? leaf, current, context);
      return;
    }
    if (node.type === 'array' && node.items !== undefined) {
      const items = node.items;
      const itemType = context.named ?? typeName(items);
      if (!Array.isArray(current)) {
        if (itemType !== undefined) fail(context, jsonValueName(current), `[]${itemType}`);
        return;
      }
      for (const item of current) visit(items, item, context, depth + 1, definition, undefined, inlinePrefix);
      return;
    }
    if (node.type === 'object' && node.additionalProperties !== undefined) {
      const values = node.additionalProperties;
      const valueType = typeName(values);
      if (!isJsonObject(current)) {
        if (valueType !== undefined) fail(context, jsonValueName(current), `map[string]${valueType}`);
        return;
      }
      for (const item of Object.values(current)) if (item !== null) visit(values, item, context, depth + 1, definition, undefined, inlinePrefix);
      return;
    }
    if (inlineType !== undefined) visitStruct(node, definition, inlineType, current, context, depth, inlinePrefix);
  };

  const checkLeaf = (node: SchemaNode, goType: string, current: unknown, context: Context): void => {
    if (node.type === 'string') {
      // Secret data is []byte: a JSON string holding base64.
      if (typeof current !== 'string') fail(context, jsonValueName(current), goType);
    } else if (node.type === 'boolean') {
      if (typeof current !== 'boolean') fail(context, jsonValueName(current), goType);
    } else if (node.type === 'integer') {
      if (typeof current !== 'number') {
        fail(context, jsonValueName(current), goType);
        return;
      }
      const [low, high] = INT_RANGES[goType] ?? INT_RANGES.int64 ?? [0, 0];
      if (!Number.isInteger(current) || current < low || current > high) fail(context, `number ${String(current)}`, goType);
    } else if (node.type === 'number' && typeof current !== 'number') {
      fail(context, jsonValueName(current), goType);
    }
  };

  visitStruct(root, rootDefinition, rootType, value, { struct: rootType.slice(rootType.indexOf('.') + 1), fields: [] }, 0, '');
  return first;
}

/** The Go type of a scalar node, or undefined when the node is not a scalar. */
function leafType(node: SchemaNode): string | undefined {
  if (node.type === 'string') return node.format === 'byte' ? '[]uint8' : 'string';
  if (node.type === 'boolean') return 'bool';
  if (node.type === 'integer') return node.format === 'int32' ? 'int32' : 'int64';
  if (node.type === 'number') return 'float64';
  return undefined;
}

/** The Go type of any node whose type we know (for list and map element types). */
function typeName(node: SchemaNode): string | undefined {
  if (node.ref !== undefined) return goTypeOfRef(node.ref);
  const leaf = leafType(node);
  if (leaf !== undefined) return leaf;
  if (node.type === 'array' && node.items !== undefined) {
    const item = typeName(node.items);
    return item === undefined ? undefined : `[]${item}`;
  }
  if (node.type === 'object' && node.additionalProperties !== undefined) {
    const value = typeName(node.additionalProperties);
    return value === undefined ? undefined : `map[string]${value}`;
  }
  return undefined;
}
