import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { duplexPair } from 'node:stream';
import { describe, it } from 'node:test';
import type { ExecHandler, ExecRequest } from './pod-exec.ts';
import { serveSpdyExec } from './spdy-exec.ts';
import { SpdyTestPeer } from './spdy-test-peer.ts';

const POD = { metadata: { name: 'web', namespace: 'default' } };
const V4 = 'v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io, channel.k8s.io';

function connect(query: string, request: Partial<ExecRequest>, handler: ExecHandler | undefined, protocols = V4): SpdyTestPeer {
  const [serverSide, clientSide] = duplexPair();
  const req = { url: `/api/v1/namespaces/default/pods/web/exec?${query}`, headers: { upgrade: 'SPDY/3.1', 'x-stream-protocol-version': protocols } } as unknown as IncomingMessage;
  const full: ExecRequest = { namespace: 'default', pod: POD, container: 'web', command: ['cat'], stdin: false, tty: false, ...request };
  serveSpdyExec(req, serverSide, Buffer.alloc(0), full, handler);
  return new SpdyTestPeer(clientSide, { readsHttpHead: true });
}

/** Opens the streams in kubectl's order (error, stdin, stdout, stderr, resize), each awaiting its reply. */
async function openStreams(peer: SpdyTestPeer, types: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  let id = 1;
  for (const type of types) {
    await peer.open(id, { streamtype: type });
    const opened = id;
    await peer.until(() => peer.replies.has(opened), `reply to ${type}`);
    ids.set(type, id);
    id += 2;
  }
  return ids;
}

describe('serveSpdyExec', () => {
  it('runs the command once every stream is open: stdin in, stdout and stderr out, Status last', async () => {
    const handler: ExecHandler = (request, streams) =>
      new Promise((resolve) => {
        streams.stderr(`running ${request.command.join(' ')}\n`);
        streams.onStdin((data) => streams.stdout(data));
        streams.onStdinEnd(() => resolve(0));
      });
    const peer = connect('command=cat&stdin=true&stdout=true&stderr=true', { stdin: true }, handler);
    const ids = await openStreams(peer, ['error', 'stdin', 'stdout', 'stderr']);
    assert.match(peer.head, /\r\nX-Stream-Protocol-Version: v4\.channel\.k8s\.io/);
    peer.data(ids.get('stdin')!, 'hello stdin\n', true);
    await peer.until(() => peer.closed, 'the connection closed');
    assert.equal(peer.received(ids.get('stdout')!), 'hello stdin\n');
    assert.equal(peer.received(ids.get('stderr')!), 'running cat\n');
    assert.ok(peer.ended(ids.get('stdout')!) && peer.ended(ids.get('stderr')!) && peer.ended(ids.get('error')!));
    assert.deepEqual(JSON.parse(peer.received(ids.get('error')!)), { metadata: {}, status: 'Success' });
  });

  it('reports a non-zero exit code the way kubectl turns into its exit status', async () => {
    const peer = connect('command=false&stdout=true&stderr=true', { command: ['false'] }, async () => 7);
    const ids = await openStreams(peer, ['error', 'stdout', 'stderr']);
    await peer.until(() => peer.ended(ids.get('error')!), 'the status');
    const status = JSON.parse(peer.received(ids.get('error')!)) as { reason: string; details: { causes: Array<{ reason: string; message: string }> } };
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '7' }]);
  });

  it('with a TTY: stderr joins stdout and resize events reach the command', async () => {
    const sizes: Array<{ width: number; height: number }> = [];
    const handler: ExecHandler = (_request, streams) =>
      new Promise((resolve) => {
        streams.onResize((size) => {
          sizes.push(size);
          if (sizes.length === 2) {
            streams.stderr('resized\n');
            resolve(0);
          }
        });
      });
    const peer = connect('command=sh&stdin=true&stdout=true&tty=true', { stdin: true, tty: true }, handler);
    const ids = await openStreams(peer, ['error', 'stdin', 'stdout', 'resize']);
    peer.data(ids.get('resize')!, '{"Width":80,"Height":24}\n{"Width":1');
    peer.data(ids.get('resize')!, '00,"Height":30}\n');
    await peer.until(() => peer.closed, 'the connection closed');
    assert.deepEqual(sizes, [{ width: 80, height: 24 }, { width: 100, height: 30 }]);
    assert.equal(peer.received(ids.get('stdout')!), 'resized\n');
  });

  it('refuses unexpected streams, a missing v4 protocol, and fails without an exec handler', async () => {
    const unexpected = connect('command=ls&stdout=true', { command: ['ls'] }, async () => 0);
    await unexpected.open(1, { streamtype: 'stdin' });
    await unexpected.until(() => unexpected.resetStatus(1) !== undefined, 'RST for stdin that was not asked for');
    // Leaving before every stream is open ends the session (and its stream-creation timer).
    unexpected.close();
    await unexpected.until(() => unexpected.closed, 'the server side closed');
    const old = connect('command=ls&stdout=true', { command: ['ls'] }, async () => 0, 'channel.k8s.io');
    await old.until(() => old.head !== '', 'the refusal');
    assert.match(old.head, /^HTTP\/1\.1 400 .*unable to negotiate protocol: client supports \[channel\.k8s\.io\], server supports \[v4\.channel\.k8s\.io\]/s);
    const missing = connect('command=ls&stdout=true', { command: ['ls'] }, undefined);
    const ids = await openStreams(missing, ['error', 'stdout']);
    await missing.until(() => missing.ended(ids.get('error')!), 'the status');
    assert.match(missing.received(ids.get('error')!), /executable file not found in \$PATH/);
  });
});
