// Istio's control plane inside an emulated cluster: the sidecar injector and the config
// validator as admission hooks, and the Gateway API controller on the change feed. All of it
// is dormant until the objects `istioctl install` creates exist and an istiod pod is ready.
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import type { JsonObject } from '../../../core/json-object.ts';
import { WorkQueue } from '../../../controllers/work-queue.ts';
import { configValidationHook } from './config-validation-hook.ts';
import { gatewayApiRelevant, reconcileGatewayApi } from './gateway-api-controller.ts';
import { sidecarInjectorHook } from './sidecar-injector-hook.ts';

export interface IstioControlPlaneOptions {
  /** Reports a failed reconcile pass (the library never logs on its own). */
  onError?: (key: string, error: unknown) => void;
}

export interface RunningIstioControlPlane {
  /** Pending Gateway API work (tests wait for it to drain on a manual clock). */
  readonly queue: WorkQueue;
  stop(): void;
}

const GATEWAY_API_KEY = 'istiod/gateway-api';

export function startIstioControlPlane(api: ClusterApi, options: IstioControlPlaneOptions = {}): RunningIstioControlPlane {
  const queue = new WorkQueue(api.clock, options.onError ?? (() => {}));
  const removeInjector = api.admission.addMutating(sidecarInjectorHook(api));
  const removeValidator = api.admission.addValidating(configValidationHook(api));
  const enqueue = (): void => queue.add(GATEWAY_API_KEY, () => reconcileGatewayApi(api));
  const unsubscribe = api.onChange((change, type) => {
    if (gatewayApiRelevant(type, change.object as JsonObject)) enqueue();
  });
  // Catch up on a restored snapshot or objects created before the start.
  enqueue();
  return {
    queue,
    stop() {
      unsubscribe();
      queue.stop();
      removeInjector();
      removeValidator();
    },
  };
}
