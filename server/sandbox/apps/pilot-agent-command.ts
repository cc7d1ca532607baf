// `pilot-agent` in a pod's istio-proxy container, for what Istio's circuit-breaking task asks
// of it: `pilot-agent request GET stats` prints the proxy's Envoy stats (here the circuit-breaker
// and outlier-detection counters the data plane keeps for that proxy), `stats?filter=REGEX`
// narrows them. `stats/prometheus` prints the same cluster stats and Istio's standard request
// metrics the proxy counted (istio_requests_total, istio_request_duration_milliseconds) in
// Prometheus text format, as a Prometheus server scrapes them; its `filter` keeps the series
// whose metric name matches.
// Other admin paths answer 404 as Envoy's admin does.
import { defineCommand } from 'just-bash';
import type { Command, ExecResult } from 'just-bash';
import type { DataPlane } from '../istio/data-plane/create-data-plane.ts';

export interface PilotAgentCommandOptions {
  plane: Pick<DataPlane, 'clusterStats' | 'prometheusStats'>;
  pod: { name: string; namespace: string };
}

export function runPilotAgent(args: readonly string[], options: PilotAgentCommandOptions): ExecResult {
  const [command, method, path] = args;
  if (command !== 'request') return { stdout: '', stderr: `Error: unknown command "${command ?? ''}" for "pilot-agent"\nRun 'pilot-agent --help' for usage.\n`, exitCode: 1 };
  if (method === undefined || path === undefined) return { stdout: '', stderr: 'Error: requires at least 2 arg(s), only received ' + String(args.length - 1) + '\n', exitCode: 1 };
  const url = new URL(path.replace(/^\/?/, '/'), 'http://localhost:15000');
  if (method.toUpperCase() !== 'GET' || (url.pathname !== '/stats' && url.pathname !== '/stats/prometheus')) {
    return { stdout: '', stderr: `Error: received unsuccessful status code 404: invalid path: ${url.pathname}\n`, exitCode: 1 };
  }
  const filter = url.searchParams.get('filter');
  let pattern: RegExp | undefined;
  if (filter !== null) {
    try {
      pattern = new RegExp(filter);
    } catch {
      return { stdout: '', stderr: `Error: received unsuccessful status code 400: Invalid re2 regex\n`, exitCode: 1 };
    }
  }
  if (url.pathname === '/stats/prometheus') {
    const text = options.plane.prometheusStats?.(options.pod.namespace, options.pod.name) ?? '';
    const lines = text.split('\n').filter((line) => line !== '');
    const kept = pattern === undefined ? lines : lines.filter((line) => pattern.test(prometheusName(line)));
    return { stdout: kept.map((line) => `${line}\n`).join(''), stderr: '', exitCode: 0 };
  }
  let lines = options.plane.clusterStats(options.pod.namespace, options.pod.name);
  if (pattern !== undefined) lines = lines.filter((line) => pattern.test(line.slice(0, line.indexOf(': '))));
  return { stdout: lines.map((line) => `${line}\n`).join(''), stderr: '', exitCode: 0 };
}

/** The metric a Prometheus text line is about: `# TYPE <name> …` or `<name>{labels} value`. */
function prometheusName(line: string): string {
  const type = /^# TYPE (\S+)/.exec(line);
  if (type !== null) return type[1] ?? '';
  return /^[^{\s]+/.exec(line)?.[0] ?? '';
}

/** `pilot-agent` for an istio-proxy container. */
export function createPilotAgentCommand(options: PilotAgentCommandOptions): Command {
  return defineCommand('pilot-agent', async (args) => runPilotAgent(args, options));
}
