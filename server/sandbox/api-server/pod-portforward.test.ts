import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
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

  it('checks that the pod runs on a node', () => {
    assert.throws(() => portForwardTargetFor({ ...POD, status: { phase: 'Pending' } }), (error: unknown) => error instanceof StatusError && /is not running/.test(error.message));
    assert.throws(() => portForwardTargetFor({ ...POD, spec: {} }), /does not have a host assigned/);
    assert.equal(portForwardTargetFor(POD).namespace, 'default');
  });
});
