import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError } from '../core/status-error.ts';
import { refuseUpgrade } from '../api-server/pod-exec.ts';
import { createCluster, type Cluster, type ClusterOptions } from './create-cluster.ts';

/** Cluster ids become a path segment; keep them to what a URL carries unescaped. */
const ID_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export class ClusterHostError extends Error {
  readonly code: 'CLUSTER_EXISTS' | 'BAD_CLUSTER_ID';
  constructor(code: 'CLUSTER_EXISTS' | 'BAD_CLUSTER_ID', message: string) {
    super(message);
    this.name = 'ClusterHostError';
    this.code = code;
  }
}

function sendStatus(res: ServerResponse, error: StatusError): void {
  const body = JSON.stringify(error.toStatus());
  res.writeHead(error.code, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

/**
 * Many emulated clusters behind one HTTP server, each at `/clusters/<id>/…` with its own tokens
 * and limits: the shape a multi-learner deployment needs (one port, one process).
 */
export class ClusterHost {
  readonly #clusters = new Map<string, Cluster>();
  #server: Server | undefined;
  #url = '';

  /** Creates a cluster mounted at `/clusters/<id>`; the options are createCluster's. */
  create(id: string, options: Omit<ClusterOptions, 'pathPrefix'> = {}): Cluster {
    if (!ID_PATTERN.test(id)) throw new ClusterHostError('BAD_CLUSTER_ID', `cluster id "${id}" must be a DNS label`);
    if (this.#clusters.has(id)) throw new ClusterHostError('CLUSTER_EXISTS', `cluster "${id}" already exists`);
    const cluster = createCluster({ ...options, pathPrefix: `/clusters/${id}` });
    this.#clusters.set(id, cluster);
    return cluster;
  }

  get(id: string): Cluster | undefined {
    return this.#clusters.get(id);
  }

  ids(): string[] {
    return [...this.#clusters.keys()];
  }

  /** Stops and unmounts a cluster; its in-flight watches end with their connections. */
  remove(id: string): boolean {
    const cluster = this.#clusters.get(id);
    if (cluster === undefined) return false;
    cluster.dispose();
    this.#clusters.delete(id);
    return true;
  }

  /** The server URL of a cluster, for a kubeconfig (after listen). */
  url(id: string): string {
    return `${this.#url}/clusters/${id}`;
  }

  #route(url: string | undefined): Cluster | undefined {
    const match = /^\/clusters\/([^/?]+)(?:[/?]|$)/.exec(url ?? '/');
    return match === null ? undefined : this.#clusters.get(match[1] ?? '');
  }

  /** Plain requests, for mounting the host in another server. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const cluster = this.#route(req.url);
    if (cluster === undefined) {
      req.resume();
      sendStatus(res, StatusError.pathNotFound());
      return;
    }
    cluster.handler(req, res);
  };

  /** Upgrades (exec and other streams), for Node's `'upgrade'` event. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const cluster = this.#route(req.url);
    if (cluster === undefined) {
      refuseUpgrade(socket, StatusError.pathNotFound());
      return;
    }
    cluster.handler.upgrade(req, socket, head);
  };

  listen(options: { host?: string; port?: number } = {}): Promise<string> {
    const host = options.host ?? '127.0.0.1';
    const server = createServer(this.handle);
    server.on('upgrade', this.upgrade);
    // Watches are long-lived; the server must not cut them off.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        this.#url = `http://${host}:${(server.address() as AddressInfo).port}`;
        resolve(this.#url);
      });
    });
  }

  /** Stops every cluster and the server. */
  async close(): Promise<void> {
    for (const id of this.ids()) this.remove(id);
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
