// The resource catalogue kubectl builds from discovery, and the name resolution of its
// RESTMapper: short names first, then plural, singular and kind, in group priority order
// (the core group, then groups in the order `/apis` lists them, preferred version first).
import type { ApiClient } from './api-client.ts';
import { KubectlError } from './kubectl-error.ts';

export interface ApiResource {
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Whether `version` is the group's preferred version. */
  preferred: boolean;
}

interface ApiResourceListDocument {
  resources?: { name: string; singularName?: string; namespaced?: boolean; kind: string; verbs?: string[]; shortNames?: string[]; categories?: string[] }[];
}

interface ApiGroupListDocument {
  groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

/** `apps/v1`, or `v1` for the core group. */
export function groupVersion(resource: { group: string; version: string }): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** `deployments.apps`, or `pods` for the core group: how the API server names resources in messages. */
export function qualifiedResource(resource: ApiResource): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}

/** `deployment.apps`, or `pod`: the prefix of `kind/name` in kubectl output. */
export function kindPrefix(resource: ApiResource): string {
  const kind = resource.kind.toLowerCase();
  return resource.group === '' ? kind : `${kind}.${resource.group}`;
}

/** REST path of a collection or object. */
export function resourcePath(resource: ApiResource, namespace: string | undefined, name?: string): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  const ns = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${ns}/${resource.resource}${tail}`;
}

export class Discovery {
  /** Every resource in priority order. */
  readonly resources: ApiResource[];

  constructor(resources: ApiResource[]) {
    this.resources = resources;
  }

  static async load(client: ApiClient): Promise<Discovery> {
    const [core, groups] = await Promise.all([
      client.json<{ versions?: string[] }>({ path: '/api' }),
      client.json<ApiGroupListDocument>({ path: '/apis' }),
    ]);
    const targets: { group: string; version: string; preferred: boolean }[] = [];
    for (const version of core.versions ?? []) targets.push({ group: '', version, preferred: version === core.versions?.[0] });
    for (const group of groups.groups ?? []) {
      const preferred = group.preferredVersion?.version ?? group.versions[0]?.version;
      const ordered = [...group.versions].sort((a, b) => Number(b.version === preferred) - Number(a.version === preferred));
      for (const version of ordered) targets.push({ group: group.name, version: version.version, preferred: version.version === preferred });
    }
    const documents = await Promise.all(
      targets.map((target) => client.json<ApiResourceListDocument>({ path: target.group === '' ? `/api/${target.version}` : `/apis/${target.group}/${target.version}` })),
    );
    const resources: ApiResource[] = [];
    documents.forEach((document, index) => {
      const target = targets[index];
      if (target === undefined) return;
      for (const entry of document.resources ?? []) {
        if (entry.name.includes('/')) continue;
        resources.push({
          group: target.group,
          version: target.version,
          resource: entry.name,
          singular: entry.singularName !== undefined && entry.singularName !== '' ? entry.singularName : entry.kind.toLowerCase(),
          kind: entry.kind,
          namespaced: entry.namespaced ?? false,
          shortNames: entry.shortNames ?? [],
          categories: entry.categories ?? [],
          verbs: entry.verbs ?? [],
          preferred: target.preferred,
        });
      }
    });
    return new Discovery(resources);
  }

  /** Resources of a category (`all`, `istio-io`), preferred versions only, in priority order. */
  category(name: string): ApiResource[] {
    return this.resources.filter((resource) => resource.preferred && resource.categories.includes(name));
  }

  /** Resolves one resource argument (`po`, `deployments.apps`, `deployment.v1.apps`, `Pod`). */
  resolve(argument: string): ApiResource {
    const found = this.find(argument);
    if (found === undefined) throw new KubectlError('UNKNOWN_RESOURCE_TYPE', `error: the server doesn't have a resource type "${argument}"`);
    return found;
  }

  find(argument: string): ApiResource | undefined {
    const lower = argument.toLowerCase();
    const candidates: { name: string; group?: string; version?: string }[] = [{ name: lower }];
    const dot = lower.indexOf('.');
    if (dot > 0) {
      const name = lower.slice(0, dot);
      const rest = lower.slice(dot + 1);
      candidates.unshift({ name, group: rest });
      const second = rest.indexOf('.');
      if (second > 0) candidates.unshift({ name, version: rest.slice(0, second), group: rest.slice(second + 1) });
    }
    for (const candidate of candidates) {
      const pool = this.resources.filter(
        (resource) =>
          (candidate.group === undefined || resource.group === candidate.group) &&
          (candidate.version === undefined ? resource.preferred : resource.version === candidate.version),
      );
      const short = pool.find((resource) => resource.shortNames.includes(candidate.name));
      if (short !== undefined) return short;
      const named = pool.find((resource) => resource.resource === candidate.name || resource.singular === candidate.name);
      if (named !== undefined) return named;
      const kind = pool.find((resource) => resource.kind.toLowerCase() === candidate.name);
      if (kind !== undefined) return kind;
    }
    return undefined;
  }
}
