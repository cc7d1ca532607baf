// The `istio-sidecar-injector` webhook as a mutating admission hook on pod CREATE. Dormant
// until an injector MutatingWebhookConfiguration exists; then the webhooks' own selectors pick
// the pods (decideInjection), the injector's ConfigMap gives image and CNI settings, and a pod
// that must be injected while istiod has no ready endpoint is refused (failurePolicy Fail).
import type { AdmissionHook, AdmissionRequest } from '../../../api-server/admission.ts';
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { StatusError } from '../../../core/status-error.ts';
import { decideInjection } from '../injection/injection-decision.ts';
import { injectSidecar, nativeSidecarDefault, type SidecarOptions } from '../injection/inject-sidecar.ts';
import { serviceEndpointsProblem } from './service-endpoints.ts';
import { workloadOwner } from './workload-owner.ts';

/** Whether a MutatingWebhookConfiguration is an Istio injector (per revision, or a revision tag). */
export function isInjectorConfiguration(configuration: JsonObject): boolean {
  return asArray(configuration.webhooks).some((raw) => (asString(asObject(raw).name) ?? '').endsWith('sidecar-injector.istio.io'));
}

/** hub, tag and CNI from the injector ConfigMap's `values`, as the templates read them. */
function injectorSettings(api: ClusterApi, namespace: string, revision: string): Pick<SidecarOptions, 'hub' | 'tag' | 'cni'> {
  const configMaps = api.registry.find('', 'v1', 'configmaps');
  if (configMaps === undefined) return {};
  const name = revision === 'default' ? 'istio-sidecar-injector' : `istio-sidecar-injector-${revision}`;
  const configMap = api.tryGet(configMaps, namespace, name);
  const raw = asString(asObject(configMap?.data).values);
  if (raw === undefined) return {};
  try {
    const values = asObject(JSON.parse(raw));
    const global = asObject(values.global);
    const settings: Pick<SidecarOptions, 'hub' | 'tag' | 'cni'> = {};
    const hub = asString(global.hub);
    const tag = asString(global.tag) ?? (typeof global.tag === 'number' ? String(global.tag) : undefined);
    if (hub !== undefined) settings.hub = hub;
    if (tag !== undefined) settings.tag = tag;
    if (asObject(asObject(values.pilot).cni).enabled === true) settings.cni = true;
    return settings;
  } catch {
    return {};
  }
}

function kubeletVersions(api: ClusterApi): string[] {
  const nodes = api.registry.find('', 'v1', 'nodes');
  if (nodes === undefined) return [];
  return api.list(nodes, undefined).items.map((node) => asString(asObject(asObject(node.status).nodeInfo).kubeletVersion) ?? '');
}

export function sidecarInjectorHook(api: ClusterApi): AdmissionHook {
  const configurationsType = api.resource('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations');
  const namespacesType = api.resource('', 'v1', 'namespaces');
  return {
    name: 'istio-sidecar-injector',
    admit(request: AdmissionRequest): void {
      if (request.operation !== 'CREATE' || request.subresource !== '' || request.type.group !== '' || request.type.plural !== 'pods') return;
      const pod = request.object;
      if (pod === undefined) return;
      const configurations = api
        .list(configurationsType, undefined)
        .items.filter(isInjectorConfiguration)
        // The API server calls webhook configurations in name order.
        .sort((a, b) => String(asObject(a.metadata).name).localeCompare(String(asObject(b.metadata).name)));
      if (configurations.length === 0) return;
      const namespace = api.tryGet(namespacesType, '', request.namespace);
      if (namespace === undefined) return;
      const decision = decideInjection(pod, {
        namespace,
        webhookConfigurations: configurations,
        serviceReady: (serviceNamespace, serviceName) => serviceEndpointsProblem(api, serviceNamespace, serviceName) === undefined,
      });
      if (decision.action === 'skip') return;
      if (decision.action === 'reject') throw StatusError.internal(decision.message);
      const owner = workloadOwner(pod);
      const injected = injectSidecar(pod, {
        revision: decision.revision,
        workloadName: owner.name,
        ownerKind: { apiVersion: owner.apiVersion, kind: owner.kind },
        nativeSidecar: nativeSidecarDefault(kubeletVersions(api)),
        discoveryService: decision.service.name,
        istioNamespace: decision.service.namespace,
        ...injectorSettings(api, decision.service.namespace, decision.revision),
      });
      // Mutate in place: the API server stores what the hook leaves in request.object.
      for (const key of Object.keys(pod)) delete pod[key];
      Object.assign(pod, injected);
    },
  };
}
