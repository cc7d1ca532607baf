import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { duplexPair, type Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import type { JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import { portForwardTargetFor, servePortForward, type PortForwardHandler } from './pod-portforward.ts';
import { RstStatus, SpdyFrameType, words } from './spdy-frame.ts';
import { SpdyTestPeer } from './spdy-test-peer.ts';

const POD: JsonObject = {
  metadata: { name: 'web', namespace: 'default', uid: '0f3c2a9e-1111-4222-8333-444455556666' },
  spec: { nodeName: 'node-1', containers: [{ name: 'web' }] },
  status: { phase: 'Running' },
};

function upgradeRequest(headers: Record<string, string>): IncomingMessage {
  return { url: '/api/v1/namespaces/default/pods/web/portforward', headers } as unknown as IncomingMessage;
}

/** Serves one raw-SPDY port-forward connection; returns the client end. */
function connect(handler: PortForwardHandler | undefined, headers: Record<string, string> = { upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io' }): SpdyTestPeer {
  const [serverSide, clientSide] = duplexPair();
  servePortForward(upgradeRequest(headers), serverSide, Buffer.alloc(0), portForwardTargetFor(POD), handler);
  return new SpdyTestPeer(clientSide, { readsHttpHead: true });
}

/** A pod port that answers each line it reads in upper case and closes when the client does. */
const shouting: PortForwardHandler = ({ port }) => {
  if (port !== 8080) return undefined;
  const [inside, outside] = duplexPair();
  inside.on('data', (chunk: Buffer) => inside.write(chunk.toString().toUpperCase()));
  inside.on('end', () => inside.end());
  return outside;
};

async function openPair(peer: SpdyTestPeer, errorId: number, port: number, requestId: string): Promise<void> {
  await peer.open(errorId, { streamtype: 'error', port: String(port), requestid: requestId });
  await peer.until(() => peer.replies.has(errorId), `reply to stream ${errorId}`);
  peer.data(errorId, '', true); // kubectl half-closes the error stream at once
  await peer.open(errorId + 2, { streamtype: 'data', port: String(port), requestid: requestId });
  await peer.until(() => peer.replies.has(errorId + 2), `reply to stream ${errorId + 2}`);
}

describe('servePortForward', () => {
  it('negotiates raw SPDY and forwards concurrent connections by request id', async () => {
    const peer = connect(shouting);
    await openPair(peer, 1, 8080, '0');
    await openPair(peer, 5, 8080, '1');
    assert.match(peer.head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
    assert.match(peer.head, /\r\nX-Stream-Protocol-Version: portforward\.k8s\.io/);
    peer.data(7, 'second connection');
    peer.data(3, 'first connection');
    await peer.until(() => peer.received(3) === 'FIRST CONNECTION' && peer.received(7) === 'SECOND CONNECTION', 'both answers');
    assert.equal(peer.ended(3), false);
    // The client closes its side: the pod closes too, and both streams end without an error.
    peer.data(3, '', true);
    await peer.until(() => peer.ended(3) && peer.ended(1), 'the first pair finished');
    assert.equal(peer.received(1), '');
    assert.equal(peer.ended(7), false);
  });

  it('keeps the bytes kubectl sends while the pod port is still being dialled', async () => {
    const peer = connect(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return shouting({ ...request, port: 8080 });
    });
    await peer.open(1, { streamtype: 'error', port: '80', requestid: '0' });
    await peer.open(3, { streamtype: 'data', port: '80', requestid: '0' });
    peer.data(3, 'sent ');
    peer.data(3, 'early', true);
    await peer.until(() => peer.ended(3), 'the data stream ended');
    assert.equal(peer.received(3), 'SENT EARLY');
  });

  it('pauses the pod connection while kubectl reads slowly, and loses nothing', async () => {
    let upstream: Duplex | undefined;
    const peer = connect(() => {
      const [inside, outside] = duplexPair();
      for (let i = 0; i < 16; i++) inside.write(Buffer.alloc(64 * 1024, 97 + i));
      inside.end();
      inside.resume();
      upstream = outside;
      return outside;
    });
    await peer.open(1, { streamtype: 'error', port: '80', requestid: '0' });
    await peer.until(() => peer.replies.has(1), 'reply to the error stream');
    peer.pause();
    await peer.open(3, { streamtype: 'data', port: '80', requestid: '0' });
    await peer.until(() => upstream?.isPaused() === true, 'the pod connection paused');
    peer.resume();
    await peer.until(() => peer.ended(3), 'the data stream ended', 10_000);
    const received = peer.received(3);
    assert.equal(received.length, 16 * 64 * 1024);
    assert.equal(received[0], 'a');
    assert.equal(received.at(-1), 'p');
  });

  it('closes a pod connection dialled after kubectl gave up on the stream', async () => {
    let upstream: Duplex | undefined;
    let dialled: () => void = () => {};
    const peer = connect(async () => {
      await new Promise<void>((resolve) => {
        dialled = resolve;
      });
      upstream = duplexPair()[1];
      return upstream;
    });
    await openPair(peer, 1, 80, '0');
    peer.control(SpdyFrameType.rstStream, words(3, RstStatus.cancel));
    // Frames are handled in order: once the ping is answered, the reset has been seen.
    peer.control(SpdyFrameType.ping, words(9));
    await peer.until(() => peer.frames.some((f) => f.kind === 'control' && f.type === SpdyFrameType.ping), 'the ping answered');
    assert.equal(upstream, undefined);
    dialled();
    await peer.until(() => upstream?.destroyed === true, 'the late pod connection closed');
    await peer.until(() => peer.ended(1), 'the error stream ended');
  });

  it('pairs streams by stream id for clients that send no request id', async () => {
    const peer = connect(shouting);
    await peer.open(1, { streamtype: 'error', port: '8080' });
    await peer.open(3, { streamtype: 'data', port: '8080' });
    peer.data(3, 'legacy', true);
    await peer.until(() => peer.ended(3) && peer.ended(1), 'the pair finished');
    assert.equal(peer.received(3), 'LEGACY');
  });

  it('writes the kubelet error on the error stream when nothing listens on the port', async () => {
    const peer = connect(shouting);
    await openPair(peer, 1, 9999, '0');
    await peer.until(() => peer.ended(1) && peer.ended(3), 'both streams ended');
    assert.match(
      peer.received(1),
      /^error forwarding port 9999 to pod [0-9a-f]{64}, uid : failed to connect to localhost:9999 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127\.0\.0\.1:9999: connect: connection refused IPv6 dial tcp6 \[::1\]:9999: connect: connection refused $/,
    );
    const failing = connect(() => {
      throw new Error('the pod is on fire');
    });
    await openPair(failing, 1, 80, 'x');
    await failing.until(() => failing.ended(1), 'the error stream ended');
    assert.match(failing.received(1), /^error forwarding port 80 to pod [0-9a-f]{64}, uid : the pod is on fire$/);
  });

  it('destroys the pod connection when kubectl resets the data stream', async () => {
    let upstream: Duplex | undefined;
    const peer = connect(() => {
      const [inside, outside] = duplexPair();
      inside.resume();
      upstream = outside;
      return outside;
    });
    await openPair(peer, 1, 80, '0');
    await peer.until(() => upstream !== undefined, 'the pod dialled');
    assert.equal(upstream?.destroyed, false);
    peer.control(SpdyFrameType.rstStream, words(3, RstStatus.cancel));
    // The pair is over: the pod connection is gone and the error stream ends, empty.
    await peer.until(() => peer.ended(1), 'the error stream ended');
    assert.equal(upstream?.destroyed, true);
    assert.equal(peer.received(1), '');
  });

  it('refuses malformed streams and unknown protocols', async () => {
    const peer = connect(shouting);
    await peer.open(1, { streamtype: 'stdin', port: '80', requestid: '0' });
    await peer.until(() => peer.resetStatus(1) === RstStatus.protocolError, 'RST for a wrong stream type');
    await peer.open(3, { streamtype: 'data', port: 'eighty', requestid: '0' });
    await peer.until(() => peer.resetStatus(3) === RstStatus.protocolError, 'RST for a bad port');
    const old = connect(shouting, { upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'v4.channel.k8s.io' });
    await old.until(() => old.head !== '', 'the refusal');
    assert.match(old.head, /^HTTP\/1\.1 400 /);
    assert.match(old.head, /unable to negotiate protocol: client supports \[v4\.channel\.k8s\.io\], server supports \[portforward\.k8s\.io\]/);
    const ws = connect(shouting, { upgrade: 'websocket', 'sec-websocket-protocol': 'v4.channel.k8s.io' });
    await ws.until(() => ws.head !== '', 'the refusal');
    assert.match(ws.head, /^HTTP\/1\.1 400 .*\r\n\r\n\{.*"message":"unable to upgrade: this server tunnels port-forward only as SPDY\/3\.1\+portforward\.k8s\.io"/s);
  });

  it('serves the same streams tunnelled in websocket messages (kubectl 1.31+)', async () => {
    const server = createServer();
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => servePortForward(req, socket, head, portForwardTargetFor(POD), shouting));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // WHATWG and ws clients reject '/' in a subprotocol name, Go's does not: speak RFC 6455 by hand.
    const socket = connectTcp(port, '127.0.0.1');
    try {
      socket.write(
        `GET /api/v1/namespaces/default/pods/web/portforward HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n`,
      );
      const [peerSide, bridge] = duplexPair();
      let head = '';
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        if (head === '') {
          const end = pending.indexOf('\r\n\r\n');
          if (end === -1) return;
          head = pending.subarray(0, end).toString('latin1');
          pending = pending.subarray(end + 4);
        }
        // Server frames: unmasked, binary, lengths under 64 KiB in this exchange.
        while (pending.length >= 2) {
          let length = (pending[1] ?? 0) & 0x7f;
          let offset = 2;
          if (length === 126) {
            length = pending.readUInt16BE(2);
            offset = 4;
          }
          if (pending.length < offset + length) return;
          bridge.write(pending.subarray(offset, offset + length));
          pending = pending.subarray(offset + length);
        }
      });
      // Every SPDY write goes out as two masked messages, splitting frames across messages.
      bridge.on('data', (chunk: Buffer) => {
        const middle = Math.ceil(chunk.length / 2);
        for (const part of [chunk.subarray(0, middle), chunk.subarray(middle)]) {
          if (part.length === 0) continue;
          const mask = randomBytes(4);
          const header = part.length < 126 ? Buffer.from([0x82, 0x80 | part.length]) : Buffer.from([0x82, 0x80 | 126, part.length >> 8, part.length & 0xff]);
          socket.write(Buffer.concat([header, mask, Buffer.from(part.map((byte, i) => byte ^ (mask[i % 4] ?? 0)))]));
        }
      });
      const peer = new SpdyTestPeer(peerSide, { readsHttpHead: false });
      await openPair(peer, 1, 8080, '0');
      assert.match(head, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
      assert.match(head, /\r\nSec-WebSocket-Protocol: SPDY\/3\.1\+portforward\.k8s\.io/);
      peer.data(3, 'through the tunnel', true);
      await peer.until(() => peer.ended(3) && peer.ended(1), 'the pair finished');
      assert.equal(peer.received(3), 'THROUGH THE TUNNEL');
    } finally {
      socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('checks that the pod runs on a node', () => {
    assert.throws(() => portForwardTargetFor({ ...POD, status: { phase: 'Pending' } }), (error: unknown) => error instanceof StatusError && /is not running/.test(error.message));
    assert.throws(() => portForwardTargetFor({ ...POD, spec: {} }), /does not have a host assigned/);
    assert.equal(portForwardTargetFor(POD).namespace, 'default');
  });
});
