// Runs the whole golden corpus and rewrites known-differences.md with every entry whose
// output does not match the real kubectl yet: `node tests/kubectl-golden/record-differences.ts`.
import { writeFileSync } from 'node:fs';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { describeDifference, knownDifferencesFile, loadCorpus, runCorpus } from './golden-corpus.ts';

if (istioSamplesMissing !== false) throw new Error(istioSamplesMissing);
const results = await runCorpus(loadCorpus());
const failing = results.filter((result) => !result.same);
let text = `# kubectl golden corpus: known differences\n\n`;
text += `Entries of corpus.yaml whose output from runKubectl does not yet match the real kubectl\n`;
text += `(${failing.length} of ${results.length}). The golden test skips these and checks every other entry;\n`;
text += `regenerate this file with \`node tests/kubectl-golden/record-differences.ts\`.\n`;
for (const result of failing) {
  text += `\n## ${result.entry.id}\n\n\`kubectl ${result.entry.args.map((arg) => (/[\s"'{}()*$\\]/.test(arg) ? `'${arg}'` : arg)).join(' ').replaceAll(/\/[^\s']*istio-samples/g, '…/istio-samples')}\`\n\n${result.entry.note === undefined ? '' : `${result.entry.note}\n\n`}\`\`\`diff\n${describeDifference(result)}\n\`\`\`\n`;
}
writeFileSync(knownDifferencesFile, text);
process.stdout.write(`${results.length - failing.length}/${results.length} entries match; ${failing.length} written to ${knownDifferencesFile}\n`);
