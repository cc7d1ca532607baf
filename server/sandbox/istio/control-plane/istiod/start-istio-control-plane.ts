// Istio's control plane inside an emulated cluster: the sidecar injector and the config
// validator as admission hooks, the Gateway API controller and the publisher of the mesh CA's
// root cert (`istio-ca-root-cert` in every namespace) on the change feed. All of it
// is dormant until the objects `istioctl install` creates exist and an istiod pod is ready.
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import type { JsonObject } from '../../../core/json-object.ts';
import { WorkQueue } from '../../../controllers/work-queue.ts';
import { caRootCertRelevant, publishCaRootCerts } from './ca-root-cert-publisher.ts';
import { configValidationHook } from './config-validation-hook.ts';
import { gatewayApiRelevant, reconcileGatewayApi } from './gateway-api-controller.ts';
import { runningIstiods } from './istiod-pods.ts';
import { sidecarInjectorHook } from './sidecar-injector-hook.ts';
import { enforceValidationFailurePolicy } from './validation-failure-policy.ts';

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
const WEBHOOK_KEY = 'istiod/validation-webhooks';
const CA_ROOT_CERT_KEY = 'istiod/ca-root-cert';

/** Changes that can start or stop an istiod, or touch its webhook configurations. */
function istiodRelevant(group: string, plural: string, object: JsonObject): boolean {
  if (group === 'admissionregistration.k8s.io') return plural === 'validatingwebhookconfigurations';
  return group === '' && plural === 'pods' && (object.metadata as { labels?: Record<string, unknown> } | undefined)?.labels?.app === 'istiod';
}

export function startIstioControlPlane(api: ClusterApi, options: IstioControlPlaneOptions = {}): RunningIstioControlPlane {
  const queue = new WorkQueue(api.clock, options.onError ?? (() => {}));
  const removeInjector = api.admission.addMutating(sidecarInjectorHook(api));
  const removeValidator = api.admission.addValidating(configValidationHook(api));
  const enqueue = (): void => queue.add(GATEWAY_API_KEY, () => reconcileGatewayApi(api));
  const enqueueWebhooks = (): void =>
    queue.add(WEBHOOK_KEY, () => {
      const pods = api.list(api.resource('', 'v1', 'pods'), undefined, { labelSelector: 'app=istiod' }).items;
      enforceValidationFailurePolicy(api, new Set(runningIstiods(pods).map((istiod) => istiod.revision)));
    });
  const enqueueCaRootCerts = (): void => queue.add(CA_ROOT_CERT_KEY, () => publishCaRootCerts(api));
  const unsubscribe = api.onChange((change, type) => {
    const object = change.object as JsonObject;
    if (gatewayApiRelevant(type, object)) enqueue();
    if (istiodRelevant(type.group, type.plural, object)) enqueueWebhooks();
    if (caRootCertRelevant(type.group, type.plural, object)) enqueueCaRootCerts();
  });
  // Catch up on a restored snapshot or objects created before the start.
  enqueue();
  enqueueWebhooks();
  enqueueCaRootCerts();
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
