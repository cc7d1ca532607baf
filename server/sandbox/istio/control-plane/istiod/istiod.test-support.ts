// A controller-less API with Istio's install objects applied, where tests decide when istiod
// is ready (a Ready pod plus the EndpointSlice the API server resolves webhooks through).
import { ClusterApi } from '../../../api-server/cluster-api.ts';
import type { ResourceType } from '../../../api-server/resource-type.ts';
import type { JsonObject } from '../../../core/json-object.ts';
import { ManualClock } from '../../../core/manual-clock.ts';
import { createRng } from '../../../core/rng.ts';
import { gatewayApiCrds } from '../crds/gateway-api-crds.ts';
import { resolveInstallConfig } from '../install/install-config.ts';
import { installManifest } from '../install/install-manifest.ts';

export interface IstioTestApi {
  api: ClusterApi;
  clock: ManualClock;
  pods: ResourceType;
  namespaces: ResourceType;
}

export function createTestApi(): IstioTestApi {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const api = new ClusterApi({ clock, rng: createRng('istiod-tests') });
  const namespaces = api.resource('', 'v1', 'namespaces');
  for (const name of ['default', 'istio-system']) api.create(namespaces, '', { metadata: { name } });
  return { api, clock, pods: api.resource('', 'v1', 'pods'), namespaces };
}

export function applyObject(api: ClusterApi, object: JsonObject): JsonObject {
  const type = api.resourceForKind(String(object.apiVersion), String(object.kind));
  if (type === undefined) throw new Error(`no type for ${String(object.apiVersion)} ${String(object.kind)}`);
  const metadata = object.metadata as { namespace?: string } | undefined;
  return api.create(type, type.namespaced ? (metadata?.namespace ?? 'default') : '', object).object;
}

/** What `istioctl install --set …` creates (without its Namespace). */
export function installIstio(api: ClusterApi, set: string[] = ['profile=minimal']): void {
  for (const { object } of installManifest(resolveInstallConfig({ set }))) {
    // A second revision shares what the first one created (CRDs, the reader ServiceAccount).
    const type = api.resourceForKind(String(object.apiVersion), String(object.kind));
    const metadata = object.metadata as { name?: string; namespace?: string };
    if (type !== undefined && api.tryGet(type, metadata.namespace ?? '', metadata.name ?? '') !== undefined) continue;
    applyObject(api, object);
  }
}

export function installGatewayApi(api: ClusterApi): void {
  for (const crd of gatewayApiCrds()) applyObject(api, crd);
}

/** Starts (or stops) a ready istiod pod of a revision behind its Service. */
export function setIstiodReady(api: ClusterApi, ready: boolean, revision = 'default'): void {
  const name = revision === 'default' ? 'istiod' : `istiod-${revision}`;
  const pods = api.resource('', 'v1', 'pods');
  const slices = api.resource('discovery.k8s.io', 'v1', 'endpointslices');
  const podName = `${name}-7dc9684c55-qkp9r`;
  if (api.tryGet(pods, 'istio-system', podName) === undefined) {
    api.create(pods, 'istio-system', {
      metadata: { name: podName, labels: { app: 'istiod', 'istio.io/rev': revision, istio: revision === 'default' ? 'pilot' : 'istiod', 'sidecar.istio.io/inject': 'false' } },
      spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.30.3' }] },
    });
  }
  const pod = api.get(pods, 'istio-system', podName);
  api.update(pods, 'istio-system', podName, { ...pod, status: { phase: 'Running', podIP: '10.244.0.9', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }, {}, 'status');
  const slice = {
    metadata: { name: `${name}-abcde`, labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.244.0.9'], conditions: { ready } }],
    ports: [{ name: 'https-webhook', port: 15017, protocol: 'TCP' }],
  };
  const existing = api.tryGet(slices, 'istio-system', slice.metadata.name);
  if (existing === undefined) api.create(slices, 'istio-system', slice);
  else api.update(slices, 'istio-system', slice.metadata.name, { ...existing, endpoints: slice.endpoints });
}
