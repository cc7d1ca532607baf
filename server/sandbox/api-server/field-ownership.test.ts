import assert from 'node:assert/strict';
import { it } from 'node:test';
import { changedPaths, formatPath, fromFieldsV1, leafPaths, removePath, toFieldsV1, valueAt } from './field-ownership.ts';

const deployment = { spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1', args: ['-v'] }] } } }, metadata: { labels: { 'app.kubernetes.io/name': 'web' } } };

it('enumerates leaves through keyed lists and round-trips them through FieldsV1', () => {
  const paths = [...leafPaths(deployment).keys()];
  assert.deepEqual(paths.map(formatPath), [
    '.spec.replicas',
    '.spec.template.spec.containers[name="web"].name',
    '.spec.template.spec.containers[name="web"].image',
    '.spec.template.spec.containers[name="web"].args',
    '.metadata.labels.app.kubernetes.io/name',
  ]);
  const fields = toFieldsV1(paths);
  assert.deepEqual((fields['f:spec'] as Record<string, unknown>)['f:replicas'], {});
  assert.ok('k:{"name":"web"}' in ((((fields['f:spec'] as Record<string, Record<string, unknown>>)['f:template'] ?? {})['f:spec'] as Record<string, Record<string, unknown>>)['f:containers'] ?? {}));
  assert.deepEqual([...fromFieldsV1(fields)].sort(), [...paths].sort());
});

it('finds changed paths, reads values and removes fields by path', () => {
  const next = structuredClone(deployment);
  next.spec.replicas = 3;
  next.spec.template.spec.containers[0]!.image = 'nginx:2';
  assert.deepEqual([...changedPaths(deployment, next)].map(formatPath), ['.spec.replicas', '.spec.template.spec.containers[name="web"].image']);
  const image = [...leafPaths(deployment).keys()][2] ?? '';
  assert.equal(valueAt(deployment, image), 'nginx:1');
  removePath(next, image);
  assert.deepEqual(next.spec.template.spec.containers[0], { name: 'web', args: ['-v'] });
});
