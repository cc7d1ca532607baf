// istiod's validation webhook controller (pkg/webhooks/validation/controller): the install
// writes `failurePolicy: Ignore` so a cluster without a running istiod can still take config;
// once istiod of a revision serves, it switches that revision's validators to `Fail`, and from
// then on Istio config cannot be written while istiod is down.
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { isIstioValidatorConfiguration } from './config-validation-hook.ts';

/** The configuration with every webhook failing closed, or undefined when it already does. */
export function failClosed(configuration: JsonObject): JsonObject | undefined {
  const webhooks = asArray(configuration.webhooks).map(asObject);
  if (webhooks.every((webhook) => webhook.failurePolicy === 'Fail')) return undefined;
  return { ...configuration, webhooks: webhooks.map((webhook) => ({ ...webhook, failurePolicy: 'Fail' })) };
}

export function enforceValidationFailurePolicy(api: ClusterApi, servingRevisions: ReadonlySet<string>): void {
  const type = api.registry.find('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations');
  if (type === undefined) return;
  for (const configuration of api.list(type, undefined).items) {
    if (!isIstioValidatorConfiguration(configuration)) continue;
    const revision = asString(asObject(asObject(configuration.metadata).labels)['istio.io/rev']) ?? 'default';
    if (!servingRevisions.has(revision)) continue;
    const updated = failClosed(configuration);
    if (updated === undefined) continue;
    try {
      api.update(type, '', asString(asObject(configuration.metadata).name) ?? '', updated, { fieldManager: 'pilot-discovery', user: 'system:serviceaccount:istio-system:istiod' });
    } catch (error) {
      // Changed meanwhile: that change queues another pass.
      if (!(error instanceof StatusError && (error.code === 404 || error.code === 409))) throw error;
    }
  }
}
