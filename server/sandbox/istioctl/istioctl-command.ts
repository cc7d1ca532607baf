// The `istioctl` command of the learner's shell: a just-bash custom command that runs
// runIstioctl with the shell's files, environment and stdin, reaching the cluster named by the
// same kubeconfig kubectl uses ($KUBECONFIG's first entry, else ~/.kube/config).
import { defineCommand, type Command } from 'just-bash';
import { shellCommandIo, type LiveOutput } from '../kubectl/shell-command-io.ts';
import { runIstioctl, type IstioctlIo } from './run-istioctl.ts';

export interface IstioctlCommandOptions {
  /**
   * Where output goes while the command runs, when the shell shows it live (a lone
   * `istioctl install` at the prompt prints each component as it becomes ready); otherwise
   * output is returned when the command ends.
   */
  liveOutput?: LiveOutput;
}

export function createIstioctlCommand(options: IstioctlCommandOptions = {}): Command {
  return defineCommand('istioctl', async (args, ctx) => {
    const shell = await shellCommandIo(ctx, options.liveOutput);
    const io: IstioctlIo = {
      ...shell.io,
      async writeFile(path, text) {
        await ctx.fs.writeFile(shell.resolve(path), text);
      },
    };
    if (shell.live) io.terminal = true;
    const exitCode = await runIstioctl(args, io);
    return { ...shell.collected(), exitCode };
  });
}
