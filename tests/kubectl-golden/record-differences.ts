// Runs the whole golden corpus and rewrites known-differences.md with every entry whose
// output does not match the real kubectl yet: `node tests/kubectl-golden/record-differences.ts`.
// An entry whose note says the difference shows only "on some runs" keeps its last recorded
// section when this run happened to match, so the file does not flap with timing.
import { readFileSync, writeFileSync } from 'node:fs';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { describeDifference, knownDifferencesFile, loadCorpus, runCorpus } from './golden-corpus.ts';

if (istioSamplesMissing !== false) throw new Error(istioSamplesMissing);
const previous = readFileSync(knownDifferencesFile, 'utf8');
const previousSections = new Map<string, string>();
for (const match of previous.matchAll(/^## (\S+)\n[\s\S]*?(?=^## |(?![\s\S]))/gm)) previousSections.set(match[1] ?? '', match[0]);
const results = await runCorpus(loadCorpus());
const sections: string[] = [];
for (const result of results) {
  const { entry } = result;
  if (result.same) {
    const kept = previousSections.get(entry.id);
    if (kept !== undefined && entry.note?.includes('On some runs') === true) sections.push(kept.endsWith('\n') ? kept : `${kept}\n`);
    continue;
  }
  const command = `kubectl ${entry.args.map((arg) => (/[\s"'{}()*$\\]/.test(arg) ? `'${arg}'` : arg)).join(' ').replaceAll(/\/[^\s']*istio-samples/g, '…/istio-samples')}`;
  sections.push(`## ${entry.id}\n\n\`${command}\`\n\n${entry.note === undefined ? '' : `${entry.note}\n\n`}\`\`\`diff\n${describeDifference(result)}\n\`\`\`\n`);
}
let text = `# kubectl golden corpus: known differences\n\n`;
text += `Entries of corpus.yaml whose output from runKubectl does not yet match the real kubectl\n`;
text += `(${sections.length} of ${results.length}). The golden test skips these and checks every other entry;\n`;
text += `regenerate this file with \`node tests/kubectl-golden/record-differences.ts\`.\n`;
text += sections.map((section) => `\n${section}`).join('');
writeFileSync(knownDifferencesFile, text);
process.stdout.write(`${results.length - sections.length}/${results.length} entries match; ${sections.length} written to ${knownDifferencesFile}\n`);
