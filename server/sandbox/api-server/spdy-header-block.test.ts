import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { decodeHeaderPairs, encodeHeaderPairs, SPDY_DICTIONARY, SpdyHeaderCompressor, SpdyHeaderDecompressor, SpdyHeaderError } from './spdy-header-block.ts';

/** A real zlib deflate context with the dictionary, sync-flushed per block, as Go's framer writes. */
function nodeCompressor(): (headers: Map<string, string>) => Promise<Buffer> {
  const deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  return (headers) =>
    new Promise((resolve) => {
      deflate.write(encodeHeaderPairs(headers));
      deflate.flush(constants.Z_SYNC_FLUSH, () => setImmediate(() => resolve(Buffer.concat(chunks.splice(0)))));
    });
}

describe('SPDY/3 header blocks', () => {
  it('carries the 1423-byte SPDY/3 dictionary', () => {
    assert.equal(SPDY_DICTIONARY.length, 1423);
    assert.equal(SPDY_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
    assert.ok(SPDY_DICTIONARY.toString('latin1').endsWith(',enq=0.'));
  });

  it('encodes and decodes name/value pairs, lower-casing names', () => {
    const block = encodeHeaderPairs(new Map([['StreamType', 'error'], ['port', '80']]));
    assert.deepEqual([...decodeHeaderPairs(block)], [['streamtype', 'error'], ['port', '80']]);
    assert.throws(() => decodeHeaderPairs(block.subarray(0, block.length - 1)), SpdyHeaderError);
    assert.throws(() => decodeHeaderPairs(block, 1), /too many headers/);
  });

  it('compresses blocks that one inflate context with the dictionary reads in turn', () => {
    const compressor = new SpdyHeaderCompressor();
    const blocks = [new Map(), new Map([['streamtype', 'data'], ['port', '8080']]), new Map([['x', 'y'.repeat(70_000)]])].map((headers) => compressor.compress(headers));
    assert.deepEqual([...blocks[0]!.subarray(0, 2)], [0x78, 0xbb]);
    let seen = 0;
    const decoded = blocks.map((_, index) => {
      const output = inflateSync(Buffer.concat(blocks.slice(0, index + 1)), { dictionary: SPDY_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
      const fresh = output.subarray(seen);
      seen = output.length;
      return decodeHeaderPairs(fresh);
    });
    assert.equal(decoded[0]!.size, 0);
    assert.deepEqual([...decoded[1]!], [['streamtype', 'data'], ['port', '8080']]);
    assert.equal(decoded[2]!.get('x')?.length, 70_000);
  });

  it('decompresses blocks of a real deflate stream that share one context', async () => {
    const compress = nodeCompressor();
    const decompressor = new SpdyHeaderDecompressor();
    for (const requestId of ['0', '1', '2']) {
      for (const type of ['error', 'data']) {
        const headers = decompressor.decompress(await compress(new Map([['streamtype', type], ['port', '9080'], ['requestid', requestId]])));
        assert.deepEqual([...headers], [['streamtype', type], ['port', '9080'], ['requestid', requestId]]);
      }
    }
  });

  it('bounds the compressed bytes one connection may send and rejects garbage', async () => {
    const compress = nodeCompressor();
    const small = new SpdyHeaderDecompressor(40);
    small.decompress(await compress(new Map([['a', 'b']])));
    assert.throws(() => small.decompress(Buffer.alloc(40)), /exceeds its limit/);
    assert.throws(() => new SpdyHeaderDecompressor().decompress(Buffer.from('not zlib at all')), SpdyHeaderError);
  });
});
