import type { ClusterApi } from '../api-server/cluster-api.ts';
import type { Rng } from '../core/rng.ts';
import { contextTypes, type ControllerContext } from './controller-context.ts';
import { cronJobController } from './cronjob-controller.ts';
import { daemonSetController } from './daemonset-controller.ts';
import { deploymentController } from './deployment-controller.ts';
import { disruptionController } from './disruption-controller.ts';
import { endpointsController } from './endpoints-controller.ts';
import { expireStoredEvents } from './event-recorder.ts';
import { garbageCollector } from './garbage-collector.ts';
import { hpaController } from './hpa-controller.ts';
import { jobController } from './job-controller.ts';
import { loadBalancerController } from './load-balancer-controller.ts';
import { namespaceController } from './namespace-controller.ts';
import { createNodes, defaultNodes, type NodeSpec } from './node-bootstrap.ts';
import { podLifecycle } from './pod-lifecycle.ts';
import { profiles, type ProfileName } from './profiles.ts';
import { replicaSetController } from './replicaset-controller.ts';
import { resourceQuotaController } from './resource-quota-controller.ts';
import { statefulSetController } from './statefulset-controller.ts';
import { WorkQueue } from './work-queue.ts';

export interface ControllerOptions {
  profile: ProfileName;
  rng: Rng;
  nodes?: readonly NodeSpec[];
  /** Reports a controller failure (the library never logs on its own). */
  onError?: (key: string, error: unknown) => void;
}

export interface RunningControllers {
  readonly queue: WorkQueue;
  stop(): void;
}

/** Starts the simulated control plane: nodes, scheduler + kubelet stages and the controllers. */
export function startControllers(api: ClusterApi, options: ControllerOptions): RunningControllers {
  const queue = new WorkQueue(api.clock, options.onError ?? (() => {}));
  const context: ControllerContext = { api, rng: options.rng, profile: profiles[options.profile], queue, types: contextTypes(api) };
  const nodes = options.nodes ?? defaultNodes;
  const handlers = [
    namespaceController(context),
    garbageCollector(context),
    deploymentController(context),
    replicaSetController(context),
    jobController(context),
    daemonSetController(context),
    statefulSetController(context),
    podLifecycle(context, nodes),
    endpointsController(context),
    loadBalancerController(context),
    resourceQuotaController(context),
    cronJobController(context),
    hpaController(context),
    disruptionController(context),
  ];
  // Events from before the start (a restored snapshot) expire on their original schedule.
  expireStoredEvents(context);
  const unsubscribe = api.onChange((change, type) => {
    for (const handler of handlers) handler(change, type);
  });
  createNodes(context, nodes);
  // Catch up on what existed before the controllers started.
  for (const type of api.registry.all()) {
    if (api.registry.byStorageKey(type.storageKey)[0] !== type) continue;
    for (const object of api.store.list(type.storageKey)) {
      const metadata = (object.metadata ?? {}) as Record<string, unknown>;
      const change = { type: 'ADDED' as const, storageKey: type.storageKey, namespace: String(metadata.namespace ?? ''), name: String(metadata.name ?? ''), resourceVersion: 0, object, oldObject: undefined };
      for (const handler of handlers) handler(change, type);
    }
  }
  return {
    queue,
    stop() {
      unsubscribe();
      queue.stop();
    },
  };
}
