// A compact vocabulary for structural OpenAPI v3 schemas, so the CRD files read like the API
// reference instead of pages of nested object literals.
import type { JsonObject } from '../../../core/json-object.ts';

export type Schema = JsonObject;

function withDescription(schema: Schema, description?: string): Schema {
  return description === undefined ? schema : { description, ...schema };
}

export const openApi = {
  string(description?: string, extra: Schema = {}): Schema {
    return withDescription({ type: 'string', ...extra }, description);
  },
  enumOf(values: readonly string[], description?: string): Schema {
    return withDescription({ type: 'string', enum: [...values] }, description);
  },
  /** int32 by default; pass `{ format: undefined }` for the unsigned fields upstream bounds instead. */
  integer(description?: string, extra: Schema = {}): Schema {
    const merged: Schema = { type: 'integer', format: 'int32', ...extra };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    return withDescription(merged, description);
  },
  port(description?: string): Schema {
    return withDescription({ type: 'integer', maximum: 4294967295, minimum: 0 }, description);
  },
  number(description?: string): Schema {
    return withDescription({ type: 'number', format: 'double' }, description);
  },
  boolean(description?: string, extra: Schema = {}): Schema {
    return withDescription({ type: 'boolean', ...extra }, description);
  },
  /** Istio durations travel as strings such as `7s` or `100ms`. */
  duration(description?: string): Schema {
    return withDescription({ type: 'string' }, description);
  },
  object(properties: Record<string, Schema>, extra: Schema = {}): Schema {
    return { type: 'object', properties, ...extra };
  },
  array(items: Schema, extra: Schema = {}): Schema {
    return { type: 'array', items, ...extra };
  },
  stringArray(description?: string): Schema {
    return withDescription({ type: 'array', items: { type: 'string' } }, description);
  },
  map(values: Schema, description?: string): Schema {
    return withDescription({ type: 'object', additionalProperties: values }, description);
  },
  stringMap(description?: string): Schema {
    return withDescription({ type: 'object', additionalProperties: { type: 'string' } }, description);
  },
  /** Only where upstream itself is open (Struct-typed fields such as EnvoyFilter patch values). */
  open(description?: string): Schema {
    return withDescription({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, description);
  },
  intOrString(): Schema {
    return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  },
};
