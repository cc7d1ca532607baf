import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asArray, asObject, readPath } from '../../../core/json-object.ts';
import { applyObject, createTestApi, installGatewayApi, installIstio, setIstiodReady } from './istiod.test-support.ts';
import { startIstioControlPlane } from './start-istio-control-plane.ts';

describe('startIstioControlPlane', () => {
  it('runs the Gateway API controller and the webhook policy on the change feed, and stops cleanly', () => {
    const { api, clock, pods, namespaces } = createTestApi();
    const errors: unknown[] = [];
    const hookNames = (): string[] => [...api.admission.mutating, ...api.admission.validating].map((hook) => hook.name);
    const before = hookNames();
    const running = startIstioControlPlane(api, { onError: (_key, error) => errors.push(error) });
    assert.deepEqual(hookNames().filter((name) => !before.includes(name)).sort(), ['istio-sidecar-injector', 'istio-validation']);
    installIstio(api);
    installGatewayApi(api);
    setIstiodReady(api, true);
    clock.advance(0);
    const classes = api.resource('gateway.networking.k8s.io', 'v1', 'gatewayclasses');
    assert.ok(api.tryGet(classes, '', 'istio'));
    const validators = api.resource('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations');
    assert.equal(readPath(api.get(validators, '', 'istiod-default-validator'), ['webhooks', '0', 'failurePolicy']), 'Fail');
    applyObject(api, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'default' }, spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } });
    clock.advance(0);
    assert.ok(api.tryGet(api.resource('apps', 'v1', 'deployments'), 'default', 'web-istio'));
    // Its own writes settle: nothing stays queued.
    clock.advance(0);
    assert.equal(running.queue.size, 0);
    assert.deepEqual(errors, []);

    running.stop();
    assert.deepEqual(hookNames(), before);
    api.patch(namespaces, '', 'default', 'merge', JSON.stringify({ metadata: { labels: { 'istio-injection': 'enabled' } } }));
    const pod = api.create(pods, 'default', { metadata: { name: 'plain' }, spec: { containers: [{ name: 'plain', image: 'nginx' }] } }).object;
    assert.deepEqual(asArray(asObject(pod.spec).containers).map((c) => asObject(c).name), ['plain']);
  });
});
