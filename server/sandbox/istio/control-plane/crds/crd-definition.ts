// Builds apiextensions.k8s.io/v1 CustomResourceDefinition objects in the shape upstream ships.
import type { JsonObject } from '../../../core/json-object.ts';
import type { Schema } from './open-api.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'date' | 'integer' | 'boolean' | 'number';
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
}

export interface CrdDefinitionInput {
  group: string;
  kind: string;
  plural: string;
  singular?: string;
  shortNames?: readonly string[];
  categories?: readonly string[];
  scope?: 'Namespaced' | 'Cluster';
  versions: readonly CrdVersion[];
  printerColumns: readonly PrinterColumn[];
  /** Schema of the whole object (spec and status under `properties`). */
  schema: Schema;
  statusSubresource: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function crdDefinition(input: CrdDefinitionInput): JsonObject {
  const names: JsonObject = {};
  if (input.categories !== undefined) names.categories = [...input.categories];
  names.kind = input.kind;
  names.listKind = `${input.kind}List`;
  names.plural = input.plural;
  if (input.shortNames !== undefined) names.shortNames = [...input.shortNames];
  names.singular = input.singular ?? input.kind.toLowerCase();

  const versions = input.versions.map((version) => {
    const entry: JsonObject = {};
    if (input.printerColumns.length > 0) {
      entry.additionalPrinterColumns = input.printerColumns.map((column) => ({ ...column }));
    }
    if (version.deprecated === true) entry.deprecated = true;
    entry.name = version.name;
    // Each version gets its own copy: callers (defaulting, pruning) may mutate schemas.
    entry.schema = { openAPIV3Schema: structuredClone(input.schema) };
    entry.served = version.served;
    entry.storage = version.storage;
    if (input.statusSubresource) entry.subresources = { status: {} };
    return entry;
  });

  const metadata: JsonObject = { name: `${input.plural}.${input.group}` };
  if (input.annotations !== undefined) metadata.annotations = { ...input.annotations };
  if (input.labels !== undefined) metadata.labels = { ...input.labels };

  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: input.group,
      names,
      scope: input.scope ?? 'Namespaced',
      versions,
    },
  };
}
