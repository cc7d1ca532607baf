import { isJsonObject } from '../core/json-object.ts';

/**
 * Evaluates the JSONPath subset used by additionalPrinterColumns: `.a.b`, `.a[0]`, `.a[*].b`
 * and `.a[?(@.type=="Ready")].status`. Returns every match.
 */
export function evaluateJsonPath(root: unknown, path: string): unknown[] {
  const body = path.trim().replace(/^\{(.*)\}$/, '$1').replace(/^\$/, '');
  const tokens = body.match(/\.[^.[\]]+|\[[^\]]*\]/g) ?? [];
  let current: unknown[] = [root];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const value of current) {
      if (token.startsWith('.')) {
        if (isJsonObject(value) && value[token.slice(1)] !== undefined) next.push(value[token.slice(1)]);
        continue;
      }
      const inner = token.slice(1, -1);
      if (!Array.isArray(value)) continue;
      if (inner === '*') {
        next.push(...value);
        continue;
      }
      const filter = /^\?\(@\.([\w.-]+)\s*==\s*["']?([^"']*)["']?\)$/.exec(inner);
      if (filter !== null) {
        const key = filter[1] ?? '';
        next.push(...value.filter((item) => isJsonObject(item) && String(item[key]) === filter[2]));
        continue;
      }
      const index = Number(inner);
      const item = value[index < 0 ? value.length + index : index];
      if (item !== undefined) next.push(item);
    }
    current = next;
  }
  return current;
}
