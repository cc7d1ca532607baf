// `mesh-academy shell --kubeconfig FILE`: the workstation pod of that cluster, in this
// terminal (interactive) or for one command line (`-c`).
import { Readable } from "node:stream";
import { ensureWorkstation, execInWorkstation, loadKubeConfig, WorkstationError } from "../providers/cluster-workstation.ts";
import type { ShellIo } from "./shell-command.ts";

export async function attachWorkstation(kubeconfig: string, options: { io: ShellIo; command?: string; stdin?: string }): Promise<number> {
  const { io } = options;
  try {
    const config = loadKubeConfig(kubeconfig);
    await ensureWorkstation(config);
    if (options.command !== undefined) {
      return await execInWorkstation(config, {
        command: ["bash", "-c", options.command],
        ...(options.stdin !== undefined ? { stdin: Readable.from([Buffer.from(options.stdin)]) } : {}),
        stdout: (chunk) => io.stdout.write(chunk),
        stderr: (chunk) => io.stderr.write(chunk),
      });
    }
    const raw = io.stdin.isTTY === true && typeof io.stdin.setRawMode === "function";
    if (raw) io.stdin.setRawMode?.(true);
    try {
      return await execInWorkstation(config, {
        command: ["bash"],
        stdin: io.stdin as Readable,
        stdout: (chunk) => io.stdout.write(chunk),
        stderr: (chunk) => io.stderr.write(chunk),
        tty: io.stdin.isTTY === true,
      });
    } finally {
      if (raw) io.stdin.setRawMode?.(false);
      io.stdin.pause();
    }
  } catch (error) {
    const message = error instanceof WorkstationError ? error.message : error instanceof Error ? error.message : String(error);
    io.stderr.write(`mesh-academy shell: ${message}\n`);
    return 1;
  }
}
