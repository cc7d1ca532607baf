// The kubectl golden corpus: each entry is one invocation run through the real kubectl and
// through the learner shell's kubectl against the same cluster state, compared byte for byte after
// normalising ages and generated name suffixes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { istioSamplePath } from '../support/istio-samples.ts';
import { startGoldenCluster, type GoldenCluster, type Outcome } from './golden-cluster.ts';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const corpusFile = fileURLToPath(new URL('./corpus.yaml', import.meta.url));
export const knownDifferencesFile = fileURLToPath(new URL('./known-differences.md', import.meta.url));

export interface CorpusEntry {
  id: string;
  args: string[];
  stdin?: string;
  /** Changes the cluster: runs on two fresh clusters (one per client) after `setup`. */
  write?: boolean;
  /** Real kubectl invocations that bring a fresh cluster to the entry's starting state. */
  setup?: string[][];
  /** Follow-up invocations, each side with its own client, whose output is compared too. */
  then?: string[][];
  /** Why an entry is expected to differ, carried into known-differences.md. */
  note?: string;
}

/** `$BOOKINFO` in arguments is the Bookinfo manifest of the Istio samples. */
function expand(arg: string): string {
  return arg.replace('$BOOKINFO', istioSamplePath('samples/bookinfo/platform/kube/bookinfo.yaml'));
}

/** Splits `cmd` on spaces, keeping 'single-quoted' parts together. */
function words(command: string): string[] {
  const out: string[] = [];
  for (const match of command.matchAll(/'([^']*)'|(\S+)/g)) out.push(match[1] ?? match[2] ?? '');
  return out;
}

export function loadCorpus(): CorpusEntry[] {
  const raw = parse(readFileSync(corpusFile, 'utf8')) as {
    id: string; cmd?: string; args?: string[]; stdin?: string; write?: boolean; setup?: string[]; then?: string[]; note?: string;
  }[];
  const ids = new Set<string>();
  return raw.map((entry) => {
    // A comma in an unquoted flow-mapping value silently becomes a new key; refuse such entries.
    const extra = Object.keys(entry).filter((key) => !['id', 'cmd', 'args', 'stdin', 'write', 'setup', 'then', 'note'].includes(key));
    if (extra.length > 0) throw new Error(`corpus entry ${entry.id} has unexpected keys ${extra.join(', ')}: quote values that contain commas`);
    if (ids.has(entry.id)) throw new Error(`duplicate corpus id ${entry.id}`);
    ids.add(entry.id);
    const result: CorpusEntry = { id: entry.id, args: (entry.args ?? words(entry.cmd ?? '')).map(expand) };
    if (entry.stdin !== undefined) result.stdin = entry.stdin;
    if (entry.write === true) result.write = true;
    if (entry.setup !== undefined) result.setup = entry.setup.map((line) => words(line).map(expand));
    if (entry.then !== undefined) result.then = entry.then.map((line) => words(line).map(expand));
    if (entry.note !== undefined) result.note = entry.note;
    return result;
  });
}

/** Ids listed as `## id` headings in known-differences.md. */
export function knownDifferenceIds(): Set<string> {
  const text = readFileSync(knownDifferencesFile, 'utf8');
  return new Set([...text.matchAll(/^## (\S+)/gm)].map((match) => match[1] ?? ''));
}

export function normalise(text: string): string {
  return text
    .replace(/(?<![\w.:-])\d+(?:y\d+d|d\d+h|h\d+m|m\d+s|[smhdy])(?![\w.:-])/g, '<age>')
    .replace(/<invalid>/g, '<age>')
    // Write entries run on two clusters, each on its own port.
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\b([a-z0-9-]+)-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '$1-<hash>-<id>');
}

/**
 * Write entries compare two clusters whose controllers interleave with the requests at
 * slightly different moments, so uids, resourceVersions, allocated IPs, generated names and
 * temporary homes may differ; they are masked, and runs of spaces collapsed (table alignment
 * is checked by the read-only entries, which share one cluster).
 */
export function normaliseWrite(text: string): string {
  return normalise(text)
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>')
    .replace(/(resourceVersion"?:\s*)"\d+"/g, '$1"<rv>"')
    .replace(/\b10\.(96|244)\.\d+\.\d+\b/g, '10.$1.<ip>')
    .replace(/\b(3\d{4})\/TCP\b/g, '<nodeport>/TCP')
    .replace(/-<hash>-<id>|-[bcdfghjklmnpqrstvwxz2456789]{5}\b/g, '-<generated>')
    // Each cluster of a write entry has its own temporary home (kubeconfig paths in messages).
    .replace(/mesh-academy-kubectl-golden-[A-Za-z0-9]{6}/g, 'mesh-academy-kubectl-golden-<dir>')
    .replace(/ {2,}/g, '  ');
}

export interface Comparison {
  entry: CorpusEntry;
  real: Outcome;
  ours: Outcome;
  same: boolean;
}

function compare(entry: CorpusEntry, real: Outcome, ours: Outcome): Comparison {
  const norm = entry.write === true ? normaliseWrite : normalise;
  const same = norm(real.stdout) === norm(ours.stdout) && norm(real.stderr) === norm(ours.stderr) && real.code === ours.code;
  return { entry, real, ours, same };
}

/** The state every read-only entry sees. */
export async function prepareSharedState(cluster: GoldenCluster): Promise<void> {
  const steps = [
    ['apply', '-f', istioSamplePath('samples/bookinfo/platform/kube/bookinfo.yaml')],
    ['apply', '-f', 'golden-state.yaml'],
    ['apply', '-f', 'widget-crd.yaml'],
  ];
  for (const step of steps) await mustRun(cluster, step);
  await cluster.settle();
  await mustRun(cluster, ['apply', '-f', 'widgets.yaml']);
  await cluster.settle(5 * 60_000);
}

async function mustRun(cluster: GoldenCluster, args: string[]): Promise<void> {
  const result = await cluster.real(args);
  if (result.code !== 0) throw new Error(`setup kubectl ${args.join(' ')} failed: ${result.stderr}`);
}

/** Runs `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Runs the read-only entries on the shared cluster and each write entry on two fresh ones. */
export async function runCorpus(entries: readonly CorpusEntry[]): Promise<Comparison[]> {
  const shared = await startGoldenCluster(fixturesDir);
  try {
    await prepareSharedState(shared);
    const reads = entries.filter((entry) => entry.write !== true);
    const readResults = await pool(reads, 4, async (entry) => {
      const [real, ours] = await Promise.all([shared.real(entry.args, entry.stdin), shared.ours(entry.args, entry.stdin)]);
      return compare(entry, real, ours);
    });
    const writes = entries.filter((entry) => entry.write === true);
    const writeResults = await pool(writes, 3, async (entry) => {
      const pair = await Promise.all([startGoldenCluster(fixturesDir), startGoldenCluster(fixturesDir)]);
      try {
        await Promise.all(
          pair.map(async (cluster) => {
            for (const step of entry.setup ?? []) await mustRun(cluster, step);
            await cluster.settle(60_000);
          }),
        );
        const [realCluster, ourCluster] = pair;
        const [real, ours] = await Promise.all([realCluster.real(entry.args, entry.stdin), ourCluster.ours(entry.args, entry.stdin)]);
        for (const step of entry.then ?? []) {
          await Promise.all([realCluster.settle(), ourCluster.settle()]);
          const [realStep, ourStep] = await Promise.all([realCluster.real(step), ourCluster.ours(step)]);
          const header = `--- kubectl ${step.join(' ')} (exit ${realStep.code})\n`;
          real.stdout += header + realStep.stdout;
          real.stderr += realStep.stderr;
          ours.stdout += `--- kubectl ${step.join(' ')} (exit ${ourStep.code})\n${ourStep.stdout}`;
          ours.stderr += ourStep.stderr;
        }
        return compare(entry, real, ours);
      } finally {
        await Promise.all(pair.map((cluster) => cluster.close()));
      }
    });
    const byId = new Map([...readResults, ...writeResults].map((result) => [result.entry.id, result]));
    return entries.map((entry) => byId.get(entry.id) as Comparison);
  } finally {
    await shared.close();
  }
}

/** A unified-style line diff of two outputs, for the known-differences file and failures. */
export function describeDifference(comparison: Comparison): string {
  const parts: string[] = [];
  const norm = comparison.entry.write === true ? normaliseWrite : normalise;
  const section = (name: string, real: string, ours: string): void => {
    if (norm(real) === norm(ours)) return;
    const left = norm(real).split('\n');
    const right = norm(ours).split('\n');
    const lines: string[] = [];
    const length = Math.max(left.length, right.length);
    for (let index = 0; index < length; index++) {
      if (left[index] === right[index]) continue;
      if (left[index] !== undefined) lines.push(`- ${left[index]}`);
      if (right[index] !== undefined) lines.push(`+ ${right[index]}`);
      if (lines.length > 24) {
        lines.push('…');
        break;
      }
    }
    parts.push(`${name} (- kubectl, + ours):\n${lines.join('\n')}`);
  };
  section('stdout', comparison.real.stdout, comparison.ours.stdout);
  section('stderr', comparison.real.stderr, comparison.ours.stderr);
  if (comparison.real.code !== comparison.ours.code) parts.push(`exit code: kubectl ${comparison.real.code}, ours ${comparison.ours.code}`);
  return parts.join('\n');
}
