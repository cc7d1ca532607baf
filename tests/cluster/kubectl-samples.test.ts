// The upstream Istio samples apply, re-apply and delete with the lines a real cluster prints,
// and their pods come up Running and 1/1 (compatibility suite: skips, saying why, without
// ../shared/istio-samples).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplePath, istioSamplesMissing, readIstioSample } from '../support/istio-samples.ts';
import { startKubectlHarness, tableRows, type KubectlHarness } from './kubectl-harness.ts';

const SAMPLES = ['samples/curl/curl.yaml', 'samples/sleep/sleep.yaml', 'samples/httpbin/httpbin.yaml', 'samples/helloworld/helloworld.yaml'];

/** `kind.group/name` of every object in a manifest, as kubectl names them in its lines. */
function manifestNames(text: string): string[] {
  const names: string[] = [];
  for (const doc of text.split(/^---\s*$/m)) {
    const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1];
    const apiVersion = /^apiVersion:\s*(\S+)/m.exec(doc)?.[1];
    const name = /^metadata:\s*\n(?:\s+.*\n)*?\s+name:\s*(\S+)/m.exec(doc)?.[1];
    if (kind === undefined || apiVersion === undefined || name === undefined) continue;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    names.push(`${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`);
  }
  return names;
}

describe('upstream samples with the real kubectl', { skip: istioSamplesMissing }, () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness();
  });
  after(async () => {
    await h.close();
  });

  for (const sample of SAMPLES) {
    it(`applies, re-applies and deletes ${sample}`, async () => {
      const file = istioSamplePath(sample);
      const names = manifestNames(readIstioSample(sample));
      assert.ok(names.length > 0);

      const created = await h.kubectl(['apply', '-f', file]);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(created.stdout, names.map((n) => `${n} created\n`).join(''));

      const again = await h.kubectl(['apply', '-f', file]);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, names.map((n) => `${n} unchanged\n`).join(''));

      const waited = await h.kubectl(['wait', '--for=condition=Ready', 'pods', '--all', '--timeout=20s'], { timeoutMs: 25_000 });
      assert.equal(waited.code, 0, waited.stderr);
      const pods = tableRows((await h.kubectl(['get', 'pods'])).stdout).slice(1);
      assert.ok(pods.length > 0);
      for (const row of pods) {
        assert.equal(row[1], '1/1', row.join(' '));
        assert.equal(row[2], 'Running', row.join(' '));
      }

      const deleted = await h.kubectl(['delete', '-f', file], { timeoutMs: 30_000 });
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.equal(deleted.stdout, names.map((n) => `${n.replace('/', ' "')}" deleted\n`).join(''));
    });
  }
});
