// Whether the sidecar injector mutates a pod at CREATE: first the API server's webhook selection
// (the MutatingWebhookConfigurations' namespace/object selectors, §2.2), then istiod's own
// injectRequired (pkg/kube/inject/inject.go): hostNetwork, ignored namespaces, the
// `sidecar.istio.io/inject` label or annotation and the injection policy.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { labelSelectorMatches } from './label-selector-match.ts';

/** pkg/kube/inject/initializer.go IgnoredNamespaces. */
export const IGNORED_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);

export interface InjectionContext {
  /** The pod's Namespace object (its labels drive the namespaceSelector). */
  namespace: JsonObject;
  /** The installed `istio-sidecar-injector*` MutatingWebhookConfigurations. */
  webhookConfigurations: readonly JsonObject[];
  /** Whether the webhook's backing service (e.g. `istiod` in `istio-system`) has a ready endpoint. */
  serviceReady(serviceNamespace: string, serviceName: string): boolean;
}

export type InjectionDecision =
  | { action: 'skip'; reason: string }
  | { action: 'inject'; webhook: string; revision: string; service: { namespace: string; name: string } }
  /** failurePolicy Fail with the injector unreachable: the API server refuses the pod. */
  | { action: 'reject'; webhook: string; message: string };

function labelsOf(object: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(asObject(object.metadata).labels))) out[key] = String(value);
  return out;
}

const TRUE_VALUES = new Set(['y', 'yes', 'true', 'on']);
const FALSE_VALUES = new Set(['n', 'no', 'false', 'off']);

/** istiod's injectRequired for a pod the webhook was called for. */
export function injectRequired(pod: JsonObject, namespaceName: string): { inject: boolean; reason: string } {
  if (asObject(pod.spec).hostNetwork === true) return { inject: false, reason: 'pod uses hostNetwork' };
  if (IGNORED_NAMESPACES.has(namespaceName)) return { inject: false, reason: `namespace ${namespaceName} is ignored` };
  const metadata = asObject(pod.metadata);
  // A pod that already carries a sidecar (e.g. from `istioctl kube-inject`) keeps the one it has.
  if (asObject(metadata.annotations)['sidecar.istio.io/status'] !== undefined) return { inject: false, reason: 'pod is already injected' };
  // The label wins over the annotation when both are set.
  const label = asString(asObject(metadata.labels)['sidecar.istio.io/inject']);
  const annotation = asString(asObject(metadata.annotations)['sidecar.istio.io/inject']);
  const value = (label ?? annotation ?? '').toLowerCase();
  if (TRUE_VALUES.has(value)) return { inject: true, reason: 'sidecar.istio.io/inject is true' };
  // Upstream only falls back to the policy for an empty value: `false`, `no`, or any other
  // spelling turns injection off.
  if (value !== '') return { inject: false, reason: `sidecar.istio.io/inject is ${FALSE_VALUES.has(value) ? 'false' : `"${value}"`}` };
  // Policy `enabled`: a pod the webhook selected is injected unless it opted out. (Whether
  // unlabelled namespaces are selected at all is decided by the webhook selectors at install.)
  return { inject: true, reason: 'namespace or pod selected by the injection webhook' };
}

/** Decides what happens to a pod being created. */
export function decideInjection(pod: JsonObject, context: InjectionContext): InjectionDecision {
  const namespaceLabels = labelsOf(context.namespace);
  const namespaceName = asString(asObject(context.namespace.metadata).name) ?? '';
  const podLabels = labelsOf(pod);
  for (const configuration of context.webhookConfigurations) {
    for (const raw of asArray(configuration.webhooks)) {
      const webhook = asObject(raw);
      const operations = asArray(webhook.rules).flatMap((rule) => asArray(asObject(rule).operations));
      if (!operations.includes('CREATE') && !operations.includes('*')) continue;
      if (!labelSelectorMatches(webhook.namespaceSelector, namespaceLabels)) continue;
      if (!labelSelectorMatches(webhook.objectSelector, podLabels)) continue;
      const name = asString(webhook.name) ?? '';
      const service = asObject(asObject(webhook.clientConfig).service);
      const serviceName = asString(service.name) ?? '';
      const serviceNamespace = asString(service.namespace) ?? '';
      if (!context.serviceReady(serviceNamespace, serviceName)) {
        if (webhook.failurePolicy === 'Ignore') continue;
        const port = Number(service.port ?? 443);
        const path = asString(service.path) ?? '';
        const timeout = Number(webhook.timeoutSeconds ?? 10);
        return {
          action: 'reject',
          webhook: name,
          message: `failed calling webhook "${name}": failed to call webhook: Post "https://${serviceName}.${serviceNamespace}.svc:${port}${path}?timeout=${timeout}s": no endpoints available for service "${serviceName}"`,
        };
      }
      const required = injectRequired(pod, namespaceName);
      if (!required.inject) return { action: 'skip', reason: required.reason };
      const revision = asString(asObject(asObject(configuration.metadata).labels)['istio.io/rev']) ?? 'default';
      return { action: 'inject', webhook: name, revision, service: { namespace: serviceNamespace, name: serviceName } };
    }
  }
  return { action: 'skip', reason: 'no injection webhook selects this pod' };
}
