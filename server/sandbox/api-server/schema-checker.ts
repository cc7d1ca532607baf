import { isJsonObject, type JsonObject } from '../core/json-object.ts';
import type { StatusCause } from '../core/status-error.ts';
import type { SchemaNode } from './schema-node.ts';

export interface SchemaFindings {
  /** Paths of fields the schema does not declare (`spec.template.spec.containers[0].imagee`). */
  unknownFields: string[];
  /** Value problems worded as the API server's OpenAPI validation words them. */
  causes: StatusCause[];
  /** Fields set to null that the schema does not mark `nullable`: dropped silently. */
  nullFields: string[];
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = jsonType(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Go's %v of a JSON number (1e+21 style aside, integers print plainly). */
function goNumber(value: number): string {
  return String(value);
}

/** Formats the API server checks (k8s.io/kube-openapi strfmt, as CRD validation registers them). */
const FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  hostname: /^(?=.{1,255}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/,
  ipv4: (value) => isIPv4(value),
  ipv6: (value) => isIPv6(value),
  cidr: (value) => {
    const [ip, bits, extra] = value.split('/');
    if (ip === undefined || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
    return (isIPv4(ip) && Number(bits) <= 32) || (isIPv6(ip) && Number(bits) <= 128);
  },
  mac: /^(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/,
  uuid: /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/,
  datetime: /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/,
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  duration: /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w)\s*)+$/,
  uri: (value) => URL.canParse(value),
};

function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255);
}

function isIPv6(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value) || !value.includes(':')) return false;
  try {
    return new URL(`http://[${value}]/`).hostname !== '';
  } catch {
    return false;
  }
}

const patterns = new Map<string, RegExp | null>();
function compiled(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    try {
      patterns.set(pattern, new RegExp(pattern, 'u'));
    } catch {
      patterns.set(pattern, null);
    }
  }
  return patterns.get(pattern) ?? null;
}

/** OpenAPI value constraints, worded as apiextensions-apiserver reports them. */
function constraintCauses(node: SchemaNode, value: unknown, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const invalid = (shown: string, message: string): void => {
    causes.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${shown}: ${path} in body ${message}` });
  };
  if (typeof value === 'string') {
    const length = [...value].length;
    if (node.maxLength !== undefined && length > node.maxLength) {
      causes.push({ reason: 'FieldValueTooLong', field: path, message: `Too long: may not be more than ${node.maxLength} bytes` });
    }
    if (node.minLength !== undefined && length < node.minLength) invalid(quote(value), `should be at least ${node.minLength} chars long`);
    if (node.pattern !== undefined && compiled(node.pattern)?.test(value) === false) invalid(quote(value), `should match '${node.pattern}'`);
    const format = node.format === undefined ? undefined : FORMATS[node.format];
    if (format !== undefined && !(typeof format === 'function' ? format(value) : format.test(value))) invalid(quote(value), `must be of type ${String(node.format)}: ${quote(value)}`);
  }
  if (typeof value === 'number') {
    if (node.multipleOf !== undefined && node.multipleOf !== 0 && !Number.isInteger(value / node.multipleOf)) invalid(goNumber(value), `should be a multiple of ${goNumber(node.multipleOf)}`);
    if (node.maximum !== undefined && (node.exclusiveMaximum === true ? value >= node.maximum : value > node.maximum)) {
      invalid(goNumber(value), `should be less than ${node.exclusiveMaximum === true ? '' : 'or equal to '}${goNumber(node.maximum)}`);
    }
    if (node.minimum !== undefined && (node.exclusiveMinimum === true ? value <= node.minimum : value < node.minimum)) {
      invalid(goNumber(value), `should be greater than ${node.exclusiveMinimum === true ? '' : 'or equal to '}${goNumber(node.minimum)}`);
    }
  }
  if (Array.isArray(value)) {
    if (node.minItems !== undefined && value.length < node.minItems) invalid(String(value.length), `should have at least ${node.minItems} items`);
    if (node.maxItems !== undefined && value.length > node.maxItems) {
      causes.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${value.length}: must have at most ${node.maxItems} items` });
    }
    if (node.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) invalid('""', "shouldn't contain duplicates");
  }
  if (isJsonObject(value)) {
    const count = Object.keys(value).length;
    if (node.maxProperties !== undefined && count > node.maxProperties) {
      causes.push({ reason: 'FieldValueTooMany', field: path, message: `Too many: ${count}: must have at most ${node.maxProperties} items` });
    }
    if (node.minProperties !== undefined && count < node.minProperties) invalid(String(count), `should have at least ${node.minProperties} properties`);
  }
  return causes;
}

/**
 * Walks an object against a schema, collecting undeclared fields and (for custom resources)
 * type, enum and required-field problems. Open nodes accept anything beneath them.
 */
export function checkSchema(root: SchemaNode, value: unknown, definitions: Record<string, SchemaNode>, options: { checkValues: boolean }): SchemaFindings {
  const findings: SchemaFindings = { unknownFields: [], causes: [], nullFields: [] };
  const visit = (node: SchemaNode | undefined, current: unknown, path: string, depth: number): void => {
    if (node === undefined || depth > 64 || current === undefined) return;
    const resolved = node.ref !== undefined ? definitions[node.ref] : node;
    if (resolved === undefined) return;
    if (current === null) {
      // Custom resources drop null from fields not marked `nullable` (pruned before defaulting).
      if (options.checkValues && node.ref === undefined && resolved.nullable !== true && resolved.type !== undefined && path !== '' && !path.startsWith('metadata')) findings.nullFields.push(path);
      return;
    }
    if (resolved.intOrString === true) {
      if (options.checkValues && typeof current !== 'string' && !Number.isInteger(current)) {
        findings.causes.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: "${jsonType(current)}": ${path} in body must be of type integer,string: ${quote(current)}` });
      }
      return;
    }
    if (options.checkValues && resolved.type !== undefined && !typeMatches(resolved.type, current)) {
      findings.causes.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: "${jsonType(current)}": ${path} in body must be of type ${resolved.type}: ${quote(current)}` });
      return;
    }
    if (options.checkValues) findings.causes.push(...constraintCauses(resolved, current, path));
    if (options.checkValues && resolved.enum !== undefined && !resolved.enum.includes(String(current))) {
      findings.causes.push({ reason: 'FieldValueNotSupported', field: path, message: `Unsupported value: ${quote(current)}: supported values: ${resolved.enum.map((v) => `"${v}"`).join(', ')}` });
    }
    if (Array.isArray(current)) {
      current.forEach((item, index) => visit(resolved.items, item, `${path}[${index}]`, depth + 1));
      return;
    }
    if (!isJsonObject(current)) return;
    const object: JsonObject = current;
    if (options.checkValues && resolved.required !== undefined) {
      for (const key of resolved.required) {
        if (object[key] === undefined) findings.causes.push({ reason: 'FieldValueRequired', field: join(path, key), message: 'Required value' });
      }
    }
    for (const [key, child] of Object.entries(object)) {
      const declared = resolved.properties?.[key];
      if (declared !== undefined) {
        visit(declared, child, join(path, key), depth + 1);
      } else if (resolved.additionalProperties !== undefined) {
        visit(resolved.additionalProperties, child, join(path, key), depth + 1);
      } else if (resolved.open !== true && (resolved.properties !== undefined || resolved.type === 'object')) {
        findings.unknownFields.push(join(path, key));
      }
    }
  };
  visit(root, value, '', 0);
  return findings;
}

/** Removes undeclared fields, as the API server prunes custom resources with structural schemas. */
export function pruneUnknown(root: SchemaNode, value: unknown, definitions: Record<string, SchemaNode>, unknownPaths: string[]): void {
  for (const path of unknownPaths) {
    const parts = path.match(/[^.[\]]+/g) ?? [];
    let current: unknown = value;
    for (const part of parts.slice(0, -1)) {
      current = Array.isArray(current) ? current[Number(part)] : isJsonObject(current) ? current[part] : undefined;
    }
    const last = parts[parts.length - 1];
    if (isJsonObject(current) && last !== undefined) delete current[last];
  }
  void root;
  void definitions;
}
