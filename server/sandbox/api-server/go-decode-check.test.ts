import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/manual-clock.ts';
import { createRng } from '../core/rng.ts';
import { StatusError } from '../core/status-error.ts';
import { builtinDefinitions } from './builtin-schemas.ts';
import { ClusterApi } from './cluster-api.ts';
import { goDecodeError } from './go-decode-check.ts';

const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

function deployment(patch: { labels?: unknown; replicas?: unknown; containerPort?: unknown; annotations?: unknown; strategy?: unknown }): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...(patch.annotations === undefined ? {} : { annotations: patch.annotations }) },
    spec: {
      ...(patch.replicas === undefined ? {} : { replicas: patch.replicas }),
      selector: { matchLabels: { app: 'web' } },
      ...(patch.strategy === undefined ? {} : { strategy: patch.strategy }),
      template: {
        metadata: { labels: { app: 'web', ...(patch.labels === undefined ? {} : { 'sidecar.istio.io/inject': patch.labels }) } },
        spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: patch.containerPort ?? 80 }] }] },
      },
    },
  };
}

const check = (object: unknown): string | undefined => {
  const root = builtinDefinitions[DEPLOYMENT];
  assert.ok(root);
  return goDecodeError(root, DEPLOYMENT, 'v1.Deployment', object, builtinDefinitions);
};

describe('goDecodeError', () => {
  it('accepts a well-typed Deployment', () => {
    assert.equal(check(deployment({ replicas: 3, labels: 'false', annotations: { a: 'b' } })), undefined);
  });

  it('words the errors as Go\'s decoder: innermost struct, field path without keys or indices, Go type', () => {
    assert.equal(check(deployment({ labels: false })), 'json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.labels of type string');
    assert.equal(check(deployment({ replicas: '3' })), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
    assert.equal(check(deployment({ containerPort: '80' })), 'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32');
    assert.equal(check(deployment({ annotations: { retries: 3 } })), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string');
    assert.equal(check(deployment({ annotations: 'x' })), 'json: cannot unmarshal string into Go struct field ObjectMeta.metadata.annotations of type map[string]string');
    assert.equal(check(deployment({ replicas: 1.5 })), 'json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32');
    assert.equal(check(deployment({ replicas: 2 ** 31 })), 'json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32');
    assert.equal(check(deployment({ strategy: { type: 1 } })), 'json: cannot unmarshal number into Go struct field DeploymentStrategy.spec.strategy.type of type v1.DeploymentStrategyType');
    assert.equal(check(deployment({ strategy: { rollingUpdate: { maxSurge: '25%' }, type: 'RollingUpdate' } })), undefined);
    assert.equal(check({ ...deployment({}), spec: 'x' }), 'json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec');
    assert.equal(check({ ...deployment({}), spec: { ...(deployment({}).spec as object), template: { spec: { containers: {} } } } }), 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container');
  });

  it('reports the first problem in document order, as Go keeps only the first', () => {
    const both = deployment({ replicas: '3', labels: true });
    assert.match(check(both) ?? '', /DeploymentSpec\.spec\.replicas/);
  });

  it('skips nulls and the parts the schemas leave open', () => {
    assert.equal(check({ ...deployment({}), status: { replicas: 'many' } }), undefined);
    assert.equal(check(deployment({ labels: null })), undefined);
  });
});

describe('the API server refuses wrongly typed built-in objects', () => {
  const api = new ClusterApi({ clock: new ManualClock(Date.UTC(2026, 0, 1)), rng: createRng('go-decode') });
  api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'default' } });
  const deployments = api.resource('apps', 'v1', 'deployments');

  it('answers 400 BadRequest with the decoding error and stores nothing', () => {
    assert.throws(
      () => api.create(deployments, 'default', deployment({ labels: false })),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === 400 &&
        error.reason === 'BadRequest' &&
        error.message === 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.labels of type string',
    );
    assert.equal(api.tryGet(deployments, 'default', 'web'), undefined);
  });

  it('checks core kinds, metadata of every kind, and updates', () => {
    const services = api.resource('', 'v1', 'services');
    assert.throws(
      () => api.create(services, 'default', { metadata: { name: 'web' }, spec: { ports: [{ port: '80' }] } }),
      { message: 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32' },
    );
    assert.throws(
      () => api.create(services, 'default', { metadata: { name: 'web' }, spec: { ports: [{ port: 80, protocol: 6 }] } }),
      { message: 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number into Go struct field ServicePort.spec.ports.protocol of type v1.Protocol' },
    );
    const configMaps = api.resource('', 'v1', 'configmaps');
    assert.throws(
      () => api.create(configMaps, 'default', { metadata: { name: 'flags' }, data: { enabled: true } }),
      { message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string' },
    );
    const created = api.create(deployments, 'default', deployment({ replicas: 1 })).object;
    assert.throws(
      () => api.update(deployments, 'default', 'web', { ...created, spec: { ...(created.spec as object), replicas: '2' } }),
      { message: 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32' },
    );
    assert.equal((api.get(deployments, 'default', 'web').spec as { replicas: number }).replicas, 1);
  });
});
