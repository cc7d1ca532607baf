// `kubectl top pod|node`: needs the Metrics API (metrics.k8s.io), which the sandbox has no
// metrics-server to serve; kubectl answers exactly this on such a cluster.
import { parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';

const TOP_HELP = "Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]\n\nUse \"kubectl top <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

const SUBCOMMANDS: Record<string, string> = { pod: 'pod', pods: 'pod', po: 'pod', node: 'node', nodes: 'node', no: 'node' };

export async function runTop(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'containers', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
    { name: 'sort-by', type: 'string' },
    { name: 'field-selector', type: 'string' },
    { name: 'sum', type: 'bool' },
    { name: 'use-protocol-buffers', type: 'bool' },
    { name: 'show-capacity', type: 'bool' },
  ]);
  const sub = flags.positionals[0];
  if (sub === undefined) {
    context.err(TOP_HELP);
    return 1;
  }
  if (SUBCOMMANDS[sub] === undefined) throw new KubectlError('UNKNOWN_SUBCOMMAND', `error: unknown command "${flags.positionals.join(' ')}"\nSee 'kubectl top -h' for help and examples`);
  const discovery = await context.discovery();
  if (!discovery.resources.some((resource) => resource.group === 'metrics.k8s.io')) throw new KubectlError('METRICS_UNAVAILABLE', 'error: Metrics API not available');
  throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl top is not available in this sandbox');
}
