// RBAC rules the way kubectl shows them (auth can-i --list, describe role): broken down per
// group, resource and name, simple rules merged by resource (rbacutil.BreakdownRule and
// CompactRules), sorted by their protobuf String(), and printed as table cells.

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A rule as the API returns it, with absent lists. */
export function policyRule(rule: Partial<PolicyRule>): PolicyRule {
  return { verbs: rule.verbs ?? [], apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], resourceNames: rule.resourceNames ?? [], nonResourceURLs: rule.nonResourceURLs ?? [] };
}

export function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

/** rbacutil.BreakdownRule: one rule per group, resource and resource name; one per URL. */
function breakdown(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups) {
    for (const resource of rule.resources) {
      if (rule.resourceNames.length > 0) {
        for (const name of rule.resourceNames) out.push({ verbs: rule.verbs, apiGroups: [group], resources: [resource], resourceNames: [name], nonResourceURLs: [] });
      } else out.push({ verbs: rule.verbs, apiGroups: [group], resources: [resource], resourceNames: [], nonResourceURLs: [] });
    }
  }
  for (const url of rule.nonResourceURLs) out.push({ verbs: rule.verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [url] });
  return out;
}

/** rbacutil.CompactRules: simple resource rules for the same group/resource/name merge their verbs. */
function compact(rules: readonly PolicyRule[]): PolicyRule[] {
  const compacted: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const isSimple = rule.resourceNames.length <= 1 && rule.nonResourceURLs.length === 0 && rule.apiGroups.length === 1 && rule.resources.length === 1;
    if (!isSimple) {
      compacted.push(rule);
      continue;
    }
    const key = JSON.stringify([rule.apiGroups[0], rule.resources[0], rule.resourceNames[0] ?? null]);
    const existing = simple.get(key);
    if (existing !== undefined) existing.verbs = [...existing.verbs, ...rule.verbs];
    else simple.set(key, { ...rule, verbs: [...rule.verbs] });
  }
  return [...compacted, ...simple.values()];
}

/** The protobuf String() of a PolicyRule, which kubectl sorts the list by. */
function ruleString(rule: PolicyRule): string {
  return `&PolicyRule{Verbs:${goList(rule.verbs)},APIGroups:${goList(rule.apiGroups)},Resources:${goList(rule.resources)},ResourceNames:${goList(rule.resourceNames)},NonResourceURLs:${goList(rule.nonResourceURLs)},}`;
}

/** describe.CombineResourceGroup: `deployments.apps`, `pods/log`, `deployments.apps/scale`. */
function combineResourceGroup(resources: readonly string[], groups: readonly string[]): string {
  const first = resources[0];
  if (first === undefined) return '';
  const slash = first.indexOf('/');
  let text = slash === -1 ? first : first.slice(0, slash);
  if (groups[0] !== undefined && groups[0] !== '') text += `.${groups[0]}`;
  if (slash !== -1) text += first.slice(slash);
  return text;
}

function byteCompare(a: string, b: string): number {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return Buffer.compare(left, right);
}

/** The rules kubectl prints, in its order. */
export function sortedCompactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  return compact(rules.flatMap(breakdown))
    .map((rule) => ({ rule, key: ruleString(rule) }))
    .sort((a, b) => byteCompare(a.key, b.key))
    .map((entry) => entry.rule);
}

/** Resources, Non-Resource URLs, Resource Names, Verbs. */
export function ruleRow(rule: PolicyRule): string[] {
  return [combineResourceGroup(rule.resources, rule.apiGroups), goList(rule.nonResourceURLs), goList(rule.resourceNames), goList(rule.verbs)];
}
