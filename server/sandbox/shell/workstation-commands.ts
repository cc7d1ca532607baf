// The tools a learner's workstation has beyond the interpreter's own commands: the
// cluster clients, curl and openssl (`openssl x509` for reading certificates). The clients run inside the shell's worker and reach the cluster
// over HTTP with the kubeconfig in the shell's home, as the real binaries would; curl sends
// onto the sandbox network through the host.
import type { CustomCommand } from "just-bash";
import type { DataPlane } from "../istio/data-plane/create-data-plane.ts";
import { createCurlCommand } from "../workloads/curl-command.ts";
import type { LiveOutputs } from "./live-output.ts";
import { createOpensslCommand } from "./openssl-command.ts";

export interface WorkstationCommandOptions {
  live: LiveOutputs;
  plane: Pick<DataPlane, "send">;
}

/** Commands whose output may show while they run (see live-output.ts). */
export const LIVE_COMMANDS: ReadonlySet<string> = new Set(["kubectl", "istioctl"]);

/**
 * Fresh command instances for one workstation (each keeps its own caches). kubectl and
 * istioctl load on first use: the Kubernetes client they share takes most of a second of
 * CPU to import, and a room of learners opening their terminals at once should not wait
 * for it before their first prompt.
 */
export function createWorkstationCommands(options: WorkstationCommandOptions): CustomCommand[] {
  const liveOutput = (env: ReadonlyMap<string, string>) => options.live.find(env);
  return [
    { name: "kubectl", load: async () => (await import("../kubectl/kubectl-command.ts")).createKubectlCommand({ liveOutput }) },
    { name: "istioctl", load: async () => (await import("../istioctl/istioctl-command.ts")).createIstioctlCommand({ liveOutput }) },
    createCurlCommand({ plane: options.plane, from: { fromWorkstation: {} } }),
    // Reads the certificates `istioctl proxy-config secret -o json` shows.
    createOpensslCommand(),
  ];
}
