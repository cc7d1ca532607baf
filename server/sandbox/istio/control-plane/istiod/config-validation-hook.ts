// The `validation.istio.io` webhooks as a validating admission hook: for every Istio
// ValidatingWebhookConfiguration whose rules and selectors take the request, istiod's
// validation runs and a finding refuses the write with the API server's denial text
// (`admission webhook "validation.istio.io" denied the request: configuration is invalid: …`),
// so nothing is stored. An unreachable istiod follows the webhook's failurePolicy.
import type { AdmissionHook, AdmissionRequest } from '../../../api-server/admission.ts';
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { configurationInvalidMessage, validateIstioConfig } from '../validation/validate-istio-config.ts';
import { serviceEndpointsProblem } from './service-endpoints.ts';
import { labelsOf, webhookCallFailure, webhookMatches } from './webhook-matching.ts';

/** Whether a ValidatingWebhookConfiguration is one of istiod's (`istio-validator-…`, `istiod-default-validator`). */
export function isIstioValidatorConfiguration(configuration: JsonObject): boolean {
  return asArray(configuration.webhooks).some((raw) => (asString(asObject(raw).name) ?? '').endsWith('validation.istio.io'));
}

/**
 * apiserver webhookerrors.ToStatusErr: a denial without a code becomes 400 with no reason, which
 * kubectl prints as `Error from server: …`.
 */
export function webhookDenied(webhookName: string, message: string): StatusError {
  return new StatusError(400, '', `admission webhook "${webhookName}" denied the request: ${message}`);
}

export function configValidationHook(api: ClusterApi): AdmissionHook {
  const configurationsType = api.resource('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations');
  const namespacesType = api.resource('', 'v1', 'namespaces');
  return {
    name: 'istio-validation',
    admit(request: AdmissionRequest): void {
      if (request.operation === 'DELETE' || request.subresource !== '' || request.object === undefined) return;
      // Every rule istiod registers names an Istio API group; skip the lookups for everything else.
      if (!request.type.group.endsWith('.istio.io')) return;
      const configurations = api
        .list(configurationsType, undefined)
        .items.filter(isIstioValidatorConfiguration)
        .sort((a, b) => String(asObject(a.metadata).name).localeCompare(String(asObject(b.metadata).name)));
      if (configurations.length === 0) return;
      const namespace = request.type.namespaced ? api.tryGet(namespacesType, '', request.namespace) : undefined;
      const matchRequest = {
        operation: request.operation,
        group: request.type.group,
        version: request.type.version,
        resource: request.type.plural,
        namespaced: request.type.namespaced,
        namespaceLabels: labelsOf(namespace),
        objectLabels: labelsOf(request.object),
        ...(request.oldObject === undefined ? {} : { oldObjectLabels: labelsOf(request.oldObject) }),
      };
      for (const configuration of configurations) {
        for (const raw of asArray(configuration.webhooks)) {
          const webhook = asObject(raw);
          if (!webhookMatches(webhook, matchRequest)) continue;
          const service = asObject(asObject(webhook.clientConfig).service);
          const problem = serviceEndpointsProblem(api, asString(service.namespace) ?? '', asString(service.name) ?? '');
          if (problem !== undefined) {
            if (webhook.failurePolicy === 'Ignore') continue;
            throw StatusError.internal(webhookCallFailure(webhook, problem));
          }
          const { errors } = validateIstioConfig(request.object);
          if (errors.length > 0) throw webhookDenied(asString(webhook.name) ?? '', configurationInvalidMessage(errors));
        }
      }
    },
  };
}
