import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asArray, asObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { ClusterApi } from './cluster-api.ts';

test('a LimitRange fills in the resources a container leaves out, so a compute quota admits the pod', () => {
  const api = new ClusterApi({ clock: new ManualClock(Date.UTC(2026, 0, 1)), rng: createRng('limits') });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'team' } });
  api.create(api.resource('', 'v1', 'resourcequotas'), 'team', { metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '2', 'requests.memory': '1Gi' } } });
  api.create(api.resource('', 'v1', 'limitranges'), 'team', {
    metadata: { name: 'defaults' },
    spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '50m', memory: '64Mi' } }] },
  });
  const pods = api.resource('', 'v1', 'pods');
  const created = api.create(pods, 'team', {
    metadata: { name: 'web' },
    spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: '1' } } }, { name: 'bare', image: 'nginx' }] },
  });
  const resources = asArray(asObject(created.object.spec).containers).map((container) => asObject(container).resources);
  assert.deepEqual(resources, [
    { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
    { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
  ]);
  // Without a LimitRange the quota still wants every container to say what it requests.
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'bare' } });
  api.create(api.resource('', 'v1', 'resourcequotas'), 'bare', { metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '2' } } });
  assert.throws(() => api.create(pods, 'bare', { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx' }] } }), /must specify requests.cpu for: web/);
});
