// Starts an emulated cluster on a free port and runs the real kubectl against it, with a
// fresh HOME (and so a fresh discovery cache) per harness.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster, type Cluster, type ClusterOptions } from '../../server/sandbox/cluster/create-cluster.ts';
import { renderKubeconfig } from '../../server/sandbox/cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../../server/sandbox/cluster/listen-cluster.ts';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface KubectlHarness {
  cluster: Cluster;
  server: ListeningCluster;
  dir: string;
  kubeconfig: string;
  kubectl(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  close(): Promise<void>;
}

/** Fails (never skips) when kubectl is missing, saying how to get one. */
export function requireKubectl(): void {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      'These tests drive the real kubectl, which was not found on PATH. Install one, e.g. `apt-get install kubernetes-client` (Debian/Ubuntu), `brew install kubectl`, or download it from https://kubernetes.io/docs/tasks/tools/.',
    );
  }
}

export async function startKubectlHarness(options: ClusterOptions = {}): Promise<KubectlHarness> {
  requireKubectl();
  const dir = mkdtempSync(join(tmpdir(), 'mesh-academy-kubectl-'));
  const token = 'test-admin-token';
  const cluster = createCluster({ tokens: new Map([[token, 'admin']]), anonymousUser: 'admin', profile: 'instant', ...options });
  const server = await listenCluster(cluster, { port: 0 });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, renderKubeconfig({ server: server.url, token }));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfig, LANG: 'C.UTF-8' };
  return {
    cluster,
    server,
    dir,
    kubeconfig,
    kubectl(args, runOptions = {}) {
      return new Promise((resolve) => {
        const child = execFile('kubectl', args, { env, timeout: runOptions.timeoutMs ?? 15_000, encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ stdout, stderr, code });
        });
        if (runOptions.input !== undefined) child.stdin?.end(runOptions.input);
        else child.stdin?.end();
      });
    },
    async close() {
      cluster.dispose();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Splits a kubectl table into rows of cells (columns separated by 2+ spaces). */
export function tableRows(output: string): string[][] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s{2,}/));
}
