// What makes a cluster's workloads answer: one data plane over the cluster's live objects,
// and the kubelet-side handlers `createCluster` takes for `kubectl port-forward` and `exec`.
import type { ClusterApi } from '../api-server/cluster-api.ts';
import type { ExecHandler } from '../api-server/pod-exec.ts';
import type { PodLogSource } from '../api-server/pod-logs.ts';
import type { PortForwardHandler } from '../api-server/pod-portforward.ts';
import type { Clock } from '../core/clock.ts';
import type { JsonObject } from '../core/json-object.ts';
import { createRng, type Rng } from '../core/rng.ts';
import { createDataPlane, type DataPlane } from '../istio/data-plane/create-data-plane.ts';
import { watchClusterObjects } from './cluster-objects.ts';
import { createPodLogSource } from './pod-log-source.ts';
import { createPodPortForward } from './pod-port-forward.ts';
import { createPodShell } from './pod-shell.ts';

export interface WorkloadRuntimeOptions {
  /** The same clock the cluster runs on (pass it to createCluster too). */
  clock: Clock;
  /** Load-balancing and retry jitter; a separate stream from the cluster's so names stay stable. */
  rng?: Rng;
}

export interface WorkloadRuntime {
  readonly plane: DataPlane;
  readonly portForward: PortForwardHandler;
  /** `kubectl exec`: runs the command in a small shell whose curl sends through the plane. */
  readonly exec: ExecHandler;
  /** `kubectl logs`: pass as createCluster's `podLogs`; istio-proxy prints its access log. */
  readonly podLogs: PodLogSource;
  /** Binds the runtime to the cluster's API once it exists (handlers answer nothing before). */
  attach(api: ClusterApi): void;
  dispose(): void;
}

/**
 * The handlers exist before the cluster (createCluster takes them as options); `attach` then
 * points them at the cluster's API.
 */
export function createWorkloadRuntime(options: WorkloadRuntimeOptions): WorkloadRuntime {
  let bound: { api: ClusterApi; objects: ReturnType<typeof watchClusterObjects> } | undefined;
  const objects = (): readonly JsonObject[] => bound?.objects.current() ?? [];
  const { clock } = options;
  const plane = createDataPlane({ objects, clock, rng: options.rng ?? createRng('workloads') });
  const portForward = createPodPortForward({ plane, clock, objects });
  const exec = createPodShell({ plane, objects });
  return {
    plane,
    portForward,
    exec,
    podLogs: createPodLogSource(plane),
    attach(api) {
      bound?.objects.dispose();
      bound = { api, objects: watchClusterObjects(api) };
    },
    dispose() {
      bound?.objects.dispose();
      bound = undefined;
    },
  };
}
