// What a cluster client running as a shell command (kubectl, istioctl) takes from the shell:
// stdin, environment, working directory, the kubeconfig and files read through the shell's
// filesystem, and output collected for the shell or written live to the terminal.
import { decodeBytesToUtf8, type CommandContext } from 'just-bash';

export interface LiveWriter {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** Where a lone command's output goes while it runs, when the shell shows it live. */
export type LiveOutput = (env: ReadonlyMap<string, string>) => LiveWriter | undefined;

/** The kubeconfig kubectl reads: the first entry of $KUBECONFIG, else ~/.kube/config. */
export function kubeconfigPath(env: ReadonlyMap<string, string>): string {
  const listed = env.get('KUBECONFIG')?.split(':').find((entry) => entry !== '');
  if (listed !== undefined) return listed;
  return `${env.get('HOME') ?? '/root'}/.kube/config`;
}

export interface ShellCommandIo {
  stdin: string;
  env: Record<string, string>;
  cwd: string;
  kubeconfig: string;
  readFile(path: string): Promise<string | undefined>;
  listDir(path: string): Promise<string[] | undefined>;
  stdout(chunk: string): void;
  stderr(chunk: string): void;
  signal?: AbortSignal;
}

export interface ShellCommandIoParts {
  io: ShellCommandIo;
  /** Absolute path of the kubeconfig file the command read (and may write back). */
  kubeconfigFile: string;
  /** A path as the shell resolves it from the working directory. */
  resolve(path: string): string;
  /** Output collected so far (empty for what went to the terminal live). */
  collected(): { stdout: string; stderr: string };
  /** Whether output goes to the terminal as it comes. */
  live: boolean;
}

export async function shellCommandIo(ctx: CommandContext, liveOutput: LiveOutput | undefined): Promise<ShellCommandIoParts> {
  let stdout = '';
  let stderr = '';
  const resolve = (path: string): string => ctx.fs.resolvePath(ctx.cwd, path);
  const kubeconfigFile = resolve(kubeconfigPath(ctx.env));
  let kubeconfig = '';
  try {
    kubeconfig = await ctx.fs.readFile(kubeconfigFile, 'utf8');
  } catch {
    // No kubeconfig: the command answers as the real one does without one.
  }
  const live = liveOutput?.(ctx.env);
  const io: ShellCommandIo = {
    stdin: decodeBytesToUtf8(ctx.stdin),
    env: Object.fromEntries(ctx.env),
    cwd: ctx.cwd,
    kubeconfig,
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
  return { io, kubeconfigFile, resolve, collected: () => ({ stdout, stderr }), live: live !== undefined };
}
