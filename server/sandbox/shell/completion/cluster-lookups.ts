// What the completion of a cluster client (kubectl, istioctl) may look up. The completer
// builds it from the kubeconfig and time-boxes the parts that ask the cluster.
import type { CatalogKind } from "./cluster-catalog.ts";
import type { CompletionCandidate } from "./completion-candidate.ts";

export interface ClusterLookups {
  /** The context's namespace, when a kubeconfig names a cluster. */
  namespace: string | undefined;
  /** Context names of the kubeconfig. */
  contexts: string[];
  kinds(): Promise<CatalogKind[]>;
  /** Object names of a kind in a namespace; every namespace when it is undefined. */
  names(kind: string, namespace: string | undefined): Promise<string[]>;
  /** Container names of a pod. */
  containers(pod: string, namespace: string): Promise<string[]>;
  paths(word: string): Promise<CompletionCandidate[]>;
}
