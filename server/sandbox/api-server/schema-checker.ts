import { isJsonObject, type JsonObject } from '../core/json-object.ts';
import type { StatusCause } from '../core/status-error.ts';
import type { SchemaNode } from './schema-node.ts';

export interface SchemaFindings {
  /** Paths of fields the schema does not declare (`spec.template.spec.containers[0].imagee`). */
  unknownFields: string[];
  /** Value problems worded as the API server's OpenAPI validation words them. */
  causes: StatusCause[];
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

/**
 * Walks an object against a schema, collecting undeclared fields and (for custom resources)
 * type, enum and required-field problems. Open nodes accept anything beneath them.
 */
export function checkSchema(root: SchemaNode, value: unknown, definitions: Record<string, SchemaNode>, options: { checkValues: boolean }): SchemaFindings {
  const findings: SchemaFindings = { unknownFields: [], causes: [] };
  const visit = (node: SchemaNode | undefined, current: unknown, path: string, depth: number): void => {
    if (node === undefined || depth > 64 || current === null || current === undefined) return;
    const resolved = node.ref !== undefined ? definitions[node.ref] : node;
    if (resolved === undefined) return;
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
