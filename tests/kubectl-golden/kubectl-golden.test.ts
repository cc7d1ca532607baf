// The golden corpus: every entry not listed in known-differences.md must print exactly what
// the real kubectl prints (stdout, stderr, exit code) for the same cluster state.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { requireKubectl } from '../cluster/kubectl-harness.ts';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { describeDifference, knownDifferenceIds, loadCorpus, runCorpus, type Comparison } from './golden-corpus.ts';

const entries = loadCorpus();
const known = knownDifferenceIds();

describe("the learner shell's kubectl matches the real kubectl", { skip: istioSamplesMissing }, () => {
  let results = new Map<string, Comparison>();
  before(async () => {
    requireKubectl();
    results = new Map((await runCorpus(entries)).map((result) => [result.entry.id, result]));
  });

  it('has a corpus of invocations, most of them passing', () => {
    assert.ok(entries.length >= 50, `corpus has ${entries.length} entries`);
    for (const id of known) assert.ok(entries.some((entry) => entry.id === id), `known-differences.md lists ${id}, which is not in corpus.yaml`);
  });

  for (const entry of entries) {
    const title = `kubectl ${entry.args.join(' ')} [${entry.id}]`;
    if (known.has(entry.id)) {
      it(title, { todo: 'listed in known-differences.md' }, () => {
        const result = results.get(entry.id);
        assert.ok(result !== undefined && result.same, result === undefined ? 'not run' : describeDifference(result));
      });
      continue;
    }
    it(title, () => {
      const result = results.get(entry.id);
      assert.ok(result !== undefined, 'not run');
      assert.ok(result.same, describeDifference(result));
    });
  }
});
