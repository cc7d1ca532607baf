import { createSystemClock, type Clock } from '../core/clock.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { DEFAULT_CLUSTER_LIMITS, type ClusterLimits } from '../core/cluster-limits.ts';
import { ClusterApi, type ApiSnapshot } from '../api-server/cluster-api.ts';
import { createApiHandler, type ApiHandler, type ServerVersion } from '../api-server/http-handler.ts';
import type { ExecHandler } from '../api-server/pod-exec.ts';
import type { PortForwardHandler } from '../api-server/pod-portforward.ts';
import { ObjectStore } from '../api-server/object-store.ts';
import type { PodLogSource } from '../api-server/pod-logs.ts';
import type { UserInfo } from '../api-server/rbac-authorizer.ts';
import type { ProfileName } from '../controllers/profiles.ts';
import { createDefaultRbac } from './default-rbac.ts';
import { startControllers, type RunningControllers } from '../controllers/start-controllers.ts';
import { startIstioControlPlane } from '../istio/control-plane/istiod/start-istio-control-plane.ts';

/** A cluster's whole state as plain JSON (see Cluster.snapshot). */
export interface ClusterSnapshot {
  format: 'mesh-academy-cluster/v1';
  api: ApiSnapshot;
  rng: number[];
}

export interface ClusterOptions {
  /** Start from a snapshot instead of an empty cluster (the seed is then ignored). */
  restore?: ClusterSnapshot;
  clock?: Clock;
  /** Seed for generated names, uids and IPs. */
  seed?: string | number;
  rng?: Rng;
  version?: ServerVersion;
  /** Path the handler is mounted under (`/clusters/abc`). */
  pathPrefix?: string;
  /** Bearer token → superuser name (or full user info); when omitted the cluster accepts anonymous requests. */
  tokens?: ReadonlyMap<string, string | UserInfo>;
  /** Who requests without credentials act as (see ApiHandlerOptions.anonymousUser). */
  anonymousUser?: string;
  /** Limits (defaults: DEFAULT_CLUSTER_LIMITS): stored objects (429), body bytes (413), concurrent watches (429), request rate (429 + Retry-After; 0 = off). */
  maxObjects?: number;
  maxBodyBytes?: number;
  maxWatches?: number;
  requestsPerSecond?: number;
  requestBurst?: number;
  /** Container output for `kubectl logs`. */
  podLogs?: PodLogSource;
  /** Runs `kubectl exec` commands. */
  exec?: ExecHandler;
  /** Connects `kubectl port-forward` to pod ports. */
  portForward?: PortForwardHandler;
  /** Joins a container's own process for `kubectl attach` (and `kubectl run -it`). */
  attach?: ExecHandler;
  /** Controller timings; `none` serves the API without any controllers. Default `realistic`. */
  profile?: ProfileName | 'none';
  /** Controller failures (the library itself never logs). */
  onControllerError?: (key: string, error: unknown) => void;
}

export interface Cluster {
  readonly api: ClusterApi;
  /** The REST surface as `(req, res) => void`, with `.upgrade(req, socket, head)` for exec. */
  readonly handler: ApiHandler;
  /** The running controllers, or undefined with profile `none`. */
  readonly controllers: RunningControllers | undefined;
  /** Objects, resourceVersions, generator state and allocations; JSON-serialisable. */
  snapshot(): ClusterSnapshot;
  dispose(): void;
}

/** The `kubernetes` Service every cluster has, pointing at the API server itself. */
function bootstrapApiService(api: ClusterApi): void {
  const manager = { fieldManager: 'kube-apiserver' };
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const ports = [{ name: 'https', port: 6443, protocol: 'TCP' }];
  api.create(api.resource('', 'v1', 'services'), 'default', {
    metadata: { name: 'kubernetes', labels },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  }, manager);
  api.create(api.resource('', 'v1', 'endpoints'), 'default', { metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports }] }, manager);
  api.create(api.resource('discovery.k8s.io', 'v1', 'endpointslices'), 'default', {
    metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['172.18.0.2'], conditions: { ready: true } }],
    ports,
  }, manager);
}

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** One emulated cluster: storage, API and the namespaces every cluster starts with. */
export function createCluster(options: ClusterOptions = {}): Cluster {
  const clock = options.clock ?? createSystemClock();
  const restore = options.restore;
  if (restore !== undefined && restore.format !== 'mesh-academy-cluster/v1') throw new Error(`unknown cluster snapshot format ${String(restore.format)}`);
  const rng = options.rng ?? createRng(options.seed ?? 'mesh-academy', restore?.rng);
  const limits: ClusterLimits = { ...DEFAULT_CLUSTER_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof ClusterLimits>) {
    const value = options[key];
    if (value !== undefined) limits[key] = value;
  }
  const store = new ObjectStore({ maxObjects: limits.maxObjects });
  const api = new ClusterApi({ clock, rng, store });
  if (restore !== undefined) {
    api.restore(restore.api);
  } else {
    for (const name of SYSTEM_NAMESPACES) {
      api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name } }, { fieldManager: 'kube-apiserver' });
    }
    bootstrapApiService(api);
    createDefaultRbac(api);
  }
  const profile = options.profile ?? 'realistic';
  const controllers = profile === 'none' ? undefined : startControllers(api, { profile, rng, ...(options.onControllerError === undefined ? {} : { onError: options.onControllerError }) });
  // istiod runs as a pod, so without controllers there is no control plane to emulate either.
  const istio = profile === 'none' ? undefined : startIstioControlPlane(api, options.onControllerError === undefined ? {} : { onError: options.onControllerError });
  const handlerOptions: Parameters<typeof createApiHandler>[0] = { api };
  if (options.version !== undefined) handlerOptions.version = options.version;
  if (options.pathPrefix !== undefined) handlerOptions.pathPrefix = options.pathPrefix;
  if (options.tokens !== undefined) handlerOptions.tokens = options.tokens;
  if (options.anonymousUser !== undefined) handlerOptions.anonymousUser = options.anonymousUser;
  handlerOptions.maxBodyBytes = limits.maxBodyBytes;
  handlerOptions.maxWatches = limits.maxWatches;
  handlerOptions.requestsPerSecond = limits.requestsPerSecond;
  handlerOptions.requestBurst = limits.requestBurst;
  if (options.podLogs !== undefined) handlerOptions.podLogs = options.podLogs;
  if (options.exec !== undefined) handlerOptions.exec = options.exec;
  if (options.portForward !== undefined) handlerOptions.portForward = options.portForward;
  if (options.attach !== undefined) handlerOptions.attach = options.attach;
  const handler = createApiHandler(handlerOptions);
  return {
    api,
    handler,
    controllers,
    snapshot: () => ({ format: 'mesh-academy-cluster/v1', api: api.snapshot(), rng: rng.state() }),
    dispose() {
      controllers?.stop();
      istio?.stop();
    },
  };
}
