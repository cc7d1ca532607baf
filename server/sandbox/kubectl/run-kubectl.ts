// The learner's kubectl: parses the command line, runs one command against the cluster of
// the kubeconfig and prints what the real kubectl prints. Returns the exit code.
import { parseFlags, FlagError, flagBool } from './flag-parser.ts';
import { runApiResources } from './api-resources-command.ts';
import { runApply } from './apply-command.ts';
import { runAuth } from './auth-command.ts';
import { runCreate } from './create-command.ts';
import { runDelete } from './delete-command.ts';
import { runDescribe } from './describe-command.ts';
import { runExec } from './exec-command.ts';
import { runExplain } from './explain-command.ts';
import { runExpose } from './expose-command.ts';
import { runRun } from './run-command.ts';
import { runPatch } from './patch-command.ts';
import { runReplace } from './replace-command.ts';
import { runSet } from './set-image-command.ts';
import { runAnnotate, runLabel } from './label-command.ts';
import { runConfig } from './config-command.ts';
import { runGet } from './get-command.ts';
import { HELP_TEXTS } from './help-texts.ts';
import { runClusterInfo, runVersion } from './version-command.ts';
import { runWait } from './wait-command.ts';
import { runLogs, runScale } from './workload-commands.ts';
import { runRollout } from './rollout-command.ts';
import { runTop } from './top-command.ts';
import { runEvents } from './events-command.ts';
import { runApiVersions, runCordon, runOptions, runUncordon } from './small-commands.ts';
import { runKustomize } from './kustomize-command.ts';
import { KubectlContext, type KubectlIo } from './kubectl-context.ts';
import { ApiStatusError, KubectlError } from './kubectl-error.ts';

export type { KubectlIo } from './kubectl-context.ts';

type CommandRunner = (context: KubectlContext, args: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, CommandRunner> = {
  get: runGet,
  version: runVersion,
  'cluster-info': runClusterInfo,
  config: runConfig,
  'api-resources': runApiResources,
  label: runLabel,
  annotate: runAnnotate,
  create: runCreate,
  delete: runDelete,
  apply: runApply,
  scale: runScale,
  logs: runLogs,
  rollout: runRollout,
  describe: runDescribe,
  exec: runExec,
  wait: runWait,
  auth: runAuth,
  explain: runExplain,
  run: runRun,
  expose: runExpose,
  set: runSet,
  patch: runPatch,
  replace: runReplace,
  top: runTop,
  events: runEvents,
  'api-versions': runApiVersions,
  options: runOptions,
  cordon: runCordon,
  uncordon: runUncordon,
  kustomize: runKustomize,
};

/** kubectl's commands in the order it registers them (cobra suggests in this order). */
const KUBECTL_COMMANDS = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate',
  'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec', 'port-forward',
  'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate',
  'completion', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options', 'help',
];

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** cobra's unknown-command message with its "Did you mean this?" suggestions (distance 2, or prefix). */
function unknownCommand(command: string): string {
  const lower = command.toLowerCase();
  const suggestions = KUBECTL_COMMANDS.filter((name) => name !== 'help' && (levenshtein(lower, name) <= 2 || name.startsWith(lower)));
  let text = `Error: unknown command "${command}" for "kubectl"`;
  if (suggestions.length > 0) text += `\n\nDid you mean this?\n${suggestions.map((name) => `\t${name}\n`).join('')}`;
  return `${text}\n`;
}

/** The first argument that is not a global flag (or a global flag's value) names the command. */
function splitCommand(argv: readonly string[]): { command: string | undefined; rest: string[] } {
  const withValue = new Set(['-n', '--namespace', '--context', '--kubeconfig', '-s', '--server', '--token', '--cluster', '--user', '--request-timeout', '-v', '--as', '--as-group', '--as-uid']);
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

/** Help of the longest known command path among the words (`config view`, `create secret generic`). */
function printHelp(io: KubectlIo, words: readonly string[]): number {
  for (let length = Math.min(words.length, 3); length >= 0; length--) {
    const text = HELP_TEXTS[words.slice(0, length).join(' ')];
    if (text !== undefined) {
      io.stdout(text);
      return 0;
    }
  }
  io.stderr(`error: no help is available for "kubectl ${words.join(' ')}" in this sandbox\n`);
  return 1;
}

export async function runKubectl(argv: readonly string[], io: KubectlIo): Promise<number> {
  const { command, rest } = splitCommand(argv);
  try {
    if (command === undefined) return printHelp(io, []);
    if (command === 'help') return printHelp(io, parseFlags(rest, [], true).positionals);
    const runner = COMMANDS[command];
    if (runner === undefined) {
      if (KUBECTL_COMMANDS.includes(command)) {
        io.stderr(`error: kubectl ${command} is not available in this sandbox\n`);
        return 1;
      }
      io.stderr(unknownCommand(command));
      return 1;
    }
    const globals = parseFlags(rest, [], true);
    const context = new KubectlContext(io, globals);
    if (flagBool(globals, 'help')) return printHelp(io, [command, ...globals.positionals]);
    try {
      return await runner(context, rest);
    } catch (error) {
      // A name missing from cached discovery: refetch and run once more, like kubectl.
      const stale = error instanceof KubectlError && (error.code === 'UNKNOWN_RESOURCE_TYPE' || error.code === 'RESOURCE_MAPPING_NOT_FOUND');
      if (!stale || !context.discoveryFromCache) throw error;
      io.discoveryCache?.delete(context.target.server);
      return await runner(new KubectlContext(io, globals), rest);
    }
  } catch (error) {
    // Interrupted (Ctrl-C in the shell): kubectl dies of the signal without a word.
    if (io.signal?.aborted === true) return 130;
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
