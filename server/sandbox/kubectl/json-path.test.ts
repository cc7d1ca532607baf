import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runJsonPath } from './json-path.ts';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'x' } }, spec: { replicas: 1, ports: [{ port: 80 }, { port: 443 }] } },
    { metadata: { name: 'b', labels: { app: 'y' } }, spec: { replicas: 3, ports: [] } },
  ],
};

it('joins the matches of a wildcard with spaces', () => {
  assert.equal(runJsonPath('{.items[*].metadata.name}', list), 'a b');
});

it('indexes, slices and prints objects as compact JSON', () => {
  assert.equal(runJsonPath('{.items[0].metadata.name}{"\\n"}', list), 'a\n');
  assert.equal(runJsonPath('{.items[-1].spec.replicas}', list), '3');
  assert.equal(runJsonPath('{.items[0:1].metadata.labels}', list), '{"app":"x"}');
});

it('ranges over items with text and literals', () => {
  assert.equal(runJsonPath('{range .items[*]}{.metadata.name}={.spec.replicas};{end}', list), 'a=1;b=3;');
});

it('filters and finds recursively', () => {
  assert.equal(runJsonPath('{.items[?(@.spec.replicas==3)].metadata.name}', list), 'b');
  assert.equal(runJsonPath('{..port}', list), '80 443');
});

it('prints nothing for missing keys, as kubectl allows them', () => {
  assert.equal(runJsonPath('x{.items[0].nothing}y', list), 'xy');
});

it('rejects an unclosed action', () => {
  assert.throws(() => runJsonPath('{.items', list), { code: 'JSONPATH_INVALID' });
});
