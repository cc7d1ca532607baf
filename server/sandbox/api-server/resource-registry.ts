import { builtinGroupOrder, builtinResources } from './builtin-resources.ts';
import type { ResourceType } from './resource-type.ts';

export interface ServedGroup {
  name: string;
  /** Versions by preference: the first is the preferred version. */
  versions: Array<{ version: string; resources: ResourceType[] }>;
}

/** Which resources are served right now: the built-ins plus whatever the CRDs add. */
export class ResourceRegistry {
  #builtin: ResourceType[] = [...builtinResources];
  #custom = new Map<string, ResourceType[]>();
  #generation = 0;
  #listeners = new Set<() => void>();

  /** Bumped on every change so cached discovery/OpenAPI documents know when to rebuild. */
  get generation(): number {
    return this.#generation;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Replaces what one CRD serves (an empty list removes it). */
  setCustom(crdName: string, types: ResourceType[]): void {
    if (types.length === 0) this.#custom.delete(crdName);
    else this.#custom.set(crdName, types);
    this.#generation++;
    for (const listener of this.#listeners) listener();
  }

  all(): ResourceType[] {
    return [...this.#builtin, ...[...this.#custom.values()].flat()];
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((type) => type.group === group && type.version === version && type.plural === plural);
  }

  findKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.all().find((type) => type.group === group && type.version === version && type.kind === kind);
  }

  /** Every served version of the resource stored under `storageKey`. */
  byStorageKey(storageKey: string): ResourceType[] {
    return this.all().filter((type) => type.storageKey === storageKey);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all().some((type) => type.group === group && type.version === version);
  }

  /** Groups in discovery order: built-ins by priority, then CRD groups by "<version>.<group>". */
  groups(): ServedGroup[] {
    const byGroup = new Map<string, ServedGroup>();
    for (const type of this.all()) {
      let group = byGroup.get(type.group);
      if (group === undefined) {
        group = { name: type.group, versions: [] };
        byGroup.set(type.group, group);
      }
      let version = group.versions.find((entry) => entry.version === type.version);
      if (version === undefined) {
        version = { version: type.version, resources: [] };
        group.versions.push(version);
      }
      version.resources.push(type);
    }
    for (const group of byGroup.values()) {
      group.versions.sort((a, b) => compareVersions(b.version, a.version));
      for (const version of group.versions) version.resources.sort((a, b) => a.plural.localeCompare(b.plural));
    }
    const builtin = builtinGroupOrder.flatMap((name) => byGroup.get(name) ?? []);
    const customGroups = [...byGroup.values()]
      .filter((group) => !builtinGroupOrder.includes(group.name))
      .sort((a, b) => {
        const keyA = `${a.versions[0]?.version}.${a.name}`;
        const keyB = `${b.versions[0]?.version}.${b.name}`;
        return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
      });
    return [...builtin, ...customGroups];
  }
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const rank = (version: string): [number, number, number] => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
    if (match === null) return [-1, 0, 0];
    const stability = match[2] === undefined ? 3 : match[2] === 'beta' ? 2 : 1;
    return [stability, Number(match[1]), Number(match[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  if (sa !== sb) return sa - sb;
  if (ma !== mb) return ma - mb;
  if (na !== nb) return na - nb;
  return b.localeCompare(a);
}
