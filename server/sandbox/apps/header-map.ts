// Header maps with lower-case names; repeated headers are arrays. Apps read them through these
// accessors so that single and multi-valued headers are handled the same way everywhere.

export type HeaderValue = string | readonly string[];
export type HeaderMap = Readonly<Record<string, HeaderValue>>;

/** Every value of a header, in order (the name is matched case-insensitively). */
export function headerValues(headers: HeaderMap, name: string): string[] {
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === 'string') out.push(value);
    else out.push(...value);
  }
  return out;
}

/** The first value of a header, or undefined when absent. */
export function firstHeader(headers: HeaderMap, name: string): string | undefined {
  return headerValues(headers, name)[0];
}
