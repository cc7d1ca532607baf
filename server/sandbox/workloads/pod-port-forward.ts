// `kubectl port-forward` into a pod's app: each forwarded connection is fed to an in-memory
// HTTP/1.1 server whose requests go straight to the app container listening on the port (a
// port-forward enters the pod's network namespace, so the sidecar is not in the path). The
// app's own upstream calls leave through the pod's sidecar via the data plane.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { duplexPair } from 'node:stream';
import type { PortForwardHandler } from '../api-server/pod-portforward.ts';
import type { AppContext, AppRequest } from '../apps/app-handler.ts';
import { AppNetworkError } from '../apps/app-network-error.ts';
import { appClockFrom } from '../apps/app-clock.ts';
import { describeImage } from '../apps/app-registry.ts';
import type { Clock } from '../core/clock.ts';
import { asObject, type JsonObject } from '../core/json-object.ts';
import type { DataPlane } from '../istio/data-plane/create-data-plane.ts';
import { createPodApps } from '../istio/data-plane/pod-apps.ts';
import { buildClusterNetwork, type NetworkContainer, type NetworkPod } from '../network/cluster-network.ts';
import type { HeaderMap } from '../apps/header-map.ts';

export interface PodPortForwardOptions {
  plane: DataPlane;
  clock: Clock;
  /** The cluster objects the plane also sees (for the pod's IP and containers). */
  objects: () => readonly JsonObject[];
}

/** Largest request body a forwarded connection accepts before answering 413. */
const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function requestHeaders(req: IncomingMessage): HeaderMap {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

function upstreamFailure(error: { code: string; message: string } | undefined): AppNetworkError {
  const code = error?.code === 'ENOTFOUND' ? 'ENOTFOUND' : error?.code === 'ECONNREFUSED' ? 'ECONNREFUSED' : error?.code === 'ETIMEDOUT' ? 'ETIMEDOUT' : 'ECONNRESET';
  return new AppNetworkError(code, error?.message ?? 'connection failed');
}

export function createPodPortForward(options: PodPortForwardOptions): PortForwardHandler {
  const { plane } = options;
  const appClock = appClockFrom(options.clock);
  // One handler per pod container, kept as long as the runtime: apps keep process state.
  const podApps = createPodApps();

  const serve = async (pod: NetworkPod, container: NetworkContainer, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const listener = podApps.listener(pod, port);
    if (listener === undefined) {
      res.destroy();
      return;
    }
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const request: AppRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: requestHeaders(req), body };
    const context: AppContext = {
      pod: { name: pod.name, namespace: pod.namespace, labels: pod.labels, image: container.image, serviceAccount: pod.serviceAccount, ip: pod.ip, env: container.env },
      clock: appClock,
      remoteAddress: '127.0.0.1',
      signal: abort.signal,
      upstream: async (upstream) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(upstream.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
        const result = await plane.send({
          fromPod: { name: pod.name, namespace: pod.namespace },
          method: upstream.method,
          url: `http://${upstream.host}:${upstream.port}${upstream.path}`,
          headers,
          body: upstream.body,
          ...(upstream.signal === undefined ? {} : { signal: upstream.signal }),
        });
        if (result.response !== undefined) return result.response;
        throw upstreamFailure(result.error);
      },
    };
    try {
      const response = await listener.handler(request, context);
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value);
      res.writeHead(response.status, headers);
      res.end(req.method === 'HEAD' ? undefined : response.body);
    } catch {
      // The app failed or refused: the connection drops, as a crashed or closed port does.
      res.destroy();
    }
  };

  /**
   * A gateway pod has no app: its Envoy listens on the pod's ports (8080, 8443…). Requests go
   * to the pod's address through the data plane, where the gateway's listeners route them.
   */
  const serveProxy = async (pod: NetworkPod, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const headers: Record<string, string> = {};
    for (const [header, value] of Object.entries(requestHeaders(req))) headers[header] = Array.isArray(value) ? value.join(', ') : String(value);
    const result = await plane.send({
      fromWorkstation: { namespace: pod.namespace },
      method: req.method ?? 'GET',
      url: `http://${pod.ip}:${port}${req.url ?? '/'}`,
      headers,
      body,
      signal: abort.signal,
    });
    if (result.response === undefined) {
      res.destroy();
      return;
    }
    res.writeHead(result.response.status, result.response.headers);
    res.end(req.method === 'HEAD' ? undefined : result.response.body);
  };

  const listenerServer = (handle: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = createServer({ keepAlive: true }, handle);
    const [inside, outside] = duplexPair();
    server.emit('connection', inside);
    return outside;
  };

  return ({ namespace, pod: object, port }) => {
    const name = String(asObject(object.metadata).name ?? '');
    const pod = buildClusterNetwork(options.objects()).pod(name, namespace);
    if (pod === undefined) return undefined;
    const listener = podApps.listener(pod, port);
    if (listener === undefined) {
      const proxy = pod.containers.find((c) => c.name === 'istio-proxy');
      const gateway = proxy !== undefined && pod.containers.length === 1 && proxy.ports.some((p) => p.containerPort === port);
      return gateway ? listenerServer((req, res) => void serveProxy(pod, port, req, res)) : undefined;
    }
    const descriptor = describeImage(listener.container.image);
    if (!descriptor.servesHttp || !descriptor.ports.includes(port) && !listener.container.ports.some((p) => p.containerPort === port)) return undefined;
    const container = listener.container;
    return listenerServer((req, res) => void serve(pod, container, port, req, res));
  };
}
