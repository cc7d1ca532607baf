import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Cluster } from './create-cluster.ts';

export interface ListeningCluster {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves one cluster on its own HTTP server (the sandbox CLI and tests). */
export function listenCluster(cluster: Cluster, options: { host?: string; port?: number } = {}): Promise<ListeningCluster> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer(cluster.handler);
  server.on('upgrade', cluster.handler.upgrade);
  // Watches are long-lived; the server must not cut them off.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
