import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../core/json-object.ts';
import { attachRequestFor } from './pod-attach.ts';

function pod(containers: JsonObject[], phase = 'Running'): JsonObject {
  return {
    metadata: { name: 'web', namespace: 'shop' },
    spec: { nodeName: 'node-1', containers },
    status: { phase, containerStatuses: containers.map((c) => ({ name: c.name, state: { running: {} } })) },
  };
}

describe('attachRequestFor', () => {
  it("names the container's own process and the requested streams", () => {
    const request = attachRequestFor(pod([{ name: 'app', command: ['sh', '-c'], args: ['read x'] }]), new URLSearchParams('stdin=true&stdout=true&tty=1'));
    assert.deepEqual({ ...request, pod: undefined }, { namespace: 'shop', pod: undefined, container: 'app', command: ['sh', '-c', 'read x'], stdin: true, tty: true });
  });

  it('refuses what the API server and kubelet refuse', () => {
    const two = pod([{ name: 'app' }, { name: 'istio-proxy' }]);
    assert.throws(() => attachRequestFor(two, new URLSearchParams()), /a container name must be specified for pod web, choose one of: \[app istio-proxy\]/);
    assert.throws(() => attachRequestFor(two, new URLSearchParams('container=nope')), /container nope is not valid for pod web/);
    assert.throws(() => attachRequestFor(pod([{ name: 'app' }], 'Succeeded'), new URLSearchParams()), /cannot attach a container in a completed pod; current phase is Succeeded/);
    const waiting = pod([{ name: 'app' }]);
    (waiting.status as { containerStatuses: unknown[] }).containerStatuses = [{ name: 'app', state: { waiting: {} } }];
    assert.throws(() => attachRequestFor(waiting, new URLSearchParams()), /container not found \("app"\)/);
  });
});
