// An emulated cluster (instant pod lifecycle) served on 127.0.0.1:0, and helpers that run
// istioctl and kubectl against it the way the shell does, capturing what they print.
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../cluster/listen-cluster.ts';
import { runKubectl } from '../kubectl/run-kubectl.ts';
import { runIstioctl, type IstioctlIo } from './run-istioctl.ts';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface TestCluster {
  cluster: Cluster;
  istioctl(args: string, options?: { stdin?: string; files?: Record<string, string> }): Promise<CommandResult>;
  kubectl(args: string, options?: { stdin?: string; files?: Record<string, string> }): Promise<CommandResult>;
  close(): Promise<void>;
}

export async function startTestCluster(seed: string): Promise<TestCluster> {
  const cluster = createCluster({ profile: 'instant', seed, anonymousUser: 'admin' });
  const server: ListeningCluster = await listenCluster(cluster, { port: 0 });
  const kubeconfig = renderKubeconfig({ server: server.url, token: 'unused' });
  const run = async (tool: typeof runIstioctl, args: string, options: { stdin?: string; files?: Record<string, string> } = {}): Promise<CommandResult> => {
    let stdout = '';
    let stderr = '';
    const files = options.files ?? {};
    const written: Record<string, string> = {};
    const io: IstioctlIo = {
      stdin: options.stdin ?? '',
      env: {},
      cwd: '/home/learner',
      kubeconfig,
      readFile: async (path) => written[path] ?? files[path],
      writeFile: async (path, text) => {
        written[path] = text;
      },
      stdout: (chunk) => {
        stdout += chunk;
      },
      stderr: (chunk) => {
        stderr += chunk;
      },
    };
    const exitCode = await tool(args.split(' ').filter((word) => word !== ''), io);
    return { stdout, stderr, exitCode };
  };
  return {
    cluster,
    istioctl: (args, options) => run(runIstioctl, args, options),
    kubectl: (args, options) => run(runKubectl, args, options),
    async close() {
      cluster.dispose();
      await server.close();
    },
  };
}
