import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatColumns, tabwrite } from './tab-writer.ts';

it('pads each column to its widest cell plus three, never the last one', () => {
  assert.equal(
    formatColumns([
      ['NAME', 'READY', 'AGE'],
      ['productpage-v1', '1/1', '5m'],
    ]),
    'NAME             READY   AGE\nproductpage-v1   1/1     5m\n',
  );
});

it('makes a column at least six wide', () => {
  assert.equal(formatColumns([['A', 'B'], ['x', 'y']]), 'A     B\nx     y\n');
});

it('counts characters, not bytes', () => {
  assert.equal(formatColumns([['ü', 'x'], ['abcdef', 'y']]), 'ü        x\nabcdef   y\n');
});

it('starts new column widths after a line without cells', () => {
  assert.equal(formatColumns([['long-name', 'a'], [''], ['n', 'b']]), 'long-name   a\n\nn     b\n');
});

it('sizes a column only over the consecutive lines that have it, as describe needs', () => {
  const text = 'Name:\tweb\nPort:\thttp\t80/TCP\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/x\n';
  assert.equal(
    tabwrite(text, { minWidth: 0, padding: 2 }),
    'Name:  web\nPort:  http  80/TCP\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/x\n',
  );
});
