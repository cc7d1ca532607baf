// The WebSocket side of `kubectl exec`: client-node's Exec speaks the channel protocol over
// whatever socket this opens, so the shell's injected `connect` decides where exec may go.
import type { KubeConfig } from '@kubernetes/client-node';
import { WebSocket, type ClientOptions } from 'ws';
import { statusError } from './api-client.ts';

/** The subprotocols client-go offers, newest first. */
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

export type SocketConnect = (url: string, protocols: string[], options: ClientOptions) => WebSocket;

/** Structurally client-node's WebSocketInterface (not exported by the package). */
export interface ExecSocketOpener {
  connect(path: string, textHandler: ((text: string) => boolean) | null, binaryHandler: ((stream: number, buffer: Buffer) => boolean) | null): Promise<WebSocket>;
}

/** `headers` are sent with the upgrade too (`--as` impersonation). */
export function execSocketOpener(config: KubeConfig, connect: SocketConnect | undefined, headers: Record<string, string> = {}): ExecSocketOpener {
  const open: SocketConnect = connect ?? ((url, protocols, options) => new WebSocket(url, protocols, options));
  return {
    async connect(path, textHandler, binaryHandler) {
      const server = config.getCurrentCluster()?.server;
      if (server === undefined) throw new Error('No cluster is defined.');
      const url = `${server.replace(/^http/, 'ws')}${path}`;
      const options: ClientOptions = {};
      await config.applyToHTTPSOptions(options);
      if (Object.keys(headers).length > 0) options.headers = { ...(options.headers ?? {}), ...headers };
      return new Promise<WebSocket>((resolve, reject) => {
        const socket = open(url, PROTOCOLS, options);
        let opened = false;
        socket.on('open', () => {
          opened = true;
          resolve(socket);
        });
        socket.on('error', (error) => {
          if (!opened) reject(error);
        });
        // A refused upgrade carries the API server's Status, which kubectl prints as it is.
        socket.on('unexpected-response', (_request, response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => reject(statusError({ status: response.statusCode ?? 500, text, warnings: [] })));
        });
        socket.on('message', (data: Buffer, isBinary: boolean) => {
          if (!isBinary) {
            if (textHandler !== null && !textHandler(data.toString('utf8'))) socket.close();
            return;
          }
          const stream = data.readUInt8(0);
          if (binaryHandler !== null && !binaryHandler(stream, data.subarray(1))) socket.close();
        });
      });
    },
  };
}
