// JSON the way kubectl's printers write it: Go's encoding/json over unstructured maps, so
// object keys are sorted, `<`, `>` and `&` are escaped, and indentation is four spaces.

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareGoStrings)) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

/** Go sorts map keys by bytes, which for these keys is UTF-16 order outside surrogates. */
export function compareGoStrings(a: string, b: string): number {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return Buffer.compare(left, right);
}

function escapeHtml(text: string): string {
  return text.replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `json.MarshalIndent(v, "", "    ")`. Maps (unstructured objects) sort their keys; a typed
 * Go struct keeps its field order, so objects built in that order pass `sorted = false`.
 */
export function goJsonIndent(value: unknown, sorted = true): string {
  return escapeHtml(JSON.stringify(sorted ? sortKeys(value) : value, null, 4));
}

/** `json.Marshal(v)`: compact, sorted, HTML-escaped. */
export function goJsonCompact(value: unknown): string {
  return escapeHtml(JSON.stringify(sortKeys(value)));
}
