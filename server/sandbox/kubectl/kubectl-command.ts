// The `kubectl` command of the learner's shell: a just-bash custom command that runs
// runKubectl with the shell's files, environment and stdin. The kubeconfig is the file
// named by $KUBECONFIG (first entry), else ~/.kube/config, as for the real kubectl.
import { decodeBytesToUtf8, defineCommand, type Command } from 'just-bash';
import { runKubectl, type KubectlIo } from './run-kubectl.ts';

export function kubeconfigPath(env: ReadonlyMap<string, string>): string {
  const listed = env.get('KUBECONFIG')?.split(':').find((entry) => entry !== '');
  if (listed !== undefined) return listed;
  return `${env.get('HOME') ?? '/root'}/.kube/config`;
}

export interface KubectlCommandOptions {
  /**
   * Where output goes while the command runs, when the shell shows it live (a lone
   * `kubectl get -w` at the prompt); otherwise output is returned when the command ends.
   */
  liveOutput?: (env: ReadonlyMap<string, string>) => { stdout(chunk: string): void; stderr(chunk: string): void } | undefined;
  /** Every HTTP request of the command (see KubectlIo.fetch): confines kubectl to the shell's cluster. */
  fetch?: typeof fetch;
  /** Opens exec's WebSocket (see KubectlIo.connect). */
  connect?: KubectlIo['connect'];
}

export function createKubectlCommand(options: KubectlCommandOptions = {}): Command {
  // Discovery is remembered for the life of the shell, as kubectl keeps ~/.kube/cache.
  const discoveryCache: NonNullable<Parameters<typeof runKubectl>[1]['discoveryCache']> = new Map();
  return defineCommand('kubectl', async (args, ctx) => {
    let stdout = '';
    let stderr = '';
    const resolve = (path: string): string => ctx.fs.resolvePath(ctx.cwd, path);
    const configFile = resolve(kubeconfigPath(ctx.env));
    let kubeconfig = '';
    try {
      kubeconfig = await ctx.fs.readFile(configFile, 'utf8');
    } catch {
      // No kubeconfig: runKubectl answers as kubectl does without one.
    }
    const live = options.liveOutput?.(ctx.env);
    const env: Record<string, string> = Object.fromEntries(ctx.env);
    const io: Parameters<typeof runKubectl>[1] = {
      stdin: decodeBytesToUtf8(ctx.stdin),
      env,
      cwd: ctx.cwd,
      kubeconfig,
      discoveryCache,
      async readFile(path) {
        try {
          return await ctx.fs.readFile(resolve(path), 'utf8');
        } catch {
          return undefined;
        }
      },
      async listDir(path) {
        try {
          const full = resolve(path);
          if (!(await ctx.fs.stat(full)).isDirectory) return undefined;
          return await ctx.fs.readdir(full);
        } catch {
          return undefined;
        }
      },
      async writeKubeconfig(text) {
        await ctx.fs.writeFile(configFile, text);
      },
      stdout(chunk) {
        if (live !== undefined) live.stdout(chunk);
        else stdout += chunk;
      },
      stderr(chunk) {
        if (live !== undefined) live.stderr(chunk);
        else stderr += chunk;
      },
    };
    if (ctx.signal !== undefined) io.signal = ctx.signal;
    if (options.fetch !== undefined) io.fetch = options.fetch;
    if (options.connect !== undefined) io.connect = options.connect;
    const exitCode = await runKubectl(args, io);
    return { stdout, stderr, exitCode };
  });
}
