import assert from 'node:assert/strict';
import { it } from 'node:test';
import { applyJsonPatch, JsonPatchError } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';

it('applies RFC 6902 operations without touching the input', () => {
  const input = { spec: { replicas: 1, list: ['a', 'b'] }, metadata: { 'a/b': 1 } };
  const output = applyJsonPatch(input, [
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'add', path: '/spec/list/-', value: 'c' },
    { op: 'add', path: '/spec/list/0', value: 'z' },
    { op: 'remove', path: '/metadata/a~1b' },
    { op: 'copy', from: '/spec/replicas', path: '/spec/copy' },
    { op: 'move', from: '/spec/copy', path: '/spec/moved' },
    { op: 'test', path: '/spec/moved', value: 3 },
  ]);
  assert.deepEqual(output, { spec: { replicas: 3, list: ['z', 'a', 'b', 'c'], moved: 3 }, metadata: {} });
  assert.deepEqual(input.spec.list, ['a', 'b']);
  assert.throws(() => applyJsonPatch(input, [{ op: 'replace', path: '/spec/missing/x', value: 1 }]), JsonPatchError);
  assert.throws(() => applyJsonPatch(input, [{ op: 'test', path: '/spec/replicas', value: 2 }]), JsonPatchError);
});

it('applies RFC 7386 merge patches', () => {
  assert.deepEqual(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { b: { c: null, e: 4 }, l: [2] }), { a: 1, b: { d: 3, e: 4 }, l: [2] });
});
