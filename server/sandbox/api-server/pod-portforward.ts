import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { asObject, type JsonObject } from '../core/json-object.ts';
import { StatusError } from '../core/status-error.ts';
import { refuseUpgrade } from './pod-exec.ts';
import { RstStatus } from './spdy-frame.ts';
import { SpdySession, socketTransport, websocketTransport, type SpdyStream, type SpdyTransport } from './spdy-session.ts';
import { WebSocketConnection } from './websocket-connection.ts';

export interface PortForwardRequest {
  namespace: string;
  pod: JsonObject;
  port: number;
}

/**
 * Connects to a port "inside the pod": a duplex carrying the TCP bytes both ways, or
 * undefined when nothing listens there (the client sees connection refused). A thrown
 * error's message is reported as the forwarding failure.
 */
export type PortForwardHandler = (request: PortForwardRequest) => Duplex | undefined | Promise<Duplex | undefined>;

/** kubectl 1.31+ tunnels SPDY through a websocket with this subprotocol. */
const TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
const SPDY_PROTOCOL = 'portforward.k8s.io';

/** Checks a port-forward request against the pod as the API server and kubelet would. */
export function portForwardTargetFor(pod: JsonObject): { namespace: string; pod: JsonObject } {
  const meta = asObject(pod.metadata);
  const name = String(meta.name ?? '');
  if (asObject(pod.spec).nodeName === undefined) throw StatusError.badRequest(`pod ${name} does not have a host assigned`);
  const phase = asObject(pod.status).phase;
  if (phase !== 'Running') throw StatusError.badRequest(`unable to upgrade connection: pod ${name} is not running (phase ${String(phase ?? 'Pending')})`);
  return { namespace: String(meta.namespace ?? ''), pod };
}

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return String(req.headers.upgrade ?? '').toLowerCase() === 'spdy/3.1';
}

/** The id a container runtime gives the pod sandbox; real kubelets name pods by it in errors. */
function sandboxId(pod: JsonObject): string {
  return createHash('sha256').update(String(asObject(pod.metadata).uid ?? '')).digest('hex');
}

function refusedMessage(pod: JsonObject, port: number): string {
  // containerd's wording when nothing listens on the port inside the pod's network namespace.
  const id = sandboxId(pod);
  return `failed to connect to localhost:${port} inside namespace "${id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `;
}

/** Answers the upgrade (websocket tunnel or raw SPDY) and returns the transport, or refuses it. */
function acceptUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): SpdyTransport | undefined {
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(TUNNEL_PROTOCOL)) {
      refuseUpgrade(socket, StatusError.badRequest(`unable to upgrade: this server tunnels port-forward only as ${TUNNEL_PROTOCOL}`));
      return undefined;
    }
    // A client that goes away without a close frame only half-closes the socket; finish it.
    socket.on('end', () => socket.end());
    return websocketTransport(WebSocketConnection.accept(req, socket, head, TUNNEL_PROTOCOL), socket);
  }
  if (upgrade === 'spdy/3.1') {
    const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(SPDY_PROTOCOL)) {
      refuseUpgrade(socket, StatusError.badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${SPDY_PROTOCOL}]`));
      return undefined;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${SPDY_PROTOCOL}\r\n\r\n`);
    return socketTransport(socket, head);
  }
  refuseUpgrade(socket, StatusError.badRequest('unable to upgrade: missing upgrade headers in request'));
  return undefined;
}

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
  started: boolean;
}

/**
 * Serves one `pods/portforward` connection. Per local connection kubectl opens an error
 * stream and a data stream sharing a `requestid`; once both exist the pod port is dialled and
 * bytes are copied both ways. A failure is written on the error stream, which kubectl prints.
 */
export function servePortForward(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: { namespace: string; pod: JsonObject },
  handler: PortForwardHandler | undefined,
): void {
  const transport = acceptUpgrade(req, socket, head);
  if (transport === undefined) return;
  const pairs = new Map<string, StreamPair>();
  const podName = sandboxId(target.pod);
  const session = new SpdySession(transport, {
    onStream: (stream) => {
      const type = stream.headers.get('streamtype');
      const port = Number(stream.headers.get('port'));
      // Clients that predate request ids pair streams by id: error n, data n + 2 (as the kubelet does).
      const requestId = stream.headers.get('requestid') ?? String(type === 'data' ? stream.id - 2 : stream.id);
      if ((type !== 'error' && type !== 'data') || !Number.isInteger(port) || port < 1 || port > 65535) {
        stream.reset(RstStatus.protocolError);
        return;
      }
      stream.reply();
      const pair = pairs.get(requestId) ?? { started: false };
      if (pair[type] !== undefined) {
        stream.reset(RstStatus.protocolError);
        return;
      }
      pair[type] = stream;
      pairs.set(requestId, pair);
      const { error, data } = pair;
      if (error === undefined || data === undefined || pair.started) return;
      pair.started = true;
      const finish = (message?: string): void => {
        pairs.delete(requestId);
        if (message !== undefined) error.write(`error forwarding port ${port} to pod ${podName}, uid : ${message}`);
        data.end();
        error.end();
      };
      forward({ namespace: target.namespace, pod: target.pod, port }, data, handler).then(
        (failure) => finish(failure),
        (failure: unknown) => finish(failure instanceof Error ? failure.message : String(failure)),
      );
    },
  });
  session.onClose(() => pairs.clear());
}

/** Copies between the data stream and the pod port; resolves to a failure message, if any. */
async function forward(request: PortForwardRequest, data: SpdyStream, handler: PortForwardHandler | undefined): Promise<string | undefined> {
  const upstream = handler === undefined ? undefined : await handler(request);
  if (upstream === undefined) return refusedMessage(request.pod, request.port);
  if (data.closed) {
    // kubectl reset the stream (or left) while the port was being dialled.
    upstream.destroy();
    return undefined;
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (message?: string): void => {
      if (settled) return;
      settled = true;
      // Once either side is done the pod connection is closed, as container runtimes do.
      upstream.destroy();
      resolve(message);
    };
    data.onData((chunk) => upstream.write(chunk));
    data.onEnd(() => upstream.end());
    data.onReset(() => {
      upstream.destroy();
      settle();
    });
    upstream.on('data', (chunk: Buffer | string) => {
      // A slow kubectl must not make the pod's output pile up in memory.
      if (!data.write(chunk)) {
        upstream.pause();
        data.onceDrain(() => upstream.resume());
      }
    });
    upstream.on('end', () => settle());
    upstream.on('close', () => settle());
    upstream.on('error', (error: Error) => settle(error.message));
  });
}
