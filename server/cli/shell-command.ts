// `mesh-academy shell`: a learner's workstation in your own terminal. Without a kubeconfig
// it starts an embedded sandbox in this process; with one it opens the workstation pod of
// that cluster through the exec API (see workstation-attach.ts). `-c` runs commands the way
// `bash -c` does: standard input passed through, their output printed, their exit status
// returned.
import { parseArgs } from "node:util";
import { readFile } from "node:fs/promises";
import { ClusterHost, createEmbeddedSandbox } from "../sandbox/index.ts";
import type { Tty } from "../providers/sandbox-provider.ts";
import type { CliCommand } from "./cli-command.ts";
import { attachWorkstation } from "./workstation-attach.ts";

export interface ShellIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: NodeJS.WritableStream & { columns?: number; rows?: number; isTTY?: boolean; on(event: "resize", listener: () => void): unknown };
  stderr: NodeJS.WritableStream;
}

const USAGE = "Usage: mesh-academy shell [--kubeconfig FILE] [--profile instant|realistic] [-c COMMANDS]\n";

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** Connects a Tty to this process's terminal until the shell ends; resolves to its exit code. */
export function runInTerminal(tty: Tty, io: ShellIo): Promise<number> {
  const raw = io.stdin.isTTY === true && typeof io.stdin.setRawMode === "function";
  if (raw) io.stdin.setRawMode?.(true);
  const onInput = (chunk: Buffer | string): void => tty.write(typeof chunk === "string" ? chunk : chunk.toString("utf8"));
  const onResize = (): void => tty.resize(io.stdout.columns ?? 80, io.stdout.rows ?? 24);
  const onEnd = (): void => tty.write("\x04");
  io.stdin.on("data", onInput);
  io.stdin.on("end", onEnd);
  io.stdout.on("resize", onResize);
  tty.onData((data) => io.stdout.write(data));
  return new Promise<number>((resolve) => {
    tty.onExit((code) => {
      io.stdin.off("data", onInput);
      io.stdin.off("end", onEnd);
      if (raw) io.stdin.setRawMode?.(false);
      io.stdin.pause();
      resolve(code);
    });
  });
}

export async function runShell(args: readonly string[], io: ShellIo): Promise<number> {
  let values: { kubeconfig?: string | undefined; command?: string | undefined; profile?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { kubeconfig: { type: "string" }, command: { type: "string", short: "c" }, profile: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.stderr.write(`mesh-academy shell: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const profile = values.profile ?? "realistic";
  if (profile !== "instant" && profile !== "realistic") {
    io.stderr.write(`mesh-academy shell: --profile must be "instant" or "realistic", got "${profile}"\n${USAGE}`);
    return 2;
  }
  const stdinText = values.command !== undefined && io.stdin.isTTY !== true ? await readAll(io.stdin) : undefined;
  if (values.kubeconfig !== undefined) {
    let kubeconfig: string;
    try {
      kubeconfig = await readFile(values.kubeconfig, "utf8");
    } catch (error) {
      io.stderr.write(`mesh-academy shell: cannot read ${values.kubeconfig}: ${(error as Error).message}\n`);
      return 1;
    }
    return attachWorkstation(kubeconfig, {
      io,
      ...(values.command !== undefined ? { command: values.command } : {}),
      ...(stdinText !== undefined ? { stdin: stdinText } : {}),
    });
  }
  const host = new ClusterHost();
  await host.listen({ host: "127.0.0.1", port: 0 });
  const sandbox = await createEmbeddedSandbox({ host, id: "local", profile });
  try {
    if (values.command !== undefined) {
      const result = await sandbox.shell.host.exec(values.command, stdinText !== undefined ? { stdin: stdinText } : {}).result;
      io.stdout.write(result.stdout);
      io.stderr.write(result.stderr);
      return result.exitCode;
    }
    if (io.stdin.isTTY !== true) {
      // Like `bash < script`: the script comes from standard input.
      const result = await sandbox.shell.host.exec(await readAll(io.stdin)).result;
      io.stdout.write(result.stdout);
      io.stderr.write(result.stderr);
      return result.exitCode;
    }
    return await runInTerminal(sandbox.shell.openShell({ cols: io.stdout.columns ?? 80, rows: io.stdout.rows ?? 24 }), io);
  } finally {
    await sandbox.dispose();
    await host.close();
  }
}

export const shellCommand: CliCommand = {
  name: "shell",
  summary: "Open a learner's workstation shell in this terminal (an embedded sandbox, or a cluster's workstation pod)",
  run: (args) => runShell(args, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }),
};
