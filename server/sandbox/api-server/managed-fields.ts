import type { JsonObject } from '../core/json-object.ts';

/** One `metadata.managedFields` entry: which manager owns which fields (FieldsV1). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}
