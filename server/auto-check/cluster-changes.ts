// Tells when anything a lesson step could be about changes in the sandbox's cluster, through
// watches (as informers do) rather than by asking again and again. Paths the learner may not
// watch (a namespaced learner on a shared cluster) or that do not exist yet (Istio not
// installed) are skipped; a watch that ends is opened again.
import { KubeConfig, Watch } from "@kubernetes/client-node";

/** What lessons change: namespaces, workloads, services and the mesh's own configuration. */
export const WATCHED_PATHS = [
  "/api/v1/namespaces",
  "/api/v1/pods",
  "/api/v1/services",
  "/api/v1/configmaps",
  "/apis/apps/v1/deployments",
  "/apis/networking.istio.io/v1/virtualservices",
  "/apis/networking.istio.io/v1/destinationrules",
  "/apis/networking.istio.io/v1/gateways",
  "/apis/security.istio.io/v1/peerauthentications",
  "/apis/security.istio.io/v1/authorizationpolicies",
  "/apis/gateway.networking.k8s.io/v1/gateways",
  "/apis/gateway.networking.k8s.io/v1/httproutes",
];

const REOPEN_MS = 2000;

/** Calls `onChange` (debounced) after any change until `signal` aborts. */
export function watchClusterChanges(kubeconfig: string, onChange: () => void, signal: AbortSignal, options: { debounceMs?: number } = {}): void {
  const config = new KubeConfig();
  config.loadFromString(kubeconfig);
  const watch = new Watch(config);
  let timer: NodeJS.Timeout | undefined;
  const changed = (): void => {
    if (signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, options.debounceMs ?? 300);
  };
  signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  const open = (path: string): void => {
    if (signal.aborted) return;
    // A new watch first replays what exists: that settles into one more run of the checks.
    watch
      .watch(
        path,
        { allowWatchBookmarks: true },
        (phase) => {
          if (phase !== "BOOKMARK") changed();
        },
        () => {
          if (!signal.aborted) setTimeout(() => open(path), REOPEN_MS).unref();
        },
      )
      .then(
        (controller) => {
          if (signal.aborted) controller.abort();
          else signal.addEventListener("abort", () => controller.abort(), { once: true });
        },
        () => {
          // Forbidden or not served (yet): try again later, the CRD may be installed meanwhile.
          if (!signal.aborted) setTimeout(() => open(path), REOPEN_MS * 5).unref();
        },
      );
  };
  for (const path of WATCHED_PATHS) open(path);
}
