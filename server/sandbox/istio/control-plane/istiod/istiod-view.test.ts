import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../core/json-object.ts';
import { injectSidecar } from '../injection/inject-sidecar.ts';
import { istiodView } from './istiod-view.ts';

const ready = { phase: 'Running', podIP: '', conditions: [{ type: 'Ready', status: 'True' }] };
const istiod = (name: string, revision: string, created: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'istio-system', creationTimestamp: created, labels: { app: 'istiod', 'istio.io/rev': revision } },
  spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.30.3' }] },
  status: { ...ready, podIP: '10.244.0.2' },
});
const app = (name: string, ip: string, revision: string): JsonObject => ({
  ...injectSidecar({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } }, spec: { containers: [{ name, image: 'nginx' }] } }, { revision }),
  status: { ...ready, podIP: ip },
});
const objects = (...pods: JsonObject[]): JsonObject[] => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }, ...pods];

describe('istiodView', () => {
  it('connects each proxy to the istiod of its revision, fully synced', () => {
    const view = istiodView(objects(istiod('istiod-7dc9684c55-qkp9r', 'default', '2026-01-01T00:00:00Z'), app('web', '10.244.1.5', 'default'), app('api', '10.244.1.6', 'canary')));
    assert.deepEqual(view.istiods.map((i) => `${i.pod} ${i.revision} ${i.hub} ${i.tag}`), ['istiod-7dc9684c55-qkp9r default docker.io/istio 1.30.3']);
    // The canary proxy has no istiod of its revision: it is not connected.
    assert.deepEqual(view.proxies.map((p) => `${p.config.proxy.id} ${p.istiod.pod} ${p.subscribed.join(',')}`), ['web.default istiod-7dc9684c55-qkp9r CDS,LDS,EDS,RDS']);
    assert.deepEqual(view.proxies[0]?.sync, { CDS: 'SYNCED', ECDS: 'NOT SENT', EDS: 'SYNCED', LDS: 'SYNCED', RDS: 'SYNCED' });
  });

  it('lists no proxies without a ready istiod, and STALE types a proxy has not acknowledged', () => {
    const pods = [app('web', '10.244.1.5', 'default')];
    assert.deepEqual(istiodView(objects(...pods)).proxies, []);
    const view = istiodView(objects(istiod('istiod-a', 'default', '2026-01-01T00:00:00Z'), ...pods), { acked: new Map([['web.default', { CDS: 'old' }]]) });
    assert.equal(view.proxies[0]?.sync.CDS, 'STALE');
    assert.equal(view.proxies[0]?.sync.LDS, 'SYNCED');
  });
});
