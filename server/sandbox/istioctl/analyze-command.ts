// `istioctl analyze [files…]`: the analyzers over the cluster's objects (unless
// `--use-kube=false`) merged with the given files, for `-n`/the context namespace or `-A`.
// Findings at or above --failure-threshold exit 79, as istioctl does for CI.
import type { Level } from '../istio/analyze/analysis-message.ts';
import { ANALYZERS } from '../istio/analyze/analyzers.ts';
import { AnalyzeUsageError, istioctlAnalyze, type AnalyzeFile, type AnalyzeOptions } from '../istio/analyze/istioctl-analyze.ts';
import type { IstioctlContext } from './istioctl-context.ts';
import { IstioctlError, usageError } from './istioctl-error.ts';
import { flagBool, flagList, flagString, parseFlags, type FlagSpec } from './istioctl-flags.ts';
import { readMeshObjects } from './read-mesh-objects.ts';

const ANALYZE_FLAGS: readonly FlagSpec[] = [
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'output', short: 'o', type: 'string' },
  { name: 'failure-threshold', type: 'string' },
  { name: 'output-threshold', type: 'string' },
  { name: 'suppress', short: 'S', type: 'array' },
  { name: 'use-kube', short: 'k', type: 'bool' },
  { name: 'recursive', short: 'R', type: 'bool' },
  { name: 'revision', type: 'string' },
  { name: 'timeout', type: 'string' },
  { name: 'ignore-unknown', type: 'bool' },
  { name: 'verbose', short: 'v', type: 'bool' },
  { name: 'color', type: 'bool' },
  { name: 'meshConfigFile', type: 'string' },
  { name: 'list-analyzers', short: 'L', type: 'bool' },
];

const LEVELS: Readonly<Record<string, Level>> = { ERROR: 'Error', WARNING: 'Warning', WARN: 'Warning', INFO: 'Info' };

function level(flag: string, value: string | undefined): Level | undefined {
  if (value === undefined) return undefined;
  const found = LEVELS[value.toUpperCase()];
  if (found === undefined) throw usageError(`invalid argument "${value}" for "--${flag}" flag: valid options are [Info Warning Error]`);
  return found;
}

async function readFiles(context: IstioctlContext, paths: readonly string[], recursive: boolean): Promise<AnalyzeFile[]> {
  const files: AnalyzeFile[] = [];
  for (const path of paths) {
    const absolute = path === '-' ? '-' : path.startsWith('/') ? path : `${context.io.cwd.replace(/\/+$/, '')}/${path}`;
    const entries = path === '-' ? undefined : await context.io.listDir?.(absolute);
    if (entries !== undefined) {
      for (const name of [...entries].sort()) {
        const child = `${path.replace(/\/+$/, '')}/${name}`;
        if (/\.(ya?ml|json)$/.test(name)) {
          const text = await context.readFile(child);
          if (text !== undefined) files.push({ name: child, text });
        } else if (recursive) files.push(...(await readFiles(context, [child], true)).filter((f) => /\.(ya?ml|json)$/.test(f.name)));
      }
      continue;
    }
    const text = await context.readFile(path);
    if (text === undefined) throw new IstioctlError('FILE_NOT_FOUND', `open ${path}: no such file or directory`);
    files.push({ name: path, text });
  }
  return files;
}

export async function runAnalyze(context: IstioctlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, ANALYZE_FLAGS);
  if (flagBool(flags, 'list-analyzers')) {
    // The analyzers the sandbox runs, by name, as istioctl lists its own.
    const sorted = [...ANALYZERS].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    context.out(`Available analyzers:\n${sorted.map((a) => `* ${a.name}:\n    ${a.description}\n`).join('')}`);
    return 0;
  }
  const output = flagString(flags, 'output') ?? 'log';
  if (output !== 'log' && output !== 'json' && output !== 'yaml') throw usageError(`invalid output format: ${output}, valid options are [log json yaml]`);
  const useKube = flagBool(flags, 'use-kube', true);
  const options: AnalyzeOptions = { useKube, output, allNamespaces: flagBool(flags, 'all-namespaces'), suppress: flagList(flags, 'suppress') };
  const failure = level('failure-threshold', flagString(flags, 'failure-threshold'));
  if (failure !== undefined) options.failureThreshold = failure;
  const shown = level('output-threshold', flagString(flags, 'output-threshold'));
  if (shown !== undefined) options.outputThreshold = shown;
  options.files = await readFiles(context, flags.positionals, flagBool(flags, 'recursive'));
  options.namespace = useKube ? await context.namespace() : (flagString(context.flags, 'namespace') ?? 'default');
  const objects = useKube ? await readMeshObjects(await context.api()) : [];
  try {
    const result = istioctlAnalyze(objects, options);
    context.out(result.stdout);
    context.err(result.stderr);
    return result.exitCode;
  } catch (error) {
    if (error instanceof AnalyzeUsageError) throw usageError(error.message);
    throw error;
  }
}
