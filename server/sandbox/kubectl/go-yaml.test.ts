import assert from 'node:assert/strict';
import { it } from 'node:test';
import { goYaml } from './go-yaml.ts';

it('sorts keys and writes sequences at the indentation of their key', () => {
  assert.equal(goYaml({ spec: { ports: [{ port: 80, name: 'http' }] }, kind: 'Service' }), 'kind: Service\nspec:\n  ports:\n  - name: http\n    port: 80\n');
});

it('double-quotes strings that would read back as numbers, booleans, null or timestamps', () => {
  assert.equal(
    goYaml({ a: '42', b: 'yes', c: '', d: '2026-01-01T12:00:00Z', e: 'true', f: '1.5', g: 'plain' }),
    'a: "42"\nb: "yes"\nc: ""\nd: "2026-01-01T12:00:00Z"\ne: "true"\nf: "1.5"\ng: plain\n',
  );
});

it('single-quotes strings that cannot be plain', () => {
  assert.equal(goYaml({ hosts: ['*'], note: 'a: b', tag: '#x' }), "hosts:\n- '*'\nnote: 'a: b'\ntag: '#x'\n");
});

it('writes multi-line strings as literal blocks with the right chomping', () => {
  assert.equal(goYaml({ a: 'one\ntwo\n', b: 'one\ntwo' }), 'a: |\n  one\n  two\nb: |-\n  one\n  two\n');
});

it('writes empty collections inline and folds long plain strings past column 80', () => {
  assert.equal(goYaml({ a: {}, b: [] }), 'a: {}\nb: []\n');
  const long = 'word '.repeat(20).trim();
  // go-yaml breaks at the first space once the column has passed 80.
  assert.equal(goYaml({ description: long }), `description: ${'word '.repeat(14).trim()}\n  ${'word '.repeat(6).trim()}\n`);
});
