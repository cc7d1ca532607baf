// The `kubectl` command of the learner's shell: a just-bash custom command that runs
// runKubectl with the shell's files, environment and stdin. The kubeconfig is the file
// named by $KUBECONFIG (first entry), else ~/.kube/config, as for the real kubectl.
import { defineCommand, type Command } from 'just-bash';
import { runKubectl, type KubectlIo } from './run-kubectl.ts';
import { shellCommandIo, type LiveOutput } from './shell-command-io.ts';

export { kubeconfigPath } from './shell-command-io.ts';

export interface KubectlCommandOptions {
  /**
   * Where output goes while the command runs, when the shell shows it live (a lone
   * `kubectl get -w` at the prompt); otherwise output is returned when the command ends.
   */
  liveOutput?: LiveOutput;
  /** Every HTTP request of the command (see KubectlIo.fetch): confines kubectl to the shell's cluster. */
  fetch?: typeof fetch;
  /** Opens exec's WebSocket (see KubectlIo.connect). */
  connect?: KubectlIo['connect'];
}

export function createKubectlCommand(options: KubectlCommandOptions = {}): Command {
  // Discovery is remembered for the life of the shell, as kubectl keeps ~/.kube/cache.
  const discoveryCache: NonNullable<Parameters<typeof runKubectl>[1]['discoveryCache']> = new Map();
  return defineCommand('kubectl', async (args, ctx) => {
    const shell = await shellCommandIo(ctx, options.liveOutput);
    const io: KubectlIo = {
      ...shell.io,
      discoveryCache,
      async writeKubeconfig(text) {
        await ctx.fs.writeFile(shell.kubeconfigFile, text);
      },
    };
    if (options.fetch !== undefined) io.fetch = options.fetch;
    if (options.connect !== undefined) io.connect = options.connect;
    const exitCode = await runKubectl(args, io);
    return { ...shell.collected(), exitCode };
  });
}
