import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLabelList } from './label-list.ts';
import { dryRunStrategy, wireObject } from './object-writing.ts';

describe('object writing helpers', () => {
  it('reads --dry-run as kubectl does', () => {
    assert.equal(dryRunStrategy(undefined), 'none');
    assert.equal(dryRunStrategy('none'), 'none');
    assert.equal(dryRunStrategy('client'), 'client');
    assert.equal(dryRunStrategy('server'), 'server');
    assert.throws(() => dryRunStrategy('maybe'), { message: 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".' });
  });
  it('drops the null creationTimestamps a printed object shows but the wire does not carry', () => {
    const object = { metadata: { name: 'a', creationTimestamp: null }, spec: { template: { metadata: { creationTimestamp: null, labels: { app: 'a' } } } } };
    assert.deepEqual(wireObject(object), { metadata: { name: 'a' }, spec: { template: { metadata: { labels: { app: 'a' } } } } });
  });
  it('parses label lists and refuses malformed entries', () => {
    assert.deepEqual(parseLabelList('app=web,tier=front'), { app: 'web', tier: 'front' });
    assert.throws(() => parseLabelList('app'), { message: 'error: invalid label spec: app' });
  });
});
