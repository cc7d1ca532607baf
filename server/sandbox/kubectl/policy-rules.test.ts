import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyRule, ruleRow, sortedCompactRules } from './policy-rules.ts';

describe('RBAC rules as kubectl prints them', () => {
  it('breaks rules down per group and resource, merges verbs of simple rules and sorts by String()', () => {
    const rules = [
      policyRule({ verbs: ['get'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments'] }),
      policyRule({ verbs: ['list'], apiGroups: [''], resources: ['pods'] }),
      policyRule({ verbs: ['get'], nonResourceURLs: ['/healthz'] }),
    ];
    // Sorted by the String() text, which starts with the verbs: "[get list]" before "[get]",
    // then an empty group ("[]") before "[apps]".
    assert.deepEqual(sortedCompactRules(rules).map(ruleRow), [
      ['pods', '[]', '[]', '[get list]'],
      ['', '[/healthz]', '[]', '[get]'],
      ['deployments', '[]', '[]', '[get]'],
      ['deployments.apps', '[]', '[]', '[get]'],
      ['pods.apps', '[]', '[]', '[get]'],
    ]);
  });
});
