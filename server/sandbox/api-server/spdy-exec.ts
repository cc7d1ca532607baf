import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError } from '../core/status-error.ts';
import { exitStatus, refuseUpgrade, type ExecHandler, type ExecRequest } from './pod-exec.ts';
import { RstStatus } from './spdy-frame.ts';
import { SpdySession, socketTransport, type SpdyStream } from './spdy-session.ts';

const PROTOCOL = 'v4.channel.k8s.io';
/** How long the client gets to open every stream it asked for (the kubelet's default). */
const STREAM_CREATION_MS = 30_000;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === 'true' || value === '1';
}

/**
 * Serves one exec over raw SPDY/3.1 with the v4 channel protocol (kubectl ≤ 1.29, and newer
 * kubectl when websockets are off or refused): the client opens one stream per channel,
 * named by its `streamtype` header; the final Status travels on the `error` stream.
 */
export function serveSpdyExec(req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest, handler: ExecHandler | undefined): void {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(PROTOCOL)) {
    refuseUpgrade(socket, StatusError.badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PROTOCOL}]`));
    return;
  }
  const query = new URL(req.url ?? '/', 'http://sandbox.invalid').searchParams;
  const expected = new Set<StreamType>(['error']);
  if (request.stdin) expected.add('stdin');
  if (flag(query, 'stdout')) expected.add('stdout');
  if (flag(query, 'stderr') && !request.tty) expected.add('stderr');
  if (request.tty) expected.add('resize');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PROTOCOL}\r\n\r\n`);
  const streams = new Map<StreamType, SpdyStream>();
  const abort = new AbortController();
  let started = false;
  const session = new SpdySession(socketTransport(socket, head), {
    onStream: (stream) => {
      const type = stream.headers.get('streamtype') as StreamType | undefined;
      if (type === undefined || !expected.has(type) || streams.has(type) || started) {
        stream.reset(RstStatus.protocolError);
        return;
      }
      stream.reply();
      streams.set(type, stream);
      if (streams.size === expected.size) {
        started = true;
        clearTimeout(timer);
        run();
      }
    },
  });
  const timer = setTimeout(() => session.close(), STREAM_CREATION_MS);
  session.onClose(() => {
    clearTimeout(timer);
    abort.abort();
  });

  const run = (): void => {
    const error = streams.get('error');
    const stdout = streams.get('stdout');
    const stderr = request.tty ? stdout : streams.get('stderr');
    const finish = (status: Record<string, unknown>): void => {
      if (session.closed) return;
      stdout?.end();
      stderr?.end();
      error?.write(JSON.stringify(status));
      error?.end();
      session.close();
    };
    if (handler === undefined) {
      const reason = `OCI runtime exec failed: exec failed: unable to start container process: exec: "${request.command[0] ?? ''}": executable file not found in $PATH: unknown`;
      finish({ metadata: {}, status: 'Failure', message: `Internal error occurred: error executing command in container: ${reason}`, reason: 'InternalError', code: 500 });
      return;
    }
    const stdinListeners: Array<(data: Buffer) => void> = [];
    const endListeners: Array<() => void> = [];
    const resizeListeners: Array<(size: { width: number; height: number }) => void> = [];
    const stdin = streams.get('stdin');
    stdin?.onData((data) => {
      for (const listener of stdinListeners) listener(data);
    });
    stdin?.onEnd(() => {
      for (const listener of endListeners) listener();
    });
    let pendingResize = '';
    streams.get('resize')?.onData((data) => {
      // The client writes one JSON object per line with Go's json.Encoder.
      pendingResize += data.toString('utf8');
      const lines = pendingResize.split('\n');
      pendingResize = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const size = JSON.parse(line) as { Width?: number; Height?: number };
          for (const listener of resizeListeners) listener({ width: Number(size.Width ?? 0), height: Number(size.Height ?? 0) });
        } catch {
          // A malformed resize is ignored, as the kubelet does.
        }
      }
    });
    handler(request, {
      stdout: (data) => stdout?.write(data),
      stderr: (data) => stderr?.write(data),
      onStdin: (listener) => stdinListeners.push(listener),
      onStdinEnd: (listener) => endListeners.push(listener),
      onResize: (listener) => resizeListeners.push(listener),
      signal: abort.signal,
    }).then(
      (code) => finish(exitStatus(code, request.command)),
      (failure: unknown) => finish({ metadata: {}, status: 'Failure', message: failure instanceof Error ? failure.message : String(failure), reason: 'InternalError', code: 500 }),
    );
  };
}
