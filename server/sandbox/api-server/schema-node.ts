/** Our own schema form: compact to write, converted to OpenAPI v3 and used for field validation. */
export interface SchemaNode {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  format?: string;
  description?: string;
  /** Name of a definition (`io.k8s.api.core.v1.PodSpec`). */
  ref?: string;
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  required?: string[];
  enum?: string[];
  /** Fields beyond `properties` are accepted (we did not list every field). */
  open?: boolean;
  /** int-or-string fields. */
  intOrString?: boolean;
  /** Strategic-merge list metadata (`x-kubernetes-patch-merge-key`). */
  mergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  preserveUnknownFields?: boolean;
  /** Value constraints of OpenAPI v3 (CRD schemas). */
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  /** Structural default of a CRD field (applied to custom resources on write). */
  default?: unknown;
}

export const str = (description: string, extra: Partial<SchemaNode> = {}): SchemaNode => ({ type: 'string', description, ...extra });
export const int = (description: string, format = 'int32'): SchemaNode => ({ type: 'integer', format, description });
export const bool = (description: string): SchemaNode => ({ type: 'boolean', description });
export const ref = (name: string, description: string): SchemaNode => ({ ref: name, description });
export const arr = (items: SchemaNode, description: string, mergeKey?: string): SchemaNode =>
  mergeKey === undefined ? { type: 'array', items, description } : { type: 'array', items, description, mergeKey, listType: 'map' };
export const strMap = (description: string): SchemaNode => ({ type: 'object', additionalProperties: { type: 'string' }, description });
export const intOrStr = (description: string): SchemaNode => ({ intOrString: true, description });
export const openObject = (description: string): SchemaNode => ({ type: 'object', description, open: true });
export const obj = (description: string, properties: Record<string, SchemaNode>, required?: string[]): SchemaNode =>
  required === undefined ? { type: 'object', description, properties } : { type: 'object', description, properties, required };
