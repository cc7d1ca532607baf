import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeControlFrame, encodeDataFrame, FLAG_FIN, SpdyFrameReader, SpdyFrameType, SpdyProtocolError, words } from './spdy-frame.ts';

describe('SPDY/3.1 framing', () => {
  it('encodes control and data frames in the wire layout', () => {
    // PING id 1: version 3 with the control bit, type 6, no flags, length 4.
    assert.deepEqual([...encodeControlFrame(SpdyFrameType.ping, 0, words(1))], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
    assert.deepEqual([...encodeDataFrame(3, Buffer.from('hi'), true)], [0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x02, 0x68, 0x69]);
  });

  it('reassembles frames from any chunking, byte by byte included', () => {
    const bytes = Buffer.concat([
      encodeControlFrame(SpdyFrameType.rstStream, 0, words(5, 5)),
      encodeDataFrame(7, Buffer.from('payload'), false),
      encodeDataFrame(7, Buffer.alloc(0), true),
    ]);
    const reader = new SpdyFrameReader();
    const frames = [];
    for (const byte of bytes) frames.push(...reader.push(Buffer.from([byte])));
    assert.equal(frames.length, 3);
    assert.deepEqual(frames[0], { kind: 'control', type: SpdyFrameType.rstStream, flags: 0, payload: words(5, 5) });
    assert.deepEqual(frames[1], { kind: 'data', streamId: 7, flags: 0, data: Buffer.from('payload') });
    assert.deepEqual(frames[2], { kind: 'data', streamId: 7, flags: FLAG_FIN, data: Buffer.alloc(0) });
    assert.deepEqual(new SpdyFrameReader().push(bytes).length, 3);
  });

  it('refuses oversized frames and other SPDY versions', () => {
    assert.throws(() => new SpdyFrameReader(16).push(encodeDataFrame(1, Buffer.alloc(17), false)), SpdyProtocolError);
    const v2 = encodeControlFrame(SpdyFrameType.ping, 0, words(1));
    v2[1] = 2;
    assert.throws(() => new SpdyFrameReader().push(v2), /unsupported SPDY version 2/);
  });
});
