import assert from 'node:assert/strict';
import { duplexPair } from 'node:stream';
import { describe, it } from 'node:test';
import { RstStatus, SpdyFrameType, words } from './spdy-frame.ts';
import { SpdySession, socketTransport, type SpdyStream } from './spdy-session.ts';
import { SpdyTestPeer } from './spdy-test-peer.ts';

function connect(options: { maxStreams?: number } = {}): { peer: SpdyTestPeer; session: SpdySession; streams: SpdyStream[] } {
  const [serverSide, clientSide] = duplexPair();
  const streams: SpdyStream[] = [];
  const session = new SpdySession(socketTransport(serverSide, Buffer.alloc(0)), {
    ...options,
    onStream: (stream) => {
      streams.push(stream);
      stream.reply(new Map([['accepted', stream.headers.get('name') ?? '']]));
    },
  });
  return { peer: new SpdyTestPeer(clientSide, { readsHttpHead: false }), session, streams };
}

describe('SpdySession', () => {
  it('accepts streams with their headers, replies, and carries data and FIN both ways', async () => {
    const { peer, streams } = connect();
    await peer.open(1, { name: 'first' });
    await peer.open(3, { name: 'second' });
    await peer.until(() => peer.replies.size === 2, 'two replies');
    assert.equal(peer.replies.get(1)?.get('accepted'), 'first');
    assert.equal(peer.replies.get(3)?.get('accepted'), 'second');
    const [first, second] = streams;
    assert.ok(first !== undefined && second !== undefined);
    const got: string[] = [];
    let ended = false;
    first.onData((data) => got.push(data.toString()));
    first.onEnd(() => {
      ended = true;
    });
    peer.data(1, 'ping ', false);
    peer.data(1, 'pong', true);
    await peer.until(() => got.join('') === 'ping pong' && ended, 'client data and FIN');
    first.write('x'.repeat(70_000));
    first.end();
    second.write('on three');
    await peer.until(() => peer.ended(1) && peer.received(3) === 'on three', 'server data and FIN');
    assert.equal(peer.received(1).length, 70_000);
    // Both sides finished: the stream is forgotten, so more data for it is refused.
    peer.data(1, 'late');
    await peer.until(() => peer.resetStatus(1) === RstStatus.invalidStream, 'RST for a finished stream');
  });

  it('answers pings, aborts reset streams, and refuses streams past the limit', async () => {
    const { peer, streams } = connect({ maxStreams: 1 });
    peer.control(SpdyFrameType.ping, words(7));
    await peer.until(() => peer.frames.some((f) => f.kind === 'control' && f.type === SpdyFrameType.ping && f.payload.readUInt32BE(0) === 7), 'the ping echoed');
    await peer.open(1, { name: 'kept' });
    await peer.open(3, { name: 'over the limit' });
    await peer.until(() => peer.resetStatus(3) === RstStatus.refusedStream, 'RST refused for stream 3');
    assert.equal(streams.length, 1);
    let aborted = false;
    streams[0]?.onReset(() => {
      aborted = true;
    });
    peer.control(SpdyFrameType.rstStream, words(1, RstStatus.cancel));
    await peer.until(() => aborted, 'the reset delivered');
  });

  it('ends the connection with GOAWAY on a protocol error and aborts open streams', async () => {
    const { peer, session, streams } = connect();
    await peer.open(3, { name: 'a' });
    await peer.until(() => peer.replies.has(3), 'the reply');
    let aborted = false;
    streams[0]?.onReset(() => {
      aborted = true;
    });
    await peer.open(1, { name: 'stream ids must increase' });
    await peer.until(() => peer.closed, 'the connection closed');
    assert.ok(peer.frames.some((f) => f.kind === 'control' && f.type === SpdyFrameType.goAway && f.payload.readUInt32BE(4) === 1));
    assert.ok(session.closed);
    assert.ok(aborted);
  });
});
