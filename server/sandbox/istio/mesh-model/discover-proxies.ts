// Which pods run an Envoy connected to istiod: injected pods (the shape the injector produces:
// an `istio-proxy` container plus the `sidecar.istio.io/status` annotation) and gateway
// deployments (`istio-proxy` with `proxy router`: istio-ingressgateway/egressgateway and the
// `<gateway>-istio` deployments of Gateway API Gateways). A pod only counts once it is Running
// with an IP: before that no proxy has connected.
import { asArray, asObject, asString, type JsonObject } from '../../core/json-object.ts';
import { ISTIO_RELEASE } from '../control-plane/install/istio-release.ts';
import { metaOf, type MeshSnapshot } from './mesh-snapshot.ts';
import { CLUSTER_DOMAIN, podHasSidecar, podIp } from './service-registry.ts';
import type { ProxyInfo } from './proxy-config.ts';

export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

function proxyContainer(pod: JsonObject): JsonObject | undefined {
  const spec = asObject(pod.spec);
  for (const raw of [...asArray(spec.containers), ...asArray(spec.initContainers)]) {
    const container = asObject(raw);
    if (container.name === 'istio-proxy') return container;
  }
  return undefined;
}

function imageTag(image: string): string {
  const at = image.lastIndexOf(':');
  const slash = image.lastIndexOf('/');
  return at > slash ? image.slice(at + 1) : ISTIO_RELEASE.version;
}

export function spiffeIdentity(namespace: string, serviceAccount: string): string {
  return `spiffe://${CLUSTER_DOMAIN}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The proxy a pod runs, or undefined when it runs none (or is not up yet). */
export function proxyForPod(pod: JsonObject): ProxyInfo | undefined {
  const container = proxyContainer(pod);
  if (container === undefined) return undefined;
  const status = asObject(pod.status);
  if (status.phase !== 'Running' || asObject(pod.metadata).deletionTimestamp !== undefined) return undefined;
  const ip = podIp(pod);
  if (ip === '') return undefined;
  const meta = metaOf(pod);
  const args = asArray(container.args).map(String);
  const router = args[0] === 'proxy' && args[1] === 'router';
  if (!router && !podHasSidecar(pod)) return undefined;
  const serviceAccount = asString(asObject(pod.spec).serviceAccountName) ?? 'default';
  const info: ProxyInfo = {
    id: `${meta.name}.${meta.namespace}`,
    podName: meta.name,
    namespace: meta.namespace,
    type: router ? 'router' : 'sidecar',
    ip,
    labels: meta.labels,
    serviceAccount,
    identity: spiffeIdentity(meta.namespace, serviceAccount),
    istioVersion: imageTag(asString(container.image) ?? ''),
    revision: meta.labels['istio.io/rev'] ?? meta.annotations['istio.io/rev'] ?? 'default',
  };
  if (router) {
    const gatewayName = meta.labels[GATEWAY_NAME_LABEL];
    if (gatewayName !== undefined) {
      info.gatewayKind = 'gateway-api';
      info.gatewayName = gatewayName;
    } else {
      info.gatewayKind = 'istio';
    }
  }
  return info;
}

/** Every connected proxy, sorted by id as `istioctl proxy-status` lists them. */
export function discoverProxies(snapshot: MeshSnapshot): ProxyInfo[] {
  const proxies: ProxyInfo[] = [];
  for (const pod of snapshot.list('Pod')) {
    const proxy = proxyForPod(pod);
    if (proxy !== undefined) proxies.push(proxy);
  }
  return proxies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
