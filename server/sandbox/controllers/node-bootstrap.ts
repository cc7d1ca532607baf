import { asController, tolerant, type ControllerContext } from './controller-context.ts';

export interface NodeSpec {
  name: string;
  controlPlane: boolean;
  internalIP: string;
  podCIDR: string;
}

/** A kind-like topology: one tainted control plane and two workers. */
export const defaultNodes: readonly NodeSpec[] = [
  { name: 'sandbox-control-plane', controlPlane: true, internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
  { name: 'sandbox-worker', controlPlane: false, internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24' },
  { name: 'sandbox-worker2', controlPlane: false, internalIP: '172.18.0.4', podCIDR: '10.244.2.0/24' },
];

export function createNodes(context: ControllerContext, nodes: readonly NodeSpec[] = defaultNodes): void {
  const now = context.api.now();
  for (const node of nodes) {
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': node.name,
      'kubernetes.io/os': 'linux',
    };
    if (node.controlPlane) {
      labels['node-role.kubernetes.io/control-plane'] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    }
    const condition = (type: string, status: string, reason: string, message: string): Record<string, string> => ({
      lastHeartbeatTime: now, lastTransitionTime: now, message, reason, status, type,
    });
    const created = tolerant(() =>
      context.api.create(context.types.nodes, '', {
        metadata: { name: node.name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
        spec: {
          podCIDR: node.podCIDR,
          podCIDRs: [node.podCIDR],
          providerID: `kind://docker/sandbox/${node.name}`,
          ...(node.controlPlane ? { taints: [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }] } : {}),
        },
      }, asController('kubelet')),
    );
    if (created === undefined) continue;
    context.api.update(context.types.nodes, '', node.name, {
      ...created.object,
      status: {
        addresses: [{ address: node.internalIP, type: 'InternalIP' }, { address: node.name, type: 'Hostname' }],
        allocatable: { cpu: '8', 'ephemeral-storage': '102625208Ki', 'hugepages-2Mi': '0', memory: '16331400Ki', pods: '110' },
        capacity: { cpu: '8', 'ephemeral-storage': '102625208Ki', 'hugepages-2Mi': '0', memory: '16331400Ki', pods: '110' },
        conditions: [
          condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: context.rng.uid(),
          containerRuntimeVersion: 'containerd://1.7.24',
          kernelVersion: '6.8.0-1021-gcp',
          kubeProxyVersion: 'v1.32.0',
          kubeletVersion: 'v1.32.0',
          machineID: context.rng.hex(32),
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          systemUUID: context.rng.uid(),
        },
      },
    }, asController('kubelet'), 'status');
  }
}
