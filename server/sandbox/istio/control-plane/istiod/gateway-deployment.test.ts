import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject, readPath, type JsonObject } from '../../../core/json-object.ts';
import { gatewayDeploymentObjects, gatewayServicePorts } from './gateway-deployment.ts';

const gateway = (annotations: Record<string, string> = {}): JsonObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway', namespace: 'default', uid: 'g-1', annotations },
  spec: {
    gatewayClassName: 'istio',
    listeners: [
      { name: 'http', port: 80, protocol: 'HTTP' },
      { name: 'HTTPS_Main', port: 443, protocol: 'HTTPS' },
      { name: 'http-again', port: 80, protocol: 'HTTP', hostname: 'other.example' },
    ],
  },
});

const settings = { hub: 'docker.io/istio', tag: '1.30.3', revision: 'default', istioNamespace: 'istio-system', istiodService: 'istiod' };

describe('gatewayDeploymentObjects', () => {
  it('creates <gateway>-istio ServiceAccount, Deployment and Service owned by the Gateway', () => {
    const objects = gatewayDeploymentObjects(gateway(), settings);
    assert.deepEqual(objects.map((o) => `${String(o.kind)}/${String(asObject(o.metadata).name)}`), ['ServiceAccount/bookinfo-gateway-istio', 'Deployment/bookinfo-gateway-istio', 'Service/bookinfo-gateway-istio']);
    for (const object of objects) {
      assert.deepEqual(readPath(object, ['metadata', 'ownerReferences']), [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'bookinfo-gateway', uid: 'g-1' }]);
      assert.equal(readPath(object, ['metadata', 'labels', 'gateway.networking.k8s.io/gateway-name']), 'bookinfo-gateway');
    }
    const [, deployment, service] = objects as [JsonObject, JsonObject, JsonObject];
    const template = asObject(readPath(deployment, ['spec', 'template']));
    assert.equal(readPath(template, ['metadata', 'labels', 'sidecar.istio.io/inject']), 'false');
    const containers = asArray(readPath(template, ['spec', 'containers'])).map(asObject);
    assert.deepEqual(containers.map((c) => c.name), ['istio-proxy']);
    assert.equal(containers[0]?.image, 'docker.io/istio/proxyv2:1.30.3');
    assert.deepEqual(asArray(containers[0]?.args).slice(0, 2), ['proxy', 'router']);
    assert.deepEqual(asArray(containers[0]?.ports).map((p) => `${String(asObject(p).name)}:${String(asObject(p).containerPort)}`), ['metrics:15020', 'status-port:15021', 'http-envoy-prom:15090']);
    assert.equal(readPath(service, ['spec', 'type']), 'LoadBalancer');
    assert.deepEqual(readPath(service, ['spec', 'selector']), { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' });
  });

  it('takes the Service type from the networking.istio.io/service-type annotation', () => {
    const service = gatewayDeploymentObjects(gateway({ 'networking.istio.io/service-type': 'ClusterIP' }), settings)[2] as JsonObject;
    assert.equal(readPath(service, ['spec', 'type']), 'ClusterIP');
  });

  it('opens status-port and one port per distinct listener port, named after the listener', () => {
    assert.deepEqual(gatewayServicePorts(gateway()), [
      { name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp' },
      { name: 'http', port: 80, protocol: 'TCP', appProtocol: 'http' },
      { name: 'https-main', port: 443, protocol: 'TCP', appProtocol: 'https' },
    ]);
  });
});
