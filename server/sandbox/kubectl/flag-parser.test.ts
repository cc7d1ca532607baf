import assert from 'node:assert/strict';
import { it } from 'node:test';
import { flagBool, flagList, flagString, parseFlags } from './flag-parser.ts';

const specs = [
  { name: 'output', short: 'o', type: 'string' as const },
  { name: 'all-namespaces', short: 'A', type: 'bool' as const },
  { name: 'label-columns', short: 'L', type: 'strings' as const },
];

it('reads flags anywhere, in every pflag spelling', () => {
  const flags = parseFlags(['get', '-oyaml', 'pods', '-n', 'x', '--label-columns=a', '-L', 'b', '-A'], specs);
  assert.deepEqual(flags.positionals, ['get', 'pods']);
  assert.equal(flagString(flags, 'output'), 'yaml');
  assert.equal(flagString(flags, 'namespace'), 'x');
  assert.deepEqual(flagList(flags, 'label-columns'), ['a', 'b']);
  assert.equal(flagBool(flags, 'all-namespaces'), true);
  assert.equal(flagString(parseFlags(['-o=json'], specs), 'output'), 'json');
  assert.equal(flagBool(parseFlags(['--all-namespaces=false'], specs), 'all-namespaces'), false);
});

it('stops at -- and keeps the rest', () => {
  const flags = parseFlags(['exec', '--', '-o', 'x'], specs);
  assert.deepEqual(flags.rest, ['-o', 'x']);
  assert.equal(flagString(flags, 'output'), undefined);
});

it('rejects unknown flags and missing values with pflag wording', () => {
  assert.throws(() => parseFlags(['--nope'], specs), { message: 'unknown flag: --nope' });
  assert.throws(() => parseFlags(['-z'], specs), { message: "unknown shorthand flag: 'z' in -z" });
  assert.throws(() => parseFlags(['-n'], specs), { message: "flag needs an argument: 'n' in -n" });
  assert.deepEqual(parseFlags(['--nope', '-o', 'x'], specs, true).values.get('output'), 'x');
});

it("lets a command's own flag shadow a global one of the same name", () => {
  const flags = parseFlags(['--user=jane', '--user', 'joe'], [{ name: 'user', type: 'strings' }]);
  assert.deepEqual(flags.values.get('user'), ['jane', 'joe']);
  assert.equal(parseFlags(['--user=jane'], []).values.get('user'), 'jane');
});
