// ClusterCatalog over the cluster's REST API, with the server and credentials of the
// learner's kubeconfig, as kubectl's own completion asks the cluster.
import { ApiClient, resolveClusterTarget } from "../../kubectl/api-client.ts";
import type { ClusterTarget } from "../../kubectl/api-client.ts";
import { Discovery, resourcePath } from "../../kubectl/discovery.ts";
import type { CatalogKind, ClusterCatalog } from "./cluster-catalog.ts";

/** Discovery of one server, kept between completions. */
export type DiscoveryCache = Map<string, { discovery: Discovery; loadedAt: number }>;

/** Completions are a few seconds apart; a CRD created meanwhile shows up after this long. */
const DISCOVERY_TTL_MS = 30_000;

export class HttpClusterCatalog implements ClusterCatalog {
  readonly #target: ClusterTarget;
  readonly #cache: DiscoveryCache;
  readonly #now: () => number;

  /** Throws a KubectlError when the kubeconfig names no usable cluster. */
  constructor(kubeconfig: string, options: { cache?: DiscoveryCache; now?: () => number } = {}) {
    this.#target = resolveClusterTarget(kubeconfig);
    this.#cache = options.cache ?? new Map();
    this.#now = options.now ?? Date.now;
  }

  get namespace(): string {
    return this.#target.namespace;
  }

  async listKinds(signal?: AbortSignal): Promise<CatalogKind[]> {
    const discovery = await this.#discovery(signal, false);
    return discovery.resources
      .filter((resource) => resource.preferred && resource.verbs.includes("list"))
      .map((resource) => ({
        resource: resource.resource,
        singular: resource.singular,
        shortNames: resource.shortNames,
        namespaced: resource.namespaced,
      }));
  }

  async listNames(kind: string, namespace: string | undefined, signal?: AbortSignal): Promise<string[]> {
    let resource = (await this.#discovery(signal, false)).find(kind);
    // A kind missing from cached discovery may be a CRD created since: look once more.
    resource ??= (await this.#discovery(signal, true)).find(kind);
    if (resource === undefined) return [];
    const list = await this.#client(signal).json<{ items?: { metadata?: { name?: string } }[] }>({
      path: resourcePath(resource, namespace),
    });
    // Across namespaces the same name may appear more than once; it completes once.
    const names = new Set<string>();
    for (const item of list.items ?? []) if (typeof item.metadata?.name === "string") names.add(item.metadata.name);
    return [...names];
  }

  #client(signal: AbortSignal | undefined): ApiClient {
    return new ApiClient(this.#target, signal === undefined ? {} : { signal });
  }

  async #discovery(signal: AbortSignal | undefined, refresh: boolean): Promise<Discovery> {
    const cached = this.#cache.get(this.#target.server);
    if (!refresh && cached !== undefined && this.#now() - cached.loadedAt < DISCOVERY_TTL_MS) return cached.discovery;
    const discovery = await Discovery.load(this.#client(signal));
    this.#cache.set(this.#target.server, { discovery, loadedAt: this.#now() });
    return discovery;
  }
}
