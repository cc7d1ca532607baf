// Test support: cluster snapshots built from the real Istio sample manifests, with the fields a
// cluster would fill in (namespaces, ClusterIPs, one Running pod per Deployment replica with an
// IP, injection when the namespace asks for it, the demo ingress gateway).
import { readFileSync } from 'node:fs';
import { istioSamplePath } from '../../../../tests/support/istio-samples.ts';
import { parseAllDocuments } from 'yaml';
import { asArray, asObject, asString, deepClone, type JsonObject } from '../../core/json-object.ts';
import { injectSidecar } from '../control-plane/injection/inject-sidecar.ts';

export const SAMPLES = istioSamplePath('samples');

export function loadSample(path: string, namespace = 'default'): JsonObject[] {
  const text = readFileSync(`${SAMPLES}/${path}`, 'utf8');
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter((v): v is JsonObject => typeof v === 'object' && v !== null)
    .map((object) => {
      const metadata = asObject(object.metadata);
      object.metadata = metadata;
      if (object.kind !== 'Namespace' && metadata.namespace === undefined) metadata.namespace = namespace;
      return object;
    });
}

export function namespace(name: string, labels: Record<string, string> = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } };
}

export interface ClusterBuilder {
  add(...objects: JsonObject[]): ClusterBuilder;
  /** The snapshot: Services get ClusterIPs, Deployments become Running pods. */
  objects(): JsonObject[];
}

/**
 * Builds a snapshot. Pods are injected when their namespace has `istio-injection=enabled`
 * (and the pod does not opt out), as the webhook would at creation time.
 */
export function clusterBuilder(): ClusterBuilder {
  const objects: JsonObject[] = [];
  let seq = 0;
  const builder: ClusterBuilder = {
    add(...more) {
      for (const o of more) objects.push(deepClone(o));
      return builder;
    },
    objects() {
      const out: JsonObject[] = [];
      const namespaces = new Map<string, JsonObject>();
      for (const o of objects) if (o.kind === 'Namespace') namespaces.set(String(asObject(o.metadata).name), o);
      let ipSeq = 10;
      let svcSeq = 10;
      for (const o of objects) {
        const object = deepClone(o);
        const meta = asObject(object.metadata);
        meta.creationTimestamp ??= `2025-01-01T00:00:${String(seq++).padStart(2, '0')}Z`;
        if (object.kind === 'Service') {
          const spec = asObject(object.spec);
          spec.clusterIP ??= `10.96.0.${svcSeq++}`;
          for (const p of asArray(spec.ports)) {
            const port = asObject(p);
            port.targetPort ??= port.port;
            port.protocol ??= 'TCP';
          }
        }
        out.push(object);
        if (object.kind !== 'Deployment') continue;
        const ns = String(meta.namespace);
        const template = asObject(asObject(object.spec).template);
        const replicas = Number(asObject(object.spec).replicas ?? 1);
        for (let r = 0; r < replicas; r++) {
          const podName = `${String(meta.name)}-5d8f7c9b4-${String.fromCharCode(97 + r)}${ipSeq}`;
          let pod: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { ...deepClone(asObject(template.metadata)), name: podName, namespace: ns }, spec: deepClone(asObject(template.spec)) };
          const nsLabels = asObject(asObject(namespaces.get(ns)?.metadata).labels);
          const podLabels = asObject(asObject(pod.metadata).labels);
          const optOut = asString(podLabels['sidecar.istio.io/inject']) === 'false';
          if (nsLabels['istio-injection'] === 'enabled' && !optOut) pod = injectSidecar(pod, { revision: 'default', workloadName: String(meta.name) });
          const podMeta = asObject(pod.metadata);
          podMeta.creationTimestamp = meta.creationTimestamp;
          asObject(pod.spec).serviceAccountName ??= 'default';
          pod.status = { phase: 'Running', podIP: `10.244.0.${ipSeq++}`, conditions: [{ type: 'Ready', status: 'True' }] };
          out.push(pod);
        }
      }
      return out;
    },
  };
  return builder;
}

/** The demo profile's ingress gateway: Service (80→8080, 443→8443) and one Running pod. */
export function ingressGateway(): JsonObject[] {
  return [
    namespace('istio-system'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system', labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
      spec: {
        type: 'LoadBalancer',
        selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
        ports: [
          { name: 'status-port', port: 15021, targetPort: 15021 },
          { name: 'http2', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
      spec: {
        template: {
          metadata: { labels: { app: 'istio-ingressgateway', istio: 'ingressgateway', 'sidecar.istio.io/inject': 'false' } },
          spec: {
            serviceAccountName: 'istio-ingressgateway-service-account',
            containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', args: ['proxy', 'router'], ports: [{ containerPort: 8080 }, { containerPort: 8443 }, { containerPort: 15021 }] }],
          },
        },
      },
    },
  ];
}

/** What the Gateway API deployment controller creates for a Gateway of class istio. */
export function kubeGatewayDeployment(name: string, ns: string, ports: number[]): JsonObject[] {
  const labels = { 'gateway.networking.k8s.io/gateway-name': name, 'sidecar.istio.io/inject': 'false' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${name}-istio`, namespace: ns },
      spec: { type: 'ClusterIP', selector: { 'gateway.networking.k8s.io/gateway-name': name }, ports: [{ name: 'status-port', port: 15021, appProtocol: 'tcp' }, ...ports.map((p) => ({ name: `http`, port: p, appProtocol: 'http' }))] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${name}-istio`, namespace: ns },
      spec: { template: { metadata: { labels }, spec: { serviceAccountName: `${name}-istio`, containers: [{ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', args: ['proxy', 'router'] }] } } },
    },
  ];
}

/** Bookinfo in `default`, injected or not, with the demo ingress gateway. */
export function bookinfo(options: { injected?: boolean; extra?: string[] } = {}): ClusterBuilder {
  const builder = clusterBuilder()
    .add(namespace('default', options.injected === false ? {} : { 'istio-injection': 'enabled' }))
    .add(...ingressGateway())
    .add(...loadSample('bookinfo/platform/kube/bookinfo.yaml'));
  for (const path of options.extra ?? []) builder.add(...loadSample(path));
  return builder;
}
