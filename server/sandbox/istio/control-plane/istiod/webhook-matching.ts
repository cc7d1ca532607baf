// Which admission webhooks the API server calls for a request: the `rules` (operation, group,
// version, resource, scope) and the namespace/object selectors of an admissionregistration/v1
// webhook, evaluated as k8s.io/apiserver's webhook dispatcher does.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { labelSelectorMatches } from '../injection/label-selector-match.ts';

export interface WebhookRequest {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  group: string;
  version: string;
  /** Plural resource name, e.g. `pods`, `virtualservices`. */
  resource: string;
  namespaced: boolean;
  /** Labels of the request's namespace (ignored for cluster-scoped resources). */
  namespaceLabels: Readonly<Record<string, string>>;
  /** Labels of the new object, and of the old one on UPDATE. */
  objectLabels: Readonly<Record<string, string>>;
  oldObjectLabels?: Readonly<Record<string, string>>;
}

const listMatches = (values: unknown, wanted: string): boolean => asArray(values).some((value) => value === '*' || value === wanted);

function ruleMatches(rule: JsonObject, request: WebhookRequest): boolean {
  if (!listMatches(rule.operations, request.operation)) return false;
  if (!listMatches(rule.apiGroups, request.group)) return false;
  if (!listMatches(rule.apiVersions, request.version)) return false;
  if (!asArray(rule.resources).some((resource) => resource === '*' || resource === '*/*' || resource === request.resource)) return false;
  const scope = asString(rule.scope) ?? '*';
  if (scope === 'Namespaced' && !request.namespaced) return false;
  if (scope === 'Cluster' && request.namespaced) return false;
  return true;
}

/** Labels of an object's metadata as strings. */
export function labelsOf(object: JsonObject | Readonly<JsonObject> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(asObject(object?.metadata).labels))) out[key] = String(value);
  return out;
}

/** Whether the API server would call this webhook for the request. */
export function webhookMatches(webhook: JsonObject, request: WebhookRequest): boolean {
  if (!asArray(webhook.rules).some((rule) => ruleMatches(asObject(rule), request))) return false;
  // namespaceSelector applies to namespaced objects (and Namespaces themselves) only.
  if (request.namespaced && !labelSelectorMatches(webhook.namespaceSelector, request.namespaceLabels)) return false;
  const objectMatches = labelSelectorMatches(webhook.objectSelector, request.objectLabels);
  const oldMatches = request.oldObjectLabels !== undefined && labelSelectorMatches(webhook.objectSelector, request.oldObjectLabels);
  return objectMatches || oldMatches;
}

/**
 * The error the API server reports when it cannot reach a webhook's service
 * (`failed calling webhook "…": failed to call webhook: Post "https://…": …`).
 */
export function webhookCallFailure(webhook: JsonObject, cause: string): string {
  const name = asString(webhook.name) ?? '';
  const service = asObject(asObject(webhook.clientConfig).service);
  const serviceName = asString(service.name) ?? '';
  const serviceNamespace = asString(service.namespace) ?? '';
  const port = Number(service.port ?? 443);
  const path = asString(service.path) ?? '';
  const timeout = Number(webhook.timeoutSeconds ?? 10);
  return `failed calling webhook "${name}": failed to call webhook: Post "https://${serviceName}.${serviceNamespace}.svc:${port}${path}?timeout=${timeout}s": ${cause}`;
}
