import assert from 'node:assert/strict';
import { it } from 'node:test';
import { validateLabelKey, validateLabelValue, validateName } from './name-validation.ts';

it('accepts valid names and words problems as the API server does', () => {
  assert.deepEqual(validateName('reviews-v1', 'dns1123-label'), []);
  assert.deepEqual(validateName('a.b-c', 'dns1123-subdomain'), []);
  assert.match(validateName('a.b', 'dns1123-label')[0] ?? '', /^a lowercase RFC 1123 label must consist of/);
  assert.match(validateName('1abc', 'dns1035-label')[0] ?? '', /^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  assert.deepEqual(validateName('x'.repeat(64), 'dns1123-label'), ['must be no more than 63 characters']);
  assert.deepEqual(validateName('system:admin', 'path-segment'), []);
  assert.deepEqual(validateName('a/b', 'path-segment'), ["may not contain '/'"]);
});

it('checks label keys as qualified names and values as label values', () => {
  assert.deepEqual(validateLabelKey('app.kubernetes.io/name'), []);
  assert.deepEqual(validateLabelKey('security.istio.io/tlsMode'), []);
  assert.match(validateLabelKey('bad label')[0] ?? '', /^name part must consist of alphanumeric characters/);
  assert.match(validateLabelKey('Bad_Prefix/x')[0] ?? '', /^prefix part a lowercase RFC 1123 subdomain/);
  assert.deepEqual(validateLabelKey(`${'a'.repeat(64)}`), ['name part must be no more than 63 characters']);
  assert.deepEqual(validateLabelValue(''), []);
  assert.deepEqual(validateLabelValue('v1.2_3-x'), []);
  assert.match(validateLabelValue('-x')[0] ?? '', /^a valid label must be an empty string/);
});
