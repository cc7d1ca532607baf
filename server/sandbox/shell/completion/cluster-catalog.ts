// The narrow view of the cluster that completion needs. The worker implements it over HTTP
// (http-cluster-catalog.ts); tests may pass a fake.

export interface CatalogKind {
  /** Plural resource name, `deployments`. */
  resource: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
}

export interface ClusterCatalog {
  /** The namespace of the kubeconfig's current context (`default` when it names none). */
  readonly namespace: string;
  /** The kinds a learner can list: preferred versions, no subresources. */
  listKinds(signal?: AbortSignal): Promise<CatalogKind[]>;
  /**
   * Names of the objects of a kind as typed on the command line (`po`, `deploy`,
   * `deployments.apps`), in a namespace (ignored for cluster-scoped kinds), or in every
   * namespace when it is undefined.
   */
  listNames(kind: string, namespace: string | undefined, signal?: AbortSignal): Promise<string[]>;
  /** The container names of a pod (for `-c`). */
  listContainers(pod: string, namespace: string, signal?: AbortSignal): Promise<string[]>;
}
