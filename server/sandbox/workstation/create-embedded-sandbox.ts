// One learner's embedded sandbox, whole: an emulated cluster served by a ClusterHost, the
// workloads that make its pods answer, and the workstation pod whose shell the learner
// types into. The shell reaches the cluster as any client would, over HTTP with its
// ServiceAccount's token, and nothing else on the network.
import { randomBytes } from 'node:crypto';
import type { ClusterHost } from '../cluster/cluster-host.ts';
import type { Cluster, ClusterOptions } from '../cluster/create-cluster.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { createSystemClock, type Clock } from '../core/clock.ts';
import type { HttpResponse } from '../istio/data-plane/create-data-plane.ts';
import type { ProfileName } from '../controllers/profiles.ts';
import { createLearnerShell, type LearnerShell } from '../shell/learner-shell.ts';
import type { ShellOptionsInput } from '../shell/shell-options.ts';
import { toWireResult, type WorkstationNetwork } from '../shell/workstation-network.ts';
import { createWorkloadRuntime, type WorkloadRuntime } from '../workloads/workload-runtime.ts';
import { previewThroughIngress, type PreviewRequest } from './ingress-preview.ts';
import { provisionWorkstation, WORKSTATION } from './provision-workstation.ts';
import { createToolboxExec } from './toolbox-exec.ts';
import { createWorkstationExec } from './workstation-exec.ts';

export interface EmbeddedSandboxOptions {
  /** Serves the cluster; must already be listening (its address goes into the kubeconfig). */
  host: ClusterHost;
  /** The cluster's id on the host (a DNS label). */
  id: string;
  profile?: ProfileName;
  seed?: string;
  clock?: Clock;
  shell?: ShellOptionsInput;
  /** Folder copied to `~/samples/`. */
  samplesDir?: string;
  onControllerError?: ClusterOptions['onControllerError'];
}

export interface EmbeddedSandbox {
  readonly id: string;
  readonly cluster: Cluster;
  readonly workloads: WorkloadRuntime;
  readonly shell: LearnerShell;
  /** The API server's address, as kubeconfigs name it. */
  readonly server: string;
  /** A kubeconfig for the cluster's admin (checks, or the real kubectl from outside). */
  readonly adminKubeconfig: string;
  /** The kubeconfig in the workstation's `~/.kube/config` (the learner's ServiceAccount). */
  readonly learnerKubeconfig: string;
  /** A page from the ingress gateway, fetched as a browser outside the cluster would. */
  preview(request: PreviewRequest, signal?: AbortSignal): Promise<HttpResponse>;
  dispose(): Promise<void>;
}

export async function createEmbeddedSandbox(options: EmbeddedSandboxOptions): Promise<EmbeddedSandbox> {
  const { host, id } = options;
  const clock = options.clock ?? createSystemClock();
  const workloads = createWorkloadRuntime({ clock });
  let shell: LearnerShell | undefined;
  const adminToken = randomBytes(24).toString('base64url');
  const server = host.url(id);
  const address = new URL(server);
  // Pods of the toolbox image elsewhere (the cluster provider's learner workstations) get shells too.
  const toolbox = createToolboxExec({
    api: () => cluster.api,
    allowedEndpoints: [{ host: address.hostname, port: Number(address.port) }],
    network: (namespace) => async (request, signal) => toWireResult(await workloads.plane.send({ ...request, fromWorkstation: { namespace }, signal })),
    ...(options.samplesDir !== undefined ? { samplesDir: options.samplesDir } : {}),
    others: workloads.exec,
  });
  const cluster = host.create(id, {
    clock,
    profile: options.profile ?? 'realistic',
    seed: options.seed ?? randomBytes(8).toString('hex'),
    tokens: new Map([[adminToken, 'admin']]),
    exec: createWorkstationExec(() => shell, toolbox.exec),
    portForward: workloads.portForward,
    podLogs: workloads.podLogs,
    ...(options.onControllerError !== undefined ? { onControllerError: options.onControllerError } : {}),
  });
  workloads.attach(cluster.api);
  try {
    const learnerToken = provisionWorkstation(cluster.api);
    const learnerKubeconfig = renderKubeconfig({ server, token: learnerToken, name: 'mesh-academy', user: 'learner' });
    const adminKubeconfig = renderKubeconfig({ server, token: adminToken, name: 'mesh-academy' });
    const network: WorkstationNetwork = async (request, signal) =>
      toWireResult(await workloads.plane.send({ ...request, fromWorkstation: { namespace: WORKSTATION.namespace }, signal }));
    const home = options.shell?.home ?? '/home/learner';
    shell = await createLearnerShell({
      ...(options.shell !== undefined ? { options: options.shell } : {}),
      ...(options.samplesDir !== undefined ? { samplesDir: options.samplesDir } : {}),
      files: { [`${home}/.kube/config`]: learnerKubeconfig },
      allowedEndpoints: [{ host: address.hostname, port: Number(address.port) }],
      network,
    });
    const learnerShell = shell;
    return {
      id,
      cluster,
      workloads,
      shell: learnerShell,
      server,
      adminKubeconfig,
      learnerKubeconfig,
      preview(request, signal) {
        const services = cluster.api.list(cluster.api.resource('', 'v1', 'services'), undefined).items;
        return previewThroughIngress(workloads.plane, services, request, signal);
      },
      async dispose() {
        await learnerShell.host.dispose();
        await toolbox.dispose();
        workloads.dispose();
        host.remove(id);
      },
    };
  } catch (error) {
    await toolbox.dispose();
    workloads.dispose();
    host.remove(id);
    throw error;
  }
}
