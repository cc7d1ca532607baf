// The `istioctl` command of the learner's shell: a just-bash custom command that runs
// runIstioctl with the shell's files, environment and stdin, reaching the cluster named by the
// same kubeconfig kubectl uses ($KUBECONFIG's first entry, else ~/.kube/config).
import { decodeBytesToUtf8, defineCommand, type Command } from 'just-bash';
import { kubeconfigPath } from '../kubectl/kubectl-command.ts';
import { runIstioctl, type IstioctlIo } from './run-istioctl.ts';

export interface IstioctlCommandOptions {
  /**
   * Where output goes while the command runs, when the shell shows it live (a lone
   * `istioctl install` at the prompt prints each component as it becomes ready); otherwise
   * output is returned when the command ends.
   */
  liveOutput?: (env: ReadonlyMap<string, string>) => { stdout(chunk: string): void; stderr(chunk: string): void } | undefined;
}

export function createIstioctlCommand(options: IstioctlCommandOptions = {}): Command {
  return defineCommand('istioctl', async (args, ctx) => {
    let stdout = '';
    let stderr = '';
    const resolve = (path: string): string => ctx.fs.resolvePath(ctx.cwd, path);
    let kubeconfig = '';
    try {
      kubeconfig = await ctx.fs.readFile(resolve(kubeconfigPath(ctx.env)), 'utf8');
    } catch {
      // No kubeconfig: commands that need the cluster say so; the others still work.
    }
    const live = options.liveOutput?.(ctx.env);
    const io: IstioctlIo = {
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
      async writeFile(path, text) {
        await ctx.fs.writeFile(resolve(path), text);
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
    if (live !== undefined) io.terminal = true;
    if (ctx.signal !== undefined) io.signal = ctx.signal;
    const exitCode = await runIstioctl(args, io);
    return { stdout, stderr, exitCode };
  });
}
