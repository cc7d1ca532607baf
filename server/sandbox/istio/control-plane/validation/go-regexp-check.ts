// Go's regexp (RE2) compile errors for the mistakes learners make, worded as Go words them,
// because Istio embeds that text in its validation message.

/** Returns Go's `error parsing regexp: …` text, or undefined when the pattern compiles. */
export function goRegexpError(pattern: string): string | undefined {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') {
      inClass = true;
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) return `error parsing regexp: missing closing ]: \`${pattern.slice(i)}\``;
    } else if (char === '(') depth++;
    else if (char === ')') {
      if (depth === 0) return `error parsing regexp: unexpected ): \`${pattern}\``;
      depth--;
    } else if (char === '*' || char === '+' || char === '?') {
      const previous = i === 0 ? '' : pattern[i - 1];
      if (i === 0 || previous === '(' || previous === '|') return `error parsing regexp: missing argument to repetition operator: \`${char}\``;
      if ((previous === '*' || previous === '+') && char !== '?') return `error parsing regexp: invalid nested repetition operator: \`${pattern.slice(i - 1, i + 1)}\``;
    }
  }
  if (depth > 0) return `error parsing regexp: missing closing ): \`${pattern}\``;
  // RE2 has no backreferences or lookaround.
  if (/\(\?[=!<]/.test(pattern)) return `error parsing regexp: invalid or unsupported Perl syntax: \`${pattern.slice(pattern.search(/\(\?[=!<]/), pattern.search(/\(\?[=!<]/) + 3)}\``;
  if (/\\[1-9]/.test(pattern)) {
    const at = pattern.search(/\\[1-9]/);
    return `error parsing regexp: invalid escape sequence: \`${pattern.slice(at, at + 2)}\``;
  }
  return undefined;
}
