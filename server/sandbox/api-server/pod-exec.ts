import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { StatusError, type StatusBody } from '../core/status-error.ts';
import { WebSocketConnection } from './websocket-connection.ts';

export interface ExecRequest {
  namespace: string;
  pod: JsonObject;
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
}

export interface ExecStreams {
  stdout(data: string | Uint8Array): void;
  stderr(data: string | Uint8Array): void;
  onStdin(listener: (data: Buffer) => void): void;
  /** The client closed its stdin (v5 protocol). */
  onStdinEnd(listener: () => void): void;
  onResize(listener: (size: { width: number; height: number }) => void): void;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** Runs a command "in a container"; resolves to its exit code. */
export type ExecHandler = (request: ExecRequest, streams: ExecStreams) => Promise<number>;

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

/** Answers a refused upgrade with a plain HTTP response carrying the Status (kubectl prints it). */
export function refuseUpgrade(socket: Duplex, error: StatusError): void {
  const body = JSON.stringify(error.toStatus());
  socket.end(`HTTP/1.1 ${error.code} ${error.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Checks an exec request against the pod as the API server and kubelet would. */
export function execRequestFor(pod: JsonObject, query: URLSearchParams): ExecRequest {
  const meta = asObject(pod.metadata);
  const name = String(meta.name ?? '');
  const containers = asArray(asObject(pod.spec).containers).map((c) => String(asObject(c).name ?? ''));
  let container = query.get('container') ?? '';
  if (container === '') {
    if (containers.length !== 1) throw StatusError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`);
    container = containers[0] ?? '';
  }
  if (!containers.includes(container)) throw StatusError.badRequest(`container ${container} is not valid for pod ${name}`);
  const command = query.getAll('command');
  if (command.length === 0) throw StatusError.badRequest('you must specify at least 1 command');
  if (asObject(pod.spec).nodeName === undefined) throw StatusError.badRequest(`pod ${name} does not have a host assigned`);
  const phase = asObject(pod.status).phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw StatusError.badRequest(`cannot exec into a container in a completed pod; current phase is ${String(phase)}`);
  const status = asArray(asObject(pod.status).containerStatuses).map(asObject).find((s) => s.name === container);
  if (asObject(status?.state).running === undefined) throw StatusError.badRequest(`unable to upgrade connection: container not found ("${container}")`);
  return { namespace: String(meta.namespace ?? ''), pod, container, command, stdin: query.get('stdin') === 'true' || query.get('stdin') === '1', tty: query.get('tty') === 'true' || query.get('tty') === '1' };
}

/** The Status an exec ends with, on channel 3 (websocket) or the error stream (SPDY). */
export function exitStatus(code: number, command: string[]): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/**
 * Serves one exec over the Kubernetes websocket channel protocol (v5, or v4 without the
 * close channel): stdin on 0, stdout 1, stderr 2, the final Status on 3, resize on 4.
 */
export function serveExec(req: IncomingMessage, socket: Duplex, head: Buffer, request: ExecRequest, handler: ExecHandler | undefined): void {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const protocol = PROTOCOLS.find((candidate) => offered.includes(candidate));
  if (req.headers.upgrade?.toLowerCase() !== 'websocket' || protocol === undefined) {
    refuseUpgrade(socket, StatusError.badRequest('this sandbox serves exec over websockets (v4/v5.channel.k8s.io) only; use kubectl 1.30 or newer'));
    return;
  }
  const connection = WebSocketConnection.accept(req, socket, head, protocol);
  const abort = new AbortController();
  const stdinListeners: Array<(data: Buffer) => void> = [];
  const endListeners: Array<() => void> = [];
  const resizeListeners: Array<(size: { width: number; height: number }) => void> = [];
  const write = (channel: number, data: string | Uint8Array): void => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (bytes.length > 0) connection.send(Buffer.concat([Buffer.from([channel]), bytes]));
  };
  connection.onMessage((message) => {
    const channel = message[0];
    const payload = message.subarray(1);
    if (channel === STDIN) for (const listener of stdinListeners) listener(payload);
    else if (channel === RESIZE) {
      try {
        const size = JSON.parse(payload.toString('utf8')) as { Width?: number; Height?: number };
        for (const listener of resizeListeners) listener({ width: Number(size.Width ?? 0), height: Number(size.Height ?? 0) });
      } catch {
        // A malformed resize is ignored, as the kubelet does.
      }
    } else if (channel === CLOSE && payload[0] === STDIN) for (const listener of endListeners) listener();
  });
  connection.onClose(() => abort.abort());
  const finish = (status: Record<string, unknown> | StatusBody): void => {
    if (connection.closed) return;
    write(ERROR, JSON.stringify(status));
    connection.close(1000);
  };
  if (handler === undefined) {
    const reason = `OCI runtime exec failed: exec failed: unable to start container process: exec: "${request.command[0] ?? ''}": executable file not found in $PATH: unknown`;
    finish({ metadata: {}, status: 'Failure', message: `Internal error occurred: error executing command in container: ${reason}`, reason: 'InternalError', code: 500 });
    return;
  }
  handler(request, {
    stdout: (data) => write(STDOUT, data),
    stderr: (data) => write(request.tty ? STDOUT : STDERR, data),
    onStdin: (listener) => stdinListeners.push(listener),
    onStdinEnd: (listener) => endListeners.push(listener),
    onResize: (listener) => resizeListeners.push(listener),
    signal: abort.signal,
  }).then(
    (code) => finish(exitStatus(code, request.command)),
    (error: unknown) => finish({ metadata: {}, status: 'Failure', message: error instanceof Error ? error.message : String(error), reason: 'InternalError', code: 500 }),
  );
}
