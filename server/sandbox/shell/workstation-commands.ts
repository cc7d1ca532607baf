// The tools a learner's workstation has beyond the interpreter's own commands: the
// cluster clients and curl. The clients run inside the shell's worker and reach the cluster
// over HTTP with the kubeconfig in the shell's home, as the real binaries would; curl sends
// onto the sandbox network through the host.
import type { Command } from "just-bash";
import type { DataPlane } from "../istio/data-plane/create-data-plane.ts";
import { createKubectlCommand } from "../kubectl/kubectl-command.ts";
import { createIstioctlCommand } from "../istioctl/istioctl-command.ts";
import { createCurlCommand } from "../workloads/curl-command.ts";
import type { LiveOutputs } from "./live-output.ts";

export interface WorkstationCommandOptions {
  live: LiveOutputs;
  plane: Pick<DataPlane, "send">;
}

/** Commands whose output may show while they run (see live-output.ts). */
export const LIVE_COMMANDS: ReadonlySet<string> = new Set(["kubectl", "istioctl"]);

/** Fresh command instances for one workstation (each keeps its own caches). */
export function createWorkstationCommands(options: WorkstationCommandOptions): Command[] {
  const liveOutput = (env: ReadonlyMap<string, string>) => options.live.find(env);
  return [
    createKubectlCommand({ liveOutput }),
    createIstioctlCommand({ liveOutput }),
    createCurlCommand({ plane: options.plane, from: { fromWorkstation: {} } }),
  ];
}
