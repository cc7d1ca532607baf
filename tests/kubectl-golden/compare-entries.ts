// Runs the corpus entries whose id matches one of the given patterns and prints, for each,
// whether runKubectl matched the real kubectl, the difference, and (with --show) what the
// real kubectl printed: `node tests/kubectl-golden/compare-entries.ts [--show] 'auth-.*' explain`.
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { describeDifference, loadCorpus, runCorpus } from './golden-corpus.ts';

if (istioSamplesMissing !== false) throw new Error(istioSamplesMissing);
const args = process.argv.slice(2);
const show = args.includes('--show');
const patterns = args.filter((arg) => arg !== '--show').map((pattern) => new RegExp(`^(?:${pattern})$`));
const entries = loadCorpus().filter((entry) => patterns.length === 0 || patterns.some((pattern) => pattern.test(entry.id)));
const results = await runCorpus(entries);
let failing = 0;
for (const result of results) {
  if (!result.same) failing++;
  process.stdout.write(`${result.same ? 'same' : 'DIFF'} ${result.entry.id}: kubectl ${result.entry.args.join(' ')}\n`);
  if (!result.same) process.stdout.write(`${describeDifference(result)}\n`);
  if (show) process.stdout.write(`  [kubectl exit ${result.real.code}]\n--- stdout\n${result.real.stdout}--- stderr\n${result.real.stderr}---\n`);
}
process.stdout.write(`${results.length - failing}/${results.length} match\n`);
