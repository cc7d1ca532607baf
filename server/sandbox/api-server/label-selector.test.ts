import assert from 'node:assert/strict';
import { it } from 'node:test';
import { formatLabelSelector, labelSelectorFromObject, matchesLabels, parseLabelSelector, SelectorParseError } from './label-selector.ts';

it('parses equality and set-based selectors and matches labels', () => {
  const selector = parseLabelSelector('app=reviews,version!=v1,tier in (web, api),!legacy,track');
  const labels = { app: 'reviews', version: 'v2', tier: 'web', track: 'stable' };
  assert.equal(matchesLabels(selector, labels), true);
  assert.equal(matchesLabels(selector, { ...labels, version: 'v1' }), false);
  assert.equal(matchesLabels(selector, { ...labels, legacy: 'yes' }), false);
  assert.equal(matchesLabels(selector, { ...labels, tier: 'db' }), false);
  assert.equal(matchesLabels(parseLabelSelector('env notin (prod)'), {}), true);
  assert.equal(matchesLabels(parseLabelSelector('app==x'), { app: 'x' }), true);
  assert.throws(() => parseLabelSelector('a=(b'), SelectorParseError);
});

it('converts metav1.LabelSelector objects and formats them', () => {
  const selector = labelSelectorFromObject({ matchLabels: { app: 'x', version: 'v1' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
  assert.equal(formatLabelSelector(selector), 'app=x,version=v1,tier in (a,b)');
  assert.equal(matchesLabels(selector, { app: 'x', version: 'v1', tier: 'b' }), true);
});
