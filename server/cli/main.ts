// The `mesh-academy` command line. Each subcommand is a file exporting a CliCommand and is
// listed in the table below; nothing else needs to change to add one.
import { ConfigError } from "../config/config.ts";
import { buildCommand } from "./build-command.ts";
import type { CliCommand } from "./cli-command.ts";
import { sandboxCommand } from "./sandbox-command.ts";
import { serveCommand } from "./serve-command.ts";
import { shellCommand } from "./shell-command.ts";
import { SiteBuildError } from "./site-build.ts";
import { startCommand } from "./start-command.ts";
import { verifyCommand } from "./verify-command.ts";

const COMMANDS: readonly CliCommand[] = [startCommand, buildCommand, serveCommand, sandboxCommand, shellCommand, verifyCommand];

export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs one command line; resolves to the exit code (2 for usage and configuration errors). */
export async function runCli(args: readonly string[], output: CliOutput = processOutput, commands = COMMANDS): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    output.out(usage(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    output.err(`mesh-academy: unknown command "${name}".\n\n${usage(commands)}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    output.out(`mesh-academy ${command.name}: ${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      output.err(`mesh-academy ${command.name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof SiteBuildError) {
      output.err(`mesh-academy ${command.name}: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: unknown }).code;
    if (code === "EADDRINUSE" || code === "EACCES") {
      const { address, port } = error as { address?: string; port?: number };
      output.err(
        `mesh-academy ${command.name}: cannot listen on ${address ?? "the address"}:${port ?? "?"} (${String(code)}). ` +
          "Set PORT to a free port (or 0 to pick one), or stop the program using it.\n",
      );
      return 2;
    }
    output.err(`mesh-academy ${command.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: mesh-academy <command>",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Settings come from the environment, for example PORT=8080 HOST=0.0.0.0 mesh-academy start.",
    "Run `mesh-academy <command> --help` for one command.",
    "",
  ].join("\n");
}

if (import.meta.main) {
  // Exit explicitly: a build leaves Astro's and Pagefind's handles behind.
  process.exit(await runCli(process.argv.slice(2)));
}
