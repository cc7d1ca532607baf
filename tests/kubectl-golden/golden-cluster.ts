// One emulated cluster on frozen virtual time for the kubectl golden corpus: the real kubectl
// (fresh HOME and kubeconfig) and the learner shell's kubectl see exactly the same state and
// the same ages. Ours runs as a learner types it: a command line parsed by the shell, the
// kubectl command reading its kubeconfig, files and stdin through the shell.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecHandler } from '../../server/sandbox/api-server/pod-exec.ts';
import { ManualClock } from '../../server/sandbox/core/manual-clock.ts';
import { createCluster, type Cluster } from '../../server/sandbox/cluster/create-cluster.ts';
import { renderKubeconfig } from '../../server/sandbox/cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../../server/sandbox/cluster/listen-cluster.ts';
import { Bash, MountableFs, ReadWriteFs } from 'just-bash';
import { istioSamplesDir } from '../support/istio-samples.ts';
import { createKubectlCommand } from '../../server/sandbox/kubectl/kubectl-command.ts';

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GoldenCluster {
  cluster: Cluster;
  clock: ManualClock;
  kubeconfig: string;
  /** The real kubectl binary. */
  real(args: readonly string[], stdin?: string): Promise<Outcome>;
  /** Our kubectl, as the command of a shell in this process. */
  ours(args: readonly string[], stdin?: string): Promise<Outcome>;
  /** Lets instant-profile controllers finish, then moves virtual time on by `ms`. */
  settle(ms?: number): Promise<void>;
  close(): Promise<void>;
}

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

/**
 * A few container commands, so exec output, stdin and exit codes can be compared:
 * `echo`, `cat` (stdin to stdout), `warn` (arguments to stderr) and `sh -c 'exit N'`.
 */
const exec: ExecHandler = async (request, streams) => {
  const [program, ...args] = request.command;
  switch (program) {
    case 'echo':
      streams.stdout(`${args.join(' ')}\n`);
      return 0;
    case 'warn':
      streams.stderr(`${args.join(' ')}\n`);
      return 0;
    case 'sh': {
      const match = /^exit (\d+)$/.exec(args[1] ?? '');
      return match === null ? 2 : Number(match[1]);
    }
    case 'cat':
      if (!request.stdin) return 0;
      return new Promise<number>((resolve) => {
        streams.onStdin((data) => streams.stdout(data));
        streams.onStdinEnd(() => resolve(0));
        streams.signal.addEventListener('abort', () => resolve(0), { once: true });
      });
    default:
      streams.stderr(`${program ?? ''}: not found\n`);
      return 127;
  }
};

export async function startGoldenCluster(cwd: string): Promise<GoldenCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mesh-academy-kubectl-golden-'));
  const clock = new ManualClock(START);
  const token = 'golden-admin-token';
  // The corpus runs many clients at once; the per-sandbox request limit is not under test here.
  const cluster = createCluster({ clock, seed: 'kubectl-golden', tokens: new Map([[token, 'admin']]), anonymousUser: 'admin', profile: 'instant', requestsPerSecond: 100_000, exec });
  const server: ListeningCluster = await listenCluster(cluster, { port: 0 });
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, renderKubeconfig({ server: server.url, token }));
  // Timers due now fire while a command runs, so instant-profile work completes, but virtual
  // time never moves during a command: ages are the same for both clients.
  const ticker = setInterval(() => clock.advance(0), 2);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG: kubeconfigPath, LANG: 'C.UTF-8' };
  // The shell sees the corpus folder, the Istio samples and this cluster's home from the real
  // filesystem, so both
  // clients read the same fixtures and kubeconfig; everything else is the shell's own. One
  // kubectl command for the whole corpus keeps its discovery cache, as a learner's does.
  const shell = new Bash({
    fs: new MountableFs({
      mounts: [
        { mountPoint: cwd, filesystem: new ReadWriteFs({ root: cwd }) },
        { mountPoint: dir, filesystem: new ReadWriteFs({ root: dir }) },
        ...(existsSync(istioSamplesDir) ? [{ mountPoint: istioSamplesDir, filesystem: new ReadWriteFs({ root: istioSamplesDir }) }] : []),
      ],
    }),
    cwd,
    env: { HOME: dir, KUBECONFIG: kubeconfigPath, PATH: '/usr/local/bin:/usr/bin:/bin' },
    customCommands: [createKubectlCommand()],
    executionLimits: { maxOutputSize: 64 * 1024 * 1024 },
  });
  return {
    cluster,
    clock,
    get kubeconfig() {
      return readFileSync(kubeconfigPath, 'utf8');
    },
    real(args, stdin) {
      return new Promise((done) => {
        const child = execFile('kubectl', [...args], { cwd, env, timeout: 20_000, encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          done({ stdout, stderr, code });
        });
        child.stdin?.end(stdin ?? '');
      });
    },
    async ours(args, stdin) {
      // The same limit the real kubectl gets, so a hang fails one entry instead of the suite.
      const signal = AbortSignal.timeout(20_000);
      const line = ['kubectl', ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
      const result = await shell.exec(line, { cwd, signal, ...(stdin !== undefined ? { stdin } : {}) });
      return { stdout: result.stdout, stderr: result.stderr, code: result.exitCode };
    },
    async settle(ms = 0) {
      for (let round = 0; round < 20; round++) {
        clock.advance(0);
        await new Promise((next) => setTimeout(next, 5));
      }
      clock.advance(ms);
      await new Promise((next) => setTimeout(next, 5));
    },
    async close() {
      clearInterval(ticker);
      cluster.dispose();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
