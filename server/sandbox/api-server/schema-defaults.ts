import { deepClone, isJsonObject } from '../core/json-object.ts';
import type { SchemaNode } from './schema-node.ts';

/**
 * Structural defaulting of custom resources: a missing field (or a null one the schema does
 * not make nullable) whose schema has a `default` gets a copy of it, then defaulting goes on
 * inside every present field, defaulted ones included — as apiextensions-apiserver does.
 */
export function applySchemaDefaults(root: SchemaNode, value: unknown, definitions: Record<string, SchemaNode>): void {
  const visit = (node: SchemaNode | undefined, current: unknown, depth: number): void => {
    if (node === undefined || depth > 64 || current === null || typeof current !== 'object') return;
    const resolved = node.ref !== undefined ? definitions[node.ref] : node;
    if (resolved === undefined) return;
    if (Array.isArray(current)) {
      for (const item of current) visit(resolved.items, item, depth + 1);
      return;
    }
    if (!isJsonObject(current)) return;
    for (const [key, child] of Object.entries(resolved.properties ?? {})) {
      const missing = current[key] === undefined || (current[key] === null && child.nullable !== true);
      if (missing && child.default !== undefined) current[key] = deepClone(child.default as never);
    }
    for (const [key, child] of Object.entries(current)) {
      const declared = resolved.properties?.[key] ?? resolved.additionalProperties;
      visit(declared, child, depth + 1);
    }
  };
  visit(root, value, 0);
}
