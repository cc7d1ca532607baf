// Whether the API server can reach a webhook's backing Service: it resolves the Service to a
// ready endpoint (as the EndpointSlice controller publishes them) and reports what is missing.
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import { asArray, asObject } from '../../../core/json-object.ts';

/** Undefined when the Service has a ready endpoint, else the API server's reason it has none. */
export function serviceEndpointsProblem(api: ClusterApi, namespace: string, name: string): string | undefined {
  const services = api.registry.find('', 'v1', 'services');
  const slices = api.registry.find('discovery.k8s.io', 'v1', 'endpointslices');
  if (services === undefined || api.tryGet(services, namespace, name) === undefined) return `service "${name}" not found`;
  if (slices === undefined) return `no endpoints available for service "${name}"`;
  const published = api.list(slices, namespace, { labelSelector: `kubernetes.io/service-name=${name}` }).items;
  const ready = published.some((slice) =>
    asArray(slice.endpoints).some((endpoint) => asObject(asObject(endpoint).conditions).ready !== false && asArray(asObject(endpoint).addresses).length > 0),
  );
  return ready ? undefined : `no endpoints available for service "${name}"`;
}
