import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { istioSamplePath, istioSamplesMissing } from '../../../../../tests/support/istio-samples.ts';
import { INSTALL_PROFILES } from './install-profiles.ts';

const DIR = istioSamplePath('manifests/profiles');

describe('INSTALL_PROFILES', { skip: istioSamplesMissing }, () => {
  it('embeds exactly the profiles shipped in manifests/profiles, byte-for-byte equivalent', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
    assert.deepEqual(Object.keys(INSTALL_PROFILES).sort(), files.map((f) => f.replace(/\.yaml$/, '')).sort());
    for (const file of files) {
      const expected = parse(readFileSync(`${DIR}/${file}`, 'utf8')) as unknown;
      assert.deepEqual(INSTALL_PROFILES[file.replace(/\.yaml$/, '')], expected, file);
    }
  });
});
