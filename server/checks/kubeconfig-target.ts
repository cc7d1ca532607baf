// Checks and commands against a cluster reached through a kubeconfig, with that kubeconfig's
// rights: the checks read the cluster with it, commands run in the cluster's own workstation
// pod (the embedded layout's, created when missing) through the exec API, exactly as the
// browser terminal reaches it. With an admin kubeconfig this is the instructor's seat (e.g.
// installing Istio for a room); learners on a shared cluster get the cluster provider's
// sandboxes instead.
import { Readable } from "node:stream";
import { ensureWorkstation, execInWorkstation, loadKubeConfig } from "../providers/cluster-workstation.ts";
import type { CommandResult } from "../providers/sandbox-provider.ts";
import type { CheckTarget } from "./check-types.ts";

export async function connectKubeconfigTarget(kubeconfig: string, options: { timeoutMs?: number } = {}): Promise<CheckTarget> {
  const config = loadKubeConfig(kubeconfig);
  await ensureWorkstation(config, options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {});
  return {
    kubeconfig,
    async run(command, runOptions = {}): Promise<CommandResult> {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const exitCode = await execInWorkstation(config, {
        command: ["bash", "-c", command],
        ...(runOptions.stdin !== undefined ? { stdin: Readable.from([Buffer.from(runOptions.stdin)]) } : {}),
        stdout: (chunk) => stdout.push(chunk),
        stderr: (chunk) => stderr.push(chunk),
      });
      return { stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"), exitCode };
    },
  };
}
