import type { JsonObject } from '../core/json-object.ts';
import type { ResourceRegistry, ServedGroup } from './resource-registry.ts';
import type { ResourceType } from './resource-type.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

/** Which aggregated discovery version the Accept header asks for, if any (first acceptable wins). */
export function aggregatedVersionAccepted(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (accept === undefined) return undefined;
  for (const part of accept.split(',')) {
    const params = part.split(';').map((piece) => piece.trim());
    if (!params.includes('as=APIGroupDiscoveryList') || !params.includes('g=apidiscovery.k8s.io')) continue;
    if (params.includes('v=v2')) return 'v2';
    if (params.includes('v=v2beta1')) return 'v2beta1';
  }
  return undefined;
}

function aggregatedResource(type: ResourceType): JsonObject {
  const resource: JsonObject = {
    resource: type.plural,
    responseKind: { group: type.group, version: type.version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: [...type.verbs].sort(),
  };
  if (type.shortNames.length > 0) resource.shortNames = type.shortNames;
  if (type.categories.length > 0) resource.categories = type.categories;
  if (type.subresources.length > 0) {
    resource.subresources = type.subresources.map((sub) => ({ subresource: sub.name, responseKind: sub.responseKind, verbs: sub.verbs }));
  }
  return resource;
}

function aggregatedGroup(group: ServedGroup): JsonObject {
  const metadata: JsonObject = group.name === '' ? { creationTimestamp: null } : { name: group.name, creationTimestamp: null };
  return {
    metadata,
    versions: group.versions.map((version) => ({
      version: version.version,
      resources: version.resources.map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

/** `/api` or `/apis` as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(registry: ResourceRegistry, legacy: boolean, version: 'v2' | 'v2beta1'): JsonObject {
  const groups = registry.groups().filter((group) => (group.name === '') === legacy);
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items: groups.map(aggregatedGroup) };
}

export function legacyApiVersions(serverAddress: string): JsonObject {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: ServedGroup): JsonObject {
  const versions = group.versions.map((version) => ({ groupVersion: `${group.name}/${version.version}`, version: version.version }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

export function legacyApiGroupList(registry: ResourceRegistry): JsonObject {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().filter((group) => group.name !== '').map(apiGroup) };
}

export function legacyApiGroup(registry: ResourceRegistry, name: string): JsonObject | undefined {
  const group = registry.groups().find((candidate) => candidate.name === name && name !== '');
  return group === undefined ? undefined : { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

/** `/api/v1` or `/apis/<g>/<v>` as an APIResourceList (resources and their subresources). */
export function apiResourceList(registry: ResourceRegistry, group: string, version: string): JsonObject | undefined {
  const types = registry.all().filter((type) => type.group === group && type.version === version).sort((a, b) => a.plural.localeCompare(b.plural));
  if (types.length === 0) return undefined;
  const resources: JsonObject[] = [];
  for (const type of types) {
    const resource: JsonObject = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
    };
    if (type.shortNames.length > 0) resource.shortNames = type.shortNames;
    if (type.categories.length > 0) resource.categories = type.categories;
    resources.push(resource);
    for (const sub of type.subresources) {
      const entry: JsonObject = { name: `${type.plural}/${sub.name}`, singularName: '', namespaced: type.namespaced, kind: sub.responseKind.kind, verbs: sub.verbs };
      // Kinds of another group-version name both (kubectl drain finds pods/eviction this way).
      if (sub.responseKind.group !== group || sub.responseKind.version !== version) {
        entry.group = sub.responseKind.group;
        entry.version = sub.responseKind.version;
      }
      resources.push(entry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
}
