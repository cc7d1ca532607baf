// The tools a learner's workstation has beyond the interpreter's own commands: the
// cluster clients. Each runs inside the shell's worker and reaches the cluster over HTTP
// with the kubeconfig in the shell's home, as the real binaries would.
import type { Command } from "just-bash";
import { createKubectlCommand } from "../kubectl/kubectl-command.ts";

/** Fresh command instances for one workstation (each keeps its own caches). */
export function createWorkstationCommands(): Command[] {
  return [createKubectlCommand()];
}
