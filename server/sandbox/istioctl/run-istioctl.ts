// The learner's istioctl: parses the command line as cobra does for istioctl 1.30, runs one
// command against the cluster of the kubeconfig and prints what the real istioctl prints.
// Returns the exit code (istioctl's sysexits: 64 for usage errors, 79 for analyzer findings).
import { ApiStatusError, KubectlError } from '../kubectl/kubectl-error.ts';
import { runAnalyze } from './analyze-command.ts';
import { dashboardRunner } from './dashboard-command.ts';
import { runDescribePod } from './describe-command.ts';
import { HELP_TEXTS } from './help-texts.ts';
import { runInstall } from './install-command.ts';
import { IstioctlContext, type IstioctlIo } from './istioctl-context.ts';
import { EXIT_INCORRECT_USAGE, IstioctlError } from './istioctl-error.ts';
import { GLOBAL_FLAGS, flagBool, parseFlags, type ParsedFlags } from './istioctl-flags.ts';
import { runKubeInject } from './kube-inject-command.ts';
import { runManifestGenerate } from './manifest-command.ts';
import { runPrecheck } from './precheck-command.ts';
import { proxyConfigRunner } from './proxy-config-command.ts';
import { runProxyStatus } from './proxy-status-command.ts';
import { runUninstall } from './uninstall-command.ts';
import { runVersion } from './version-command.ts';

export type { IstioctlIo } from './istioctl-context.ts';

type CommandRunner = (context: IstioctlContext, args: readonly string[]) => Promise<number>;

interface CommandNode {
  name: string;
  aliases?: readonly string[];
  run?: CommandRunner;
  children?: readonly CommandNode[];
  /** A real istioctl command the sandbox does not provide. */
  unavailable?: boolean;
}

function leaf(name: string, run: CommandRunner, aliases: readonly string[] = []): CommandNode {
  return { name, run, aliases };
}

function unavailable(name: string, aliases: readonly string[] = []): CommandNode {
  return { name, aliases, unavailable: true };
}

const DASHBOARDS: ReadonlyArray<[string, string, readonly string[]]> = [
  ['controlz', 'Istiod', []],
  ['envoy', 'Envoy', []],
  ['grafana', 'Grafana', []],
  ['jaeger', 'Jaeger', []],
  ['kiali', 'Kiali', []],
  ['prometheus', 'Prometheus', []],
  ['proxy', 'proxy', []],
  ['skywalking', 'SkyWalking', []],
  ['zipkin', 'Zipkin', []],
];

/** istioctl's command tree, in the order `istioctl --help` lists it. */
const ROOT: CommandNode = {
  name: 'istioctl',
  children: [
    unavailable('admin', ['istiod']),
    leaf('analyze', runAnalyze),
    unavailable('bug-report'),
    unavailable('completion'),
    unavailable('create-remote-secret'),
    { name: 'dashboard', aliases: ['dash', 'd'], children: DASHBOARDS.map(([name, display, aliases]) => leaf(name, dashboardRunner(display), aliases)) },
    {
      name: 'experimental',
      aliases: ['x', 'exp'],
      children: [
        unavailable('authz'),
        unavailable('check-inject'),
        unavailable('config'),
        { name: 'describe', aliases: ['des'], children: [leaf('pod', runDescribePod, ['po']), unavailable('service', ['svc'])] },
        unavailable('envoy-stats', ['es']),
        unavailable('injector'),
        unavailable('metrics', ['m']),
        leaf('precheck', runPrecheck),
        leaf('proxy-status', runProxyStatus, ['ps']),
        leaf('version', runVersion),
        unavailable('wait'),
        unavailable('workload'),
      ],
    },
    leaf('install', runInstall, ['apply']),
    leaf('kube-inject', runKubeInject),
    { name: 'manifest', children: [leaf('generate', runManifestGenerate), unavailable('translate')] },
    {
      name: 'proxy-config',
      aliases: ['pc'],
      children: [
        leaf('all', proxyConfigRunner('all'), ['a']),
        unavailable('bootstrap', ['b']),
        leaf('cluster', proxyConfigRunner('cluster'), ['clusters', 'c']),
        unavailable('ecds', ['ec']),
        leaf('endpoint', proxyConfigRunner('endpoint'), ['endpoints', 'ep']),
        leaf('listener', proxyConfigRunner('listener'), ['listeners', 'l']),
        unavailable('log', ['o']),
        unavailable('rootca-compare', ['rc']),
        leaf('route', proxyConfigRunner('route'), ['routes', 'r']),
        leaf('secret', proxyConfigRunner('secret'), ['secrets', 's']),
      ],
    },
    leaf('proxy-status', runProxyStatus, ['ps']),
    unavailable('remote-clusters'),
    unavailable('tag'),
    leaf('uninstall', runUninstall),
    unavailable('upgrade'),
    unavailable('validate', ['v']),
    leaf('version', runVersion),
    unavailable('waypoint'),
    unavailable('ztunnel-config'),
    unavailable('options'),
  ],
};

const GLOBAL_WITH_VALUE = new Set(GLOBAL_FLAGS.filter((spec) => spec.type !== 'bool').flatMap((spec) => [`--${spec.name}`, ...(spec.short === undefined ? [] : [`-${spec.short}`])]));

/** The global flags among the arguments; the command's own flags are parsed by the command. */
function scanGlobals(args: readonly string[]): ParsedFlags {
  const values = new Map<string, string | boolean | string[]>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') break;
    for (const spec of GLOBAL_FLAGS) {
      const long = `--${spec.name}`;
      const short = spec.short === undefined ? undefined : `-${spec.short}`;
      if (spec.type === 'bool') {
        if (arg === long || arg === short) values.set(spec.name, true);
        continue;
      }
      if (arg === long || arg === short) values.set(spec.name, args[index + 1] ?? '');
      else if (arg.startsWith(`${long}=`)) values.set(spec.name, arg.slice(long.length + 1));
      else if (short !== undefined && arg.startsWith(short) && arg.length > 2 && !arg.startsWith('--')) values.set(spec.name, arg.slice(arg[2] === '=' ? 3 : 2));
    }
  }
  return { values, positionals: [] };
}

function findChild(node: CommandNode, word: string): CommandNode | undefined {
  return node.children?.find((child) => child.name === word || (child.aliases ?? []).includes(word));
}

/** Walks the command words (skipping flags and global flag values) down the tree. */
function findCommand(args: readonly string[]): { path: CommandNode[]; rest: string[] } {
  const path: CommandNode[] = [ROOT];
  const rest: string[] = [];
  let descending = true;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg.startsWith('-')) {
      rest.push(arg);
      if (GLOBAL_WITH_VALUE.has(arg) && index + 1 < args.length) rest.push(args[++index] ?? '');
      continue;
    }
    const child = descending ? findChild(path[path.length - 1] as CommandNode, arg) : undefined;
    if (child !== undefined) path.push(child);
    else {
      descending = false;
      rest.push(arg);
    }
  }
  return { path, rest };
}

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

/** cobra's unknown-command error with its "Did you mean this?" suggestions. */
function unknownCommand(word: string): IstioctlError {
  const lower = word.toLowerCase();
  const names = [...(ROOT.children ?? []).map((child) => child.name), 'help'].sort();
  const suggestions = names.filter((name) => levenshtein(lower, name) <= 2 || name.startsWith(lower));
  let message = `unknown command "${word}" for "istioctl"`;
  if (suggestions.length > 0) message += `\n\nDid you mean this?\n${suggestions.map((name) => `\t${name}\n`).join('')}`;
  return new IstioctlError('UNKNOWN_COMMAND', `${message}\nRun 'istioctl --help' for usage.`, { exitCode: EXIT_INCORRECT_USAGE });
}

function helpKey(path: readonly CommandNode[]): string {
  return path.slice(1).map((node) => node.name).join(' ');
}

/** The help of the command, or of its nearest ancestor the sandbox has a text for. */
function printHelp(io: IstioctlIo, path: readonly CommandNode[]): number {
  for (let length = path.length; length >= 1; length--) {
    const text = HELP_TEXTS[helpKey(path.slice(0, length))];
    if (text !== undefined) {
      io.stdout(text);
      return 0;
    }
  }
  return 0;
}

export async function runIstioctl(argv: readonly string[], io: IstioctlIo): Promise<number> {
  try {
    const { path, rest } = findCommand(argv);
    const command = path[path.length - 1] as CommandNode;
    const globals = scanGlobals(rest);
    if (command === ROOT && rest[0] === 'help') {
      const topic = findCommand(rest.slice(1));
      const unknown = topic.path.length === 1 ? topic.rest.filter((arg) => !arg.startsWith('-')) : [];
      if (unknown.length === 0) return printHelp(io, topic.path);
      // cobra: `Unknown help topic` with the topic as Go's %#q, then the root's usage, on stderr.
      io.stderr(`Unknown help topic [${unknown.map((word) => `\`${word}\``).join(' ')}]\n${(HELP_TEXTS[''] ?? '').replace(/^[\s\S]*?\n\n(?=Usage:)/, '')}`);
      return 0;
    }
    if (flagBool(globals, 'help')) return printHelp(io, path);
    if (command.unavailable === true) {
      throw new IstioctlError('COMMAND_UNAVAILABLE', `istioctl ${helpKey(path)} is not available in this sandbox`);
    }
    if (command.run === undefined) {
      parseFlags(rest, []);
      const word = rest.find((arg) => !arg.startsWith('-'));
      if (command === ROOT && word !== undefined) throw unknownCommand(word);
      return printHelp(io, path);
    }
    return await command.run(new IstioctlContext(io, globals), rest);
  } catch (error) {
    return report(io, error);
  }
}

function report(io: IstioctlIo, error: unknown): number {
  if (error instanceof IstioctlError) {
    io.stderr(`${error.prefixed ? 'Error: ' : ''}${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ApiStatusError) {
    io.stderr(`Error: ${error.status.message ?? error.message}\n`);
    return 1;
  }
  if (error instanceof KubectlError) {
    io.stderr(`Error: ${error.message.replace(/^error: /, '')}\n`);
    return 1;
  }
  // An interrupted command ends as the shell decides; any other failure is one error line,
  // never a stack trace in the learner's terminal.
  if (io.signal?.aborted === true || !(error instanceof Error)) throw error;
  io.stderr(`Error: ${error.message}\n`);
  return 1;
}
