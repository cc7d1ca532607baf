import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { asArray, asObject } from '../core/json-object.ts';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { StatusError } from '../core/status-error.ts';
import { startControllers } from './start-controllers.ts';

function cluster(): { api: ClusterApi; clock: ManualClock; stop: () => void } {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rng = createRng('quota');
  const api = new ClusterApi({ clock, rng });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const errors: unknown[] = [];
  const running = startControllers(api, { profile: 'instant', rng, onError: (_key, error) => errors.push(error) });
  return { api, clock, stop: () => { running.stop(); assert.deepEqual(errors, []); } };
}

const pod = (name: string, cpu: string, memory: string): Record<string, unknown> => ({
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] },
});

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof StatusError);
    assert.equal(error.code, 403);
    return error.message;
  }
  assert.fail('expected the API to refuse');
}

describe('resource quotas', () => {
  it('status.used follows the namespace, and creates past hard are refused with the real message', () => {
    const { api, clock, stop } = cluster();
    const quotas = api.resource('', 'v1', 'resourcequotas');
    const pods = api.resource('', 'v1', 'pods');
    api.create(quotas, 'default', { metadata: { name: 'compute' }, spec: { hard: { pods: '2', 'requests.cpu': '1', 'requests.memory': '1Gi', configmaps: '2' } } });
    clock.advance(0);
    assert.deepEqual(api.get(quotas, 'default', 'compute').status, {
      hard: { configmaps: '2', pods: '2', 'requests.cpu': '1', 'requests.memory': '1Gi' },
      // kube-root-ca.crt is a ConfigMap too.
      used: { configmaps: '1', pods: '0', 'requests.cpu': '0', 'requests.memory': '0' },
    });
    api.create(pods, 'default', pod('a', '500m', '256Mi'));
    clock.advance(0);
    assert.deepEqual(asObject(api.get(quotas, 'default', 'compute').status).used, { configmaps: '1', pods: '1', 'requests.cpu': '500m', 'requests.memory': '256Mi' });
    assert.equal(refusal(() => api.create(pods, 'default', pod('b', '600m', '256Mi'))), 'pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1');
    api.create(pods, 'default', pod('c', '500m', '256Mi'));
    assert.equal(refusal(() => api.create(pods, 'default', pod('d', '100m', '900Mi'))), 'pods "d" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=100m,requests.memory=900Mi, used: pods=2,requests.cpu=1,requests.memory=512Mi, limited: pods=2,requests.cpu=1,requests.memory=1Gi');
    assert.equal(refusal(() => api.create(pods, 'default', { metadata: { name: 'e' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } })), 'pods "e" is forbidden: failed quota: compute: must specify requests.cpu for: app; requests.memory for: app');
    const configMaps = api.resource('', 'v1', 'configmaps');
    api.create(configMaps, 'default', { metadata: { name: 'one' } });
    assert.equal(refusal(() => api.create(configMaps, 'default', { metadata: { name: 'two' } })), 'configmaps "two" is forbidden: exceeded quota: compute, requested: configmaps=1, used: configmaps=2, limited: configmaps=2');
    api.delete(pods, 'default', 'a', { gracePeriodSeconds: 0 });
    clock.advance(0);
    assert.deepEqual(asObject(api.get(quotas, 'default', 'compute').status).used, { configmaps: '2', pods: '1', 'requests.cpu': '500m', 'requests.memory': '256Mi' });
    stop();
  });

  it('a ReplicaSet that cannot create pods reports FailedCreate', () => {
    const { api, clock, stop } = cluster();
    api.create(api.resource('', 'v1', 'resourcequotas'), 'default', { metadata: { name: 'two-pods' }, spec: { hard: { pods: '2' } } });
    api.create(api.resource('apps', 'v1', 'deployments'), 'default', {
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    });
    clock.advance(0);
    assert.equal(api.list(api.resource('', 'v1', 'pods'), 'default').items.length, 2);
    const rs = api.list(api.resource('apps', 'v1', 'replicasets'), 'default').items[0] ?? {};
    const failure = asArray(asObject(rs.status).conditions).map(asObject).find((c) => c.type === 'ReplicaFailure');
    assert.equal(failure?.reason, 'FailedCreate');
    assert.match(String(failure?.message), /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: two-pods, requested: pods=1, used: pods=2, limited: pods=2$/);
    const event = api.list(api.resource('', 'v1', 'events'), 'default').items.find((e) => e.reason === 'FailedCreate');
    assert.match(String(event?.message), /^Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: two-pods/);
    const deploymentFailure = asArray(asObject(api.get(api.resource('apps', 'v1', 'deployments'), 'default', 'web').status).conditions).map(asObject).find((c) => c.type === 'ReplicaFailure');
    assert.deepEqual([deploymentFailure?.status, deploymentFailure?.reason, deploymentFailure?.message], ['True', 'FailedCreate', failure?.message]);
    stop();
  });

  it('object counts by count/<resource>.<group> and service types', () => {
    const { api, clock, stop } = cluster();
    const quotas = api.resource('', 'v1', 'resourcequotas');
    api.create(quotas, 'default', { metadata: { name: 'objects' }, spec: { hard: { 'count/deployments.apps': '1', 'services.loadbalancers': '0' } } });
    const deployments = api.resource('apps', 'v1', 'deployments');
    const body = (name: string): Record<string, unknown> => ({ metadata: { name }, spec: { replicas: 0, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    api.create(deployments, 'default', body('one'));
    assert.equal(refusal(() => api.create(deployments, 'default', body('two'))), 'deployments.apps "two" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
    const services = api.resource('', 'v1', 'services');
    api.create(services, 'default', { metadata: { name: 'inside' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(refusal(() => api.create(services, 'default', { metadata: { name: 'outside' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } })), 'services "outside" is forbidden: exceeded quota: objects, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0');
    clock.advance(0);
    assert.deepEqual(asObject(api.get(quotas, 'default', 'objects').status).used, { 'count/deployments.apps': '1', 'services.loadbalancers': '0' });
    stop();
  });
});
