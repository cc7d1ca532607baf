import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPodLogSource } from './pod-log-source.ts';

describe('createPodLogSource', () => {
  it("gives istio-proxy the pod's access log lines and app containers nothing", () => {
    const asked: string[] = [];
    const source = createPodLogSource({
      proxyLogs(namespace, pod) {
        asked.push(`${namespace}/${pod}`);
        return ['[2026-01-01T00:00:00.000Z] "GET /productpage HTTP/1.1" 200 - via_upstream - "-" 0 5289 12 11 …'];
      },
    });
    const pod = { metadata: { name: 'productpage-v1-6c4b9f-x2k4j', namespace: 'default' } };
    assert.equal(source.lines(pod, 'istio-proxy').length, 1);
    assert.deepEqual(source.lines(pod, 'productpage'), []);
    assert.deepEqual(asked, ['default/productpage-v1-6c4b9f-x2k4j']);
  });
});
