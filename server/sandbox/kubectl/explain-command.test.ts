import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wrapString } from './explain-command.ts';

describe('wrapString (go-wordwrap)', () => {
  it('breaks before the word that would pass the limit and drops the space there', () => {
    assert.equal(wrapString('aaa bbb ccc', 7), 'aaa bbb\nccc');
  });
  it('keeps existing line breaks and lets a word longer than the limit overflow', () => {
    assert.equal(wrapString('one\ntwo https://example.com/a/very/long/url', 10), 'one\ntwo\nhttps://example.com/a/very/long/url');
  });
  it('keeps a trailing newline', () => {
    assert.equal(wrapString('short text.\n', 76), 'short text.\n');
  });
});
