import type { NameRule } from '../core/name-validation.ts';
import type { JsonObject } from '../core/json-object.ts';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceInfo {
  name: string;
  /** Kind answered by the subresource (Scale for `scale`, the parent kind for `status`). */
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface PrinterColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
  /** JSONPath for custom-resource columns (`.spec.hosts`). */
  jsonPath?: string;
}

/** What a CustomResourceDefinition adds beyond the common table entry. */
export interface CustomResourceInfo {
  /** The CRD's openAPIV3Schema for this version, or undefined when it has none. */
  schema: JsonObject | undefined;
  printerColumns: PrinterColumn[];
  crdName: string;
}

/** One served resource: everything discovery, storage and printing need to know. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: string[];
  subresources: SubresourceInfo[];
  nameRule: NameRule;
  /** Objects of resources sharing a storage key are one set (core and events.k8s.io Events). */
  storageKey: string;
  /** Whether spec changes bump metadata.generation (resources with a spec and a status). */
  tracksGeneration: boolean;
  custom?: CustomResourceInfo;
}

export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function groupVersionPath(type: { group: string; version: string }): string {
  return type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
}
