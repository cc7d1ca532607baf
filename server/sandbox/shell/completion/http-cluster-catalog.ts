// ClusterCatalog over the cluster's REST API, with the server and credentials of the
// learner's kubeconfig, as kubectl's own completion asks the cluster.
import { ApiClient, resolveClusterTarget } from "../../kubectl/api-client.ts";
import type { ClusterTarget } from "../../kubectl/api-client.ts";
import { Discovery, resourcePath } from "../../kubectl/discovery.ts";
import type { CatalogKind, ClusterCatalog } from "./cluster-catalog.ts";

/**
 * Discovery of one server, kept between completions. A load in flight is kept too: it is
 * never cut short by a completion's deadline, so a slow first load serves the next Tab.
 */
export type DiscoveryCache = Map<string, { discovery: Promise<Discovery>; loadedAt: number }>;

/** Completions are a few seconds apart; a CRD created meanwhile shows up after this long. */
const DISCOVERY_TTL_MS = 30_000;
/** A kind missing from discovery refetches it, but not again for every Tab on the same typo. */
const MIN_REFRESH_MS = 5_000;

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

  async listContainers(pod: string, namespace: string, signal?: AbortSignal): Promise<string[]> {
    const object = await this.#client(signal).json<{ spec?: { containers?: { name?: string }[] } }>({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`,
    });
    return (object.spec?.containers ?? []).flatMap((container) => (typeof container.name === "string" ? [container.name] : []));
  }

  #client(signal: AbortSignal | undefined): ApiClient {
    return new ApiClient(this.#target, signal === undefined ? {} : { signal });
  }

  #discovery(signal: AbortSignal | undefined, refresh: boolean): Promise<Discovery> {
    const server = this.#target.server;
    const cached = this.#cache.get(server);
    const age = cached === undefined ? Number.POSITIVE_INFINITY : this.#now() - cached.loadedAt;
    if (cached !== undefined && age < (refresh ? MIN_REFRESH_MS : DISCOVERY_TTL_MS)) return abortable(cached.discovery, signal);
    const entry = { discovery: Discovery.load(this.#client(undefined)), loadedAt: this.#now() };
    this.#cache.set(server, entry);
    entry.discovery.catch(() => {
      if (this.#cache.get(server) === entry) this.#cache.delete(server);
    });
    return abortable(entry.discovery, signal);
  }
}

/** Waits for `work` unless `signal` aborts first; the work itself goes on. */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
