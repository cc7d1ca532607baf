import { createSystemClock, type Clock } from '../core/clock.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { ClusterApi } from '../api-server/cluster-api.ts';
import { createApiHandler, type RequestHandler, type ServerVersion } from '../api-server/http-handler.ts';
import { ObjectStore } from '../api-server/object-store.ts';

export interface ClusterOptions {
  clock?: Clock;
  /** Seed for generated names, uids and IPs. */
  seed?: string | number;
  rng?: Rng;
  version?: ServerVersion;
  /** Path the handler is mounted under (`/clusters/abc`). */
  pathPrefix?: string;
  /** Bearer token → user; when omitted the cluster accepts anonymous requests. */
  tokens?: ReadonlyMap<string, string>;
  /** Who requests without credentials act as (see ApiHandlerOptions.anonymousUser). */
  anonymousUser?: string;
  maxObjects?: number;
  maxBodyBytes?: number;
}

export interface Cluster {
  readonly api: ClusterApi;
  /** The REST surface as `(req, res) => void`. */
  readonly handler: RequestHandler;
  dispose(): void;
}

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** One emulated cluster: storage, API and the namespaces every cluster starts with. */
export function createCluster(options: ClusterOptions = {}): Cluster {
  const clock = options.clock ?? createSystemClock();
  const rng = options.rng ?? createRng(options.seed ?? 'mesh-academy');
  const store = new ObjectStore(options.maxObjects === undefined ? {} : { maxObjects: options.maxObjects });
  const api = new ClusterApi({ clock, rng, store });
  for (const name of SYSTEM_NAMESPACES) {
    api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name } }, { fieldManager: 'kube-apiserver' });
  }
  const handlerOptions: Parameters<typeof createApiHandler>[0] = { api };
  if (options.version !== undefined) handlerOptions.version = options.version;
  if (options.pathPrefix !== undefined) handlerOptions.pathPrefix = options.pathPrefix;
  if (options.tokens !== undefined) handlerOptions.tokens = options.tokens;
  if (options.anonymousUser !== undefined) handlerOptions.anonymousUser = options.anonymousUser;
  if (options.maxBodyBytes !== undefined) handlerOptions.maxBodyBytes = options.maxBodyBytes;
  const handler = createApiHandler(handlerOptions);
  return {
    api,
    handler,
    dispose() {},
  };
}
