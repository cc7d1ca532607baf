import { createHash } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../core/json-object.ts';
import { builtinDefinitions, definitionPackage } from './builtin-schemas.ts';
import type { ResourceRegistry } from './resource-registry.ts';
import type { ResourceType } from './resource-type.ts';
import type { SchemaNode } from './schema-node.ts';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

export function definitionName(type: ResourceType): string {
  if (type.custom !== undefined) {
    // Real CRD documents reverse the group: networking.istio.io → io.istio.networking.
    return `${type.group.split('.').reverse().join('.')}.${type.version}.${type.kind}`;
  }
  return `${definitionPackage(type.group, type.version)}.${type.kind}`;
}

/** The schema of a kind in our own form (open when we have no detailed definition). */
export function kindSchema(type: ResourceType): { name: string; node: SchemaNode; definitions: Record<string, SchemaNode> } {
  const name = definitionName(type);
  const known = builtinDefinitions[name];
  if (known !== undefined) return { name, node: known, definitions: builtinDefinitions };
  if (type.custom?.schema !== undefined) {
    return { name, node: fromOpenApi(type.custom.schema), definitions: builtinDefinitions };
  }
  const node: SchemaNode = {
    type: 'object',
    description: `${type.kind} is a ${type.custom === undefined ? 'built-in' : 'custom'} resource of ${type.group === '' ? 'the core group' : type.group}.`,
    open: true,
    properties: {
      apiVersion: builtinDefinitions[`io.k8s.api.core.v1.Pod`]?.properties?.apiVersion ?? { type: 'string' },
      kind: builtinDefinitions[`io.k8s.api.core.v1.Pod`]?.properties?.kind ?? { type: 'string' },
      metadata: { ref: OBJECT_META, description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    },
  };
  return { name, node, definitions: builtinDefinitions };
}

const NUMERIC_CONSTRAINTS = ['minimum', 'maximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const;

/** Converts a CRD openAPIV3Schema into our schema form (metadata always refers to ObjectMeta). */
export function fromOpenApi(schema: JsonObject, depth = 0): SchemaNode {
  const node: SchemaNode = {};
  if (typeof schema.type === 'string') node.type = schema.type as SchemaNode['type'];
  if (typeof schema.description === 'string') node.description = schema.description;
  if (typeof schema.format === 'string') node.format = schema.format;
  if (Array.isArray(schema.required)) node.required = schema.required.map(String);
  if (Array.isArray(schema.enum)) node.enum = schema.enum.map(String);
  if (schema['x-kubernetes-int-or-string'] === true) node.intOrString = true;
  for (const key of NUMERIC_CONSTRAINTS) {
    if (typeof schema[key] === 'number') node[key] = schema[key];
  }
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum', 'uniqueItems', 'nullable'] as const) {
    if (schema[key] === true) node[key] = true;
  }
  if (typeof schema.pattern === 'string') node.pattern = schema.pattern;
  if (schema.default !== undefined) node.default = schema.default;
  if (schema['x-kubernetes-preserve-unknown-fields'] === true) {
    node.open = true;
    node.preserveUnknownFields = true;
  }
  if (isJsonObject(schema.properties)) {
    node.properties = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      if (isJsonObject(child)) node.properties[key] = fromOpenApi(child, depth + 1);
    }
  } else if (node.type === 'object' && !isJsonObject(schema.additionalProperties)) {
    node.open = node.open ?? schema.additionalProperties !== false;
  }
  if (isJsonObject(schema.additionalProperties)) node.additionalProperties = fromOpenApi(schema.additionalProperties, depth + 1);
  if (isJsonObject(schema.items)) node.items = fromOpenApi(schema.items, depth + 1);
  if (depth === 0) {
    node.properties = { ...node.properties };
    node.properties.metadata = { ref: OBJECT_META, description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" };
    node.properties.apiVersion ??= { type: 'string', description: builtinDefinitions['io.k8s.api.core.v1.Pod']?.properties?.apiVersion?.description ?? '' };
    node.properties.kind ??= { type: 'string', description: builtinDefinitions['io.k8s.api.core.v1.Pod']?.properties?.kind?.description ?? '' };
  }
  return node;
}

function toOpenApi(node: SchemaNode, refs: Set<string>): JsonObject {
  if (node.ref !== undefined) {
    refs.add(node.ref);
    const out: JsonObject = { allOf: [{ $ref: `#/components/schemas/${node.ref}` }], default: {} };
    if (node.description) out.description = node.description;
    return out;
  }
  if (node.intOrString === true) {
    refs.add(INT_OR_STRING);
    const out: JsonObject = { allOf: [{ $ref: `#/components/schemas/${INT_OR_STRING}` }] };
    if (node.description) out.description = node.description;
    return out;
  }
  const out: JsonObject = {};
  if (node.description) out.description = node.description;
  if (node.type !== undefined) out.type = node.type;
  if (node.format !== undefined) out.format = node.format;
  if (node.enum !== undefined) out.enum = node.enum;
  for (const key of NUMERIC_CONSTRAINTS) if (node[key] !== undefined) out[key] = node[key];
  for (const key of ['exclusiveMinimum', 'exclusiveMaximum', 'uniqueItems', 'nullable'] as const) if (node[key] === true) out[key] = true;
  if (node.pattern !== undefined) out.pattern = node.pattern;
  if (node.default !== undefined) out.default = node.default as JsonObject;
  if (node.properties !== undefined) {
    const properties: JsonObject = {};
    for (const key of Object.keys(node.properties).sort()) {
      const child = node.properties[key];
      if (child !== undefined) properties[key] = toOpenApi(child, refs);
    }
    out.properties = properties;
  }
  if (node.required !== undefined && node.required.length > 0) out.required = node.required;
  if (node.additionalProperties !== undefined) out.additionalProperties = toOpenApi(node.additionalProperties, refs);
  if (node.items !== undefined) out.items = toOpenApi(node.items, refs);
  if (node.preserveUnknownFields === true) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (node.listType !== undefined) out['x-kubernetes-list-type'] = node.listType;
  if (node.mergeKey !== undefined) {
    out['x-kubernetes-list-map-keys'] = [node.mergeKey];
    out['x-kubernetes-patch-merge-key'] = node.mergeKey;
    out['x-kubernetes-patch-strategy'] = 'merge';
  }
  return out;
}

const PATCH_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  description: `${name} query parameter.`,
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

function operation(type: ResourceType, action: string, verb: string, schemaName: string, extra: JsonObject = {}): JsonObject {
  const scope = type.namespaced ? 'Namespaced' : '';
  return {
    tags: [type.group === '' ? `core_${type.version}` : `${type.group}_${type.version}`],
    description: `${verb} the specified ${type.kind}`,
    operationId: `${action}${type.group === '' ? 'Core' : ''}${scope}${type.kind}`,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: type.group, version: type.version, kind: type.kind },
    ...extra,
  };
}

/** Builds one group-version's OpenAPI v3 document from our schemas. */
export function buildOpenApiDocument(types: ResourceType[]): JsonObject {
  const schemas: JsonObject = {};
  const paths: JsonObject = {};
  const pending = new Set<string>();
  for (const type of types) {
    const { name, node } = kindSchema(type);
    const converted = toOpenApi(node, pending);
    converted['x-kubernetes-group-version-kind'] = [{ group: type.group, kind: type.kind, version: type.version }];
    schemas[name] = converted;
    const base = type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
    const collection = type.namespaced ? `${base}/namespaces/{namespace}/${type.plural}` : `${base}/${type.plural}`;
    paths[collection] = {
      get: operation(type, 'list', 'list or watch objects of kind', name),
      post: operation(type, 'post', 'create', name),
      parameters: type.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : [],
    };
    paths[`${collection}/{name}`] = {
      get: operation(type, 'get', 'read', name),
      put: operation(type, 'put', 'replace', name),
      patch: operation(type, 'patch', 'partially update', name, {
        parameters: PATCH_PARAMETERS,
        requestBody: {
          content: Object.fromEntries(
            ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((media) => [media, { schema: { type: 'object' } }]),
          ),
          required: true,
        },
      }),
      delete: operation(type, 'delete', 'delete', name),
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } },
        ...(type.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string', uniqueItems: true } }] : []),
      ],
    };
  }
  const done = new Set<string>();
  while (pending.size > 0) {
    const [next] = pending;
    if (next === undefined) break;
    pending.delete(next);
    if (done.has(next) || schemas[next] !== undefined) continue;
    done.add(next);
    if (next === INT_OR_STRING) {
      schemas[next] = { type: 'string', format: 'int-or-string' };
      continue;
    }
    const node = builtinDefinitions[next];
    schemas[next] = node === undefined ? { type: 'object' } : toOpenApi(node, pending);
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
}

/** Caches documents per group-version until the registry changes (a CRD added or removed). */
export class OpenApiDocuments {
  #registry: ResourceRegistry;
  #generation = -1;
  #cache = new Map<string, { body: string; hash: string }>();

  constructor(registry: ResourceRegistry) {
    this.#registry = registry;
  }

  /** `api/v1`, `apis/apps/v1`, … */
  #keys(): Map<string, ResourceType[]> {
    const byKey = new Map<string, ResourceType[]>();
    for (const type of this.#registry.all()) {
      const key = type.group === '' ? `api/${type.version}` : `apis/${type.group}/${type.version}`;
      byKey.set(key, [...(byKey.get(key) ?? []), type]);
    }
    return byKey;
  }

  #refresh(): void {
    if (this.#generation === this.#registry.generation) return;
    this.#generation = this.#registry.generation;
    this.#cache.clear();
  }

  document(key: string): { body: string; hash: string } | undefined {
    this.#refresh();
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const types = this.#keys().get(key);
    if (types === undefined) return undefined;
    const body = JSON.stringify(buildOpenApiDocument(types));
    const entry = { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
    this.#cache.set(key, entry);
    return entry;
  }

  index(): JsonObject {
    const paths: JsonObject = {};
    for (const key of [...this.#keys().keys()].sort()) {
      const entry = this.document(key);
      if (entry !== undefined) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${entry.hash}` };
    }
    return { paths };
  }
}
