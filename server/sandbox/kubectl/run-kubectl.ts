// The learner's kubectl: parses the command line, runs one command against the cluster of
// the kubeconfig and prints what the real kubectl prints. Returns the exit code.
import { parseFlags, FlagError, flagBool } from './flag-parser.ts';
import { runGet } from './get-command.ts';
import { KubectlContext, type KubectlIo } from './kubectl-context.ts';
import { ApiStatusError, KubectlError } from './kubectl-error.ts';

export type { KubectlIo } from './kubectl-context.ts';

type CommandRunner = (context: KubectlContext, args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, CommandRunner> = {
  get: runGet,
};

/** The first argument that is not a global flag (or a global flag's value) names the command. */
function splitCommand(argv: readonly string[]): { command: string | undefined; rest: string[] } {
  const withValue = new Set(['-n', '--namespace', '--context', '--kubeconfig', '-s', '--server', '--token', '--cluster', '--user', '--request-timeout', '-v']);
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    if (withValue.has(arg)) {
      index++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    return { command: arg, rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
  }
  return { command: undefined, rest: [...argv] };
}

export async function runKubectl(argv: readonly string[], io: KubectlIo): Promise<number> {
  const { command, rest } = splitCommand(argv);
  try {
    const runner = command === undefined ? undefined : COMMANDS[command];
    if (runner === undefined) {
      io.stderr(`error: unknown command "${command ?? ''}" for "kubectl"\n\nDid you mean this?\n`);
      return 1;
    }
    const globals = parseFlags(rest, [], true);
    const context = new KubectlContext(io, globals);
    if (flagBool(globals, 'help')) {
      io.stderr(`kubectl ${command} --help is not available yet\n`);
      return 0;
    }
    return await runner(context, rest);
  } catch (error) {
    if (error instanceof FlagError) {
      io.stderr(`Error: ${error.message}\nSee 'kubectl ${command ?? ''} --help' for usage.\n`);
      return 1;
    }
    if (error instanceof ApiStatusError) {
      io.stderr(`${error.render()}\n`);
      return 1;
    }
    if (error instanceof KubectlError) {
      io.stderr(`${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
