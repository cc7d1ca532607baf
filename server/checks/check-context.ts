// Builds what a check sees from a sandbox (or any kubeconfig + shell): fresh API clients per
// run, so API discovery done by an earlier run never hides a CRD installed since.
import { CoreV1Api, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import type { CheckContext, CheckTarget } from "./check-types.ts";

export function createCheckContext(target: CheckTarget, signal: AbortSignal): CheckContext {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(target.kubeconfig);
  return {
    kubeConfig,
    objects: KubernetesObjectApi.makeApiClient(kubeConfig),
    core: kubeConfig.makeApiClient(CoreV1Api),
    run: (command) => target.run(command, { signal }),
    signal,
    pass: () => ({ passed: true }),
    fail: (message) => ({ passed: false, message }),
  };
}
