// Custom resources validated against their CRD's OpenAPI schema as the API server does it:
// the constraint messages, pruning of unknown fields, and kubectl's --validate modes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              replicas: {type: integer, minimum: 0, default: 1}
              color: {type: string, pattern: '^[a-z]+$', maxLength: 10}
              owner: {type: string, format: email}
              tags: {type: array, items: {type: string}, maxItems: 2}
              port: {x-kubernetes-int-or-string: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

describe('CRD schema validation through kubectl', () => {
  let h: KubectlHarness;
  const widget = (name: string, spec: string): string => {
    const file = join(h.dir, `${name}.yaml`);
    writeFileSync(file, `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: ${name}\nspec:\n${spec}`);
    return file;
  };
  before(async () => {
    h = await startKubectlHarness();
    const file = join(h.dir, 'crd.yaml');
    writeFileSync(file, CRD);
    assert.equal((await h.kubectl(['apply', '-f', file])).code, 0);
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('refuses values outside the schema with the API server\'s words', async () => {
    const one = await h.kubectl(['apply', '-f', widget('w1', '  replicas: -1\n')]);
    assert.equal(one.code, 1);
    assert.equal(one.stderr, 'The Widget "w1" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0\n');
    const many = await h.kubectl(['apply', '-f', widget('w2', '  color: Red\n  owner: nobody\n  tags: [a, b, c]\n')]);
    assert.equal(many.code, 1);
    assert.equal(many.stderr, [
      'The Widget "w2" is invalid: ',
      '* spec.color: Invalid value: "Red": spec.color in body should match \'^[a-z]+$\'',
      '* spec.owner: Invalid value: "nobody": spec.owner in body must be of type email: "nobody"',
      '* spec.tags: Too many: 3: must have at most 2 items',
      '',
    ].join('\n'));
    assert.equal((await h.kubectl(['get', 'widgets'])).stderr, 'No resources found in default namespace.\n');
  });

  it('accepts valid values, int-or-string and preserved fields, and prunes unknown ones under --validate=false', async () => {
    const ok = await h.kubectl(['apply', '-f', widget('w3', '  replicas: 2\n  port: http\n  extra: {anything: {goes: 1}}\n')]);
    assert.equal(ok.stdout, 'widget.example.com/w3 created\n', ok.stderr);
    const file = widget('w4', '  replicas: 1\n  colour: blue\n');
    const strict = await h.kubectl(['apply', '-f', file]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /strict decoding error: unknown field "spec.colour"/);
    const warned = await h.kubectl(['apply', '-f', file, '--validate=warn']);
    assert.equal(warned.stdout, 'widget.example.com/w4 created\n');
    assert.equal(warned.stderr, 'Warning: unknown field "spec.colour"\n');
    assert.equal((await h.kubectl(['get', 'widget', 'w4', '-o', 'jsonpath={.spec}'])).stdout, '{"replicas":1}');
    // Schema defaults fill what the manifest leaves out.
    assert.equal((await h.kubectl(['apply', '-f', widget('w5', '  color: blue\n')])).code, 0);
    assert.equal((await h.kubectl(['get', 'widget', 'w5', '-o', 'jsonpath={.spec}'])).stdout, '{"color":"blue","replicas":1}');
    assert.equal((await h.kubectl(['get', 'widget', 'w3', '-o', 'jsonpath={.spec.extra}'])).stdout, '{"anything":{"goes":1}}');
  });
});
