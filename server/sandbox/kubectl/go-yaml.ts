// YAML the way kubectl's printers write it (sigs.k8s.io/yaml over go-yaml v2): keys sorted,
// sequences not indented under their key, strings that would read back as another type
// double-quoted, strings the emitter cannot write plain single-quoted, multi-line strings as
// literal blocks, long plain strings folded at spaces past column 80.
import { compareGoStrings } from './go-json.ts';

const BEST_WIDTH = 80;

const BOOL_OR_NULL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '<<',
]);

/** Whether go-yaml v2's resolver would read the plain scalar as something other than a string. */
function resolvesToNonString(text: string): boolean {
  if (BOOL_OR_NULL.has(text)) return true;
  const plain = text.replace(/_/g, '');
  if (/^[-+]?(0b[01]+|0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(plain)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  // Base-60 floats (`1:20`) are quoted by the encoder too.
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(text)) return true;
  // Timestamps: date, or date and time.
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$/.test(text)) return true;
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$/.test(text)) return true;
  return false;
}

/** The emitter's analysis: may this single-line string be written plain in block context? */
function plainAllowed(text: string): boolean {
  if (text === '') return false;
  if (/^[\s]|[\s]$/.test(text)) return false;
  const first = text[0] ?? '';
  if ('#,[]{}&*!|>\'"%@`'.includes(first)) return false;
  if ((first === '-' || first === '?' || first === ':') && (text.length === 1 || /[\s]/.test(text[1] ?? ''))) return false;
  if (text.startsWith('---') || text.startsWith('...')) return false;
  if (/: |:$| #/.test(text)) return false;
  if (text.includes(':') && text.endsWith(':')) return false;
  // Non-printable characters need double quotes.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\ufeff]/.test(text)) return false;
  return true;
}

function needsDoubleQuotes(text: string): boolean {
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\ufeff\t]/.test(text);
}

function doubleQuoted(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** Writes words separated by single spaces, breaking at a space once the column passes 80. */
function folded(text: string, column: number, indent: number): string {
  let out = '';
  let col = column;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] ?? '';
    if (char === ' ' && col > BEST_WIDTH && text[index - 1] !== ' ' && text[index + 1] !== ' ' && index + 1 < text.length) {
      out += `\n${' '.repeat(indent)}`;
      col = indent;
      continue;
    }
    out += char;
    col++;
  }
  return out;
}

/** A string scalar starting at `column`, continuation lines indented by `indent`. */
function stringScalar(text: string, column: number, indent: number): string {
  if (text.includes('\n')) {
    const trailingSpaceBeforeBreak = / \n/.test(text) || needsDoubleQuotes(text.replace(/\n/g, ''));
    if (!trailingSpaceBeforeBreak) {
      const chomp = text.endsWith('\n') ? (text.endsWith('\n\n') ? '+' : '') : '-';
      const indicator = text.startsWith(' ') || text.startsWith('\n') ? String(2) : '';
      const body = text.endsWith('\n') ? text.slice(0, -1) : text;
      const pad = ' '.repeat(indent);
      const lines = body.split('\n').map((line) => (line === '' ? '' : pad + line));
      return `|${indicator}${chomp}\n${lines.join('\n')}`;
    }
    return doubleQuoted(text);
  }
  if (needsDoubleQuotes(text) || resolvesToNonString(text)) return doubleQuoted(text);
  if (plainAllowed(text)) return folded(text, column, indent);
  return `'${folded(text.replace(/'/g, "''"), column + 1, indent)}'`;
}

function scalar(value: unknown, column: number, indent: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return stringScalar(value, column, indent);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  if (typeof value === 'boolean') return String(value);
  return String(value);
}

function goFloat(value: number): string {
  const text = String(value);
  return text.replace(/e\+?(-?)(\d)$/, 'e$1 0$2').replace(' ', '+');
}

function isCollection(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === 'object';
}

function isEmpty(value: Record<string, unknown> | unknown[]): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function emitMapping(map: Record<string, unknown>, indent: number, firstInline: boolean): string {
  const keys = Object.keys(map).sort(compareGoStrings);
  let out = '';
  keys.forEach((key, index) => {
    const pad = index === 0 && firstInline ? '' : ' '.repeat(indent);
    const keyText = stringScalar(key, indent, indent);
    const value = map[key];
    out += `${pad}${keyText}:`;
    if (isCollection(value) && !isEmpty(value)) {
      if (Array.isArray(value)) out += `\n${emitSequence(value, indent)}`;
      else out += `\n${emitMapping(value, indent + 2, false)}`;
    } else if (isCollection(value)) {
      out += Array.isArray(value) ? ' []\n' : ' {}\n';
    } else {
      const column = indent + keyText.length + 2;
      out += ` ${scalar(value, column, indent + 2)}\n`;
    }
  });
  return out;
}

function emitSequence(list: unknown[], indent: number): string {
  let out = '';
  for (const item of list) {
    out += `${' '.repeat(indent)}- `;
    if (isCollection(item) && !isEmpty(item)) {
      if (Array.isArray(item)) out += emitSequence(item, indent + 2).slice(indent + 2);
      else out += emitMapping(item, indent + 2, true);
    } else if (isCollection(item)) {
      out += Array.isArray(item) ? '[]\n' : '{}\n';
    } else {
      out += `${scalar(item, indent + 2, indent + 2)}\n`;
    }
  }
  return out;
}

/** The YAML document kubectl prints for one object (no `---` separator). */
export function goYaml(value: unknown): string {
  if (Array.isArray(value)) return isEmpty(value) ? '[]\n' : emitSequence(value, 0);
  if (isCollection(value)) return isEmpty(value) ? '{}\n' : emitMapping(value as Record<string, unknown>, 0, false);
  return `${scalar(value, 0, 0)}\n`;
}
