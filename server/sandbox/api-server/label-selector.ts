import { asArray, asObject, isJsonObject } from '../core/json-object.ts';

export type LabelRequirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] };

export type LabelSelector = LabelRequirement[];

export class SelectorParseError extends Error {
  readonly code = 'SELECTOR_PARSE';
}

/** Splits on commas that are not inside a `( … )` value set. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** Parses the `labelSelector` query syntax: equality (`=`, `==`, `!=`) and set-based (`in`, `notin`, `key`, `!key`). */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: LabelSelector = [];
  for (const part of splitTopLevel(text)) {
    const setMatch = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (setMatch !== null) {
      const values = (setMatch[3] ?? '').split(',').map((value) => value.trim()).filter((value) => value !== '');
      requirements.push({ key: setMatch[1] ?? '', op: setMatch[2] === 'in' ? 'in' : 'notin', values });
      continue;
    }
    const equality = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (equality !== null) {
      requirements.push({ key: equality[1] ?? '', op: equality[2] === '!=' ? 'notin' : 'in', values: [equality[3] ?? ''] });
      continue;
    }
    const exists = /^(!?)\s*([^\s!=()]+)$/.exec(part);
    if (exists !== null) {
      requirements.push({ key: exists[2] ?? '', op: exists[1] === '!' ? 'notexists' : 'exists' });
      continue;
    }
    throw new SelectorParseError(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return requirements;
}

/** Converts a metav1.LabelSelector object (matchLabels + matchExpressions). */
export function labelSelectorFromObject(selector: unknown): LabelSelector {
  if (!isJsonObject(selector)) return [];
  const requirements: LabelSelector = [];
  for (const [key, value] of Object.entries(asObject(selector.matchLabels))) {
    requirements.push({ key, op: 'in', values: [String(value)] });
  }
  for (const expression of asArray(selector.matchExpressions)) {
    const entry = asObject(expression);
    const key = String(entry.key ?? '');
    const values = asArray(entry.values).map(String);
    switch (entry.operator) {
      case 'In': requirements.push({ key, op: 'in', values }); break;
      case 'NotIn': requirements.push({ key, op: 'notin', values }); break;
      case 'Exists': requirements.push({ key, op: 'exists' }); break;
      case 'DoesNotExist': requirements.push({ key, op: 'notexists' }); break;
    }
  }
  return requirements;
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, unknown> | undefined): boolean {
  const actual = labels ?? {};
  return selector.every((requirement) => {
    const has = Object.hasOwn(actual, requirement.key);
    const value = has ? String(actual[requirement.key]) : undefined;
    switch (requirement.op) {
      case 'exists': return has;
      case 'notexists': return !has;
      case 'in': return value !== undefined && requirement.values.includes(value);
      case 'notin': return value === undefined || !requirement.values.includes(value);
    }
  });
}

/** `app=x,version=v1` for a matchLabels-only selector (what Scale.status.selector shows). */
export function formatLabelSelector(selector: LabelSelector): string {
  return selector
    .map((requirement) => {
      switch (requirement.op) {
        case 'exists': return requirement.key;
        case 'notexists': return `!${requirement.key}`;
        case 'in': return requirement.values.length === 1 ? `${requirement.key}=${requirement.values[0]}` : `${requirement.key} in (${requirement.values.join(',')})`;
        case 'notin': return requirement.values.length === 1 ? `${requirement.key}!=${requirement.values[0]}` : `${requirement.key} notin (${requirement.values.join(',')})`;
      }
    })
    .join(',');
}
