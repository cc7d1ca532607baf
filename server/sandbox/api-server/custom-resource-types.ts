import { asArray, asObject, isJsonObject, type JsonObject } from '../core/json-object.ts';
import type { PrinterColumn, ResourceType, SubresourceInfo } from './resource-type.ts';

const ALL_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/** What a CustomResourceDefinition serves: one ResourceType per served version. */
export function customResourceTypes(crd: JsonObject): ResourceType[] {
  const spec = asObject(crd.spec);
  const names = asObject(spec.names);
  const group = String(spec.group ?? '');
  const plural = String(names.plural ?? '');
  const kind = String(names.kind ?? '');
  const crdName = String(asObject(crd.metadata).name ?? '');
  if (group === '' || plural === '' || kind === '') return [];
  return asArray(spec.versions)
    .filter((version) => isJsonObject(version) && version.served !== false)
    .map((raw) => {
      const version = asObject(raw);
      const versionName = String(version.name ?? '');
      const subresources: SubresourceInfo[] = [];
      const declared = asObject(version.subresources);
      if (declared.scale !== undefined) subresources.push({ name: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
      if (declared.status !== undefined) subresources.push({ name: 'status', responseKind: { group, version: versionName, kind }, verbs: ['get', 'patch', 'update'] });
      const declaredColumns = asArray(version.additionalPrinterColumns).map(asObject);
      const columns: PrinterColumn[] = (declaredColumns.length > 0 ? declaredColumns : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }]).map((column) => ({
        name: String(column.name ?? ''),
        type: String(column.type ?? 'string'),
        format: String(column.format ?? ''),
        description: String(column.description ?? (column.name === 'Age' ? 'CreationTimestamp is a timestamp representing the server time when this object was created.' : '')),
        priority: typeof column.priority === 'number' ? column.priority : 0,
        jsonPath: String(column.jsonPath ?? ''),
      }));
      const schema = asObject(version.schema).openAPIV3Schema;
      return {
        group,
        version: versionName,
        kind,
        listKind: String(names.listKind ?? `${kind}List`),
        plural,
        singular: String(names.singular ?? kind.toLowerCase()),
        shortNames: asArray(names.shortNames).map(String),
        categories: asArray(names.categories).map(String),
        namespaced: spec.scope !== 'Cluster',
        verbs: ALL_VERBS,
        subresources,
        nameRule: 'dns1123-subdomain' as const,
        storageKey: `${group}/${plural}`,
        tracksGeneration: true,
        custom: { schema: isJsonObject(schema) ? schema : undefined, printerColumns: columns, crdName },
      } satisfies ResourceType;
    });
}

/** Status a real apiextensions controller writes once the names are accepted. */
export function establishedStatus(crd: JsonObject, now: string): JsonObject {
  const spec = asObject(crd.spec);
  const names = asObject(spec.names);
  const accepted: JsonObject = { kind: names.kind, listKind: names.listKind ?? `${String(names.kind)}List`, plural: names.plural, singular: names.singular ?? String(names.kind ?? '').toLowerCase() };
  if (names.shortNames !== undefined) accepted.shortNames = names.shortNames;
  if (names.categories !== undefined) accepted.categories = names.categories;
  return {
    acceptedNames: accepted,
    conditions: [
      { lastTransitionTime: now, message: 'no conflicts found', reason: 'NoConflicts', status: 'True', type: 'NamesAccepted' },
      { lastTransitionTime: now, message: 'the initial names have been accepted', reason: 'InitialNamesAccepted', status: 'True', type: 'Established' },
    ],
    storedVersions: asArray(spec.versions).map(asObject).filter((v) => v.storage === true).map((v) => v.name),
  };
}
