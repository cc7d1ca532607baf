// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath) with missing keys allowed, as
// `-o jsonpath` and `-o custom-columns` use them: text, `{.a.b}`, `{.items[*].x}`, `{.a[0]}`,
// slices, `..name`, `{range …}{end}`, filters `[?(@.x=="y")]` and string literals.
import { goJsonCompact } from './go-json.ts';
import { KubectlError } from './kubectl-error.ts';

export type Segment =
  | { type: 'field'; name: string }
  | { type: 'recursive'; name: string }
  | { type: 'index'; index: number }
  | { type: 'slice'; start: number | undefined; end: number | undefined }
  | { type: 'wildcard' }
  | { type: 'filter'; path: Segment[]; op: string | undefined; literal: unknown };

type Node =
  | { type: 'text'; text: string }
  | { type: 'path'; segments: Segment[] }
  | { type: 'range'; segments: Segment[]; body: Node[] };

export class JsonPathError extends KubectlError {
  constructor(message: string) {
    super('JSONPATH_INVALID', message);
  }
}

function parseSegments(source: string, template = source): Segment[] {
  let text = source.trim();
  if (text === '@' || text === '$' || text === '') return [];
  if (text.startsWith('$') || text.startsWith('@')) text = text.slice(1);
  const segments: Segment[] = [];
  let index = 0;
  const readName = (): string => {
    let name = '';
    while (index < text.length && text[index] !== '.' && text[index] !== '[') {
      if (text[index] === '\\' && index + 1 < text.length) {
        name += text[index + 1];
        index += 2;
        continue;
      }
      name += text[index];
      index++;
    }
    return name;
  };
  while (index < text.length) {
    const char = text[index];
    if (char === '.') {
      if (text[index + 1] === '.') {
        index += 2;
        segments.push({ type: 'recursive', name: readName() });
      } else {
        index++;
        const name = readName();
        if (name === '*') segments.push({ type: 'wildcard' });
        else if (name !== '') segments.push({ type: 'field', name });
      }
    } else if (char === '[') {
      let depth = 0;
      let end = index;
      let quote: string | undefined;
      for (; end < text.length; end++) {
        const c = text[end];
        if (quote !== undefined) {
          if (c === quote) quote = undefined;
          continue;
        }
        if (c === '"' || c === "'") quote = c;
        else if (c === '[') depth++;
        else if (c === ']' && --depth === 0) break;
      }
      if (end >= text.length) throw new JsonPathError(`error: error parsing jsonpath ${template}, unterminated array`);
      const inner = text.slice(index + 1, end).trim();
      index = end + 1;
      segments.push(parseBracket(inner));
    } else {
      const name = readName();
      if (name !== '') segments.push({ type: 'field', name });
    }
  }
  return segments;
}

function parseLiteral(text: string): unknown {
  const trimmed = text.trim();
  if (/^(['"]).*\1$/.test(trimmed)) return trimmed.slice(1, -1);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed !== '' && !Number.isNaN(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

function parseBracket(inner: string): Segment {
  if (inner === '*') return { type: 'wildcard' };
  if (inner.startsWith('?(') && inner.endsWith(')')) {
    const body = inner.slice(2, -1).trim();
    const match = /^(@[^=!<>]*?)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(body);
    if (match === null) return { type: 'filter', path: parseSegments(body), op: undefined, literal: undefined };
    return { type: 'filter', path: parseSegments(match[1] ?? '@'), op: match[2], literal: parseLiteral(match[3] ?? '') };
  }
  // A quoted key keeps dots as part of the name; `\.` in it is a plain dot.
  if (/^(['"]).*\1$/.test(inner)) return { type: 'field', name: inner.slice(1, -1).replace(/\\(.)/g, '$1') };
  if (inner.includes(':')) {
    const [start, end] = inner.split(':');
    return { type: 'slice', start: start?.trim() === '' ? undefined : Number(start), end: end === undefined || end.trim() === '' ? undefined : Number(end) };
  }
  return { type: 'index', index: Number(inner) };
}

/** Splits a template into text and `{…}` actions, nesting range bodies. */
export function parseJsonPath(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let index = 0;
  let text = '';
  const current = (): Node[] => stack[stack.length - 1] ?? root;
  while (index < template.length) {
    const char = template[index];
    if (char !== '{') {
      text += char;
      index++;
      continue;
    }
    if (text !== '') current().push({ type: 'text', text });
    text = '';
    let end = index + 1;
    let quote: string | undefined;
    for (; end < template.length; end++) {
      const c = template[end];
      if (quote !== undefined) {
        if (c === '\\') end++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '}') break;
    }
    if (end >= template.length) throw new JsonPathError(`error: error parsing jsonpath ${template}, unclosed action`);
    const action = template.slice(index + 1, end).trim();
    index = end + 1;
    if (action === 'end') {
      if (stack.length === 1) throw new JsonPathError(`error: error parsing jsonpath ${template}, not in range, nothing to end`);
      stack.pop();
    } else if (action.startsWith('range ')) {
      const node: Node = { type: 'range', segments: parseSegments(action.slice(6), template), body: [] };
      current().push(node);
      stack.push(node.body);
    } else if (/^"(?:[^"\\]|\\.)*"$/.test(action)) {
      current().push({ type: 'text', text: JSON.parse(action) as string });
    } else if (/^'[^']*'$/.test(action)) {
      current().push({ type: 'text', text: action.slice(1, -1) });
    } else {
      current().push({ type: 'path', segments: parseSegments(action, template) });
    }
  }
  if (text !== '') current().push({ type: 'text', text });
  if (stack.length > 1) throw new JsonPathError(`error: error parsing jsonpath ${template}, unclosed range`);
  return root;
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.keys(value).sort().map((key) => (value as Record<string, unknown>)[key]);
  return [];
}

function compare(left: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case '==': return left === right || (typeof left === 'number' && Number(right) === left);
    case '!=': return left !== right;
    case '<': return Number(left) < Number(right);
    case '>': return Number(left) > Number(right);
    case '<=': return Number(left) <= Number(right);
    case '>=': return Number(left) >= Number(right);
    default: return false;
  }
}

function recurse(value: unknown, name: string, out: unknown[]): void {
  if (value === null || typeof value !== 'object') return;
  if (!Array.isArray(value) && name in value) out.push((value as Record<string, unknown>)[name]);
  for (const child of children(value)) recurse(child, name, out);
}

/** Evaluates a path against one value, returning every match. */
export function evaluatePath(segments: readonly Segment[], value: unknown): unknown[] {
  let current: unknown[] = [value];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const item of current) {
      switch (segment.type) {
        case 'field':
          if (item !== null && typeof item === 'object' && !Array.isArray(item) && segment.name in item) next.push((item as Record<string, unknown>)[segment.name]);
          break;
        case 'recursive':
          recurse(item, segment.name, next);
          break;
        case 'wildcard':
          next.push(...children(item));
          break;
        case 'index':
          if (Array.isArray(item)) {
            const at = segment.index < 0 ? item.length + segment.index : segment.index;
            if (at >= 0 && at < item.length) next.push(item[at]);
            else throw new JsonPathError(`array index out of bounds: index ${segment.index}, length ${item.length}`);
          }
          break;
        case 'slice':
          if (Array.isArray(item)) next.push(...item.slice(segment.start ?? 0, segment.end ?? item.length));
          break;
        case 'filter':
          for (const child of Array.isArray(item) ? item : [item]) {
            const found = evaluatePath(segment.path, child);
            if (segment.op === undefined ? found.length > 0 : found.some((value) => compare(value, segment.op ?? '==', segment.literal))) next.push(child);
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

/** How kubectl's jsonpath prints one value. */
export function jsonPathText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'object') return goJsonCompact(value);
  return String(value);
}

function execute(nodes: readonly Node[], data: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text') out += node.text;
    else if (node.type === 'path') out += evaluatePath(node.segments, data).map(jsonPathText).join(' ');
    else for (const item of evaluatePath(node.segments, data).flatMap((value) => (Array.isArray(value) ? value : [value]))) out += execute(node.body, item);
  }
  return out;
}

/** `-o jsonpath-as-json`: every value the template's paths select, as one indented JSON array. */
export function jsonPathValues(template: string, data: unknown): unknown[] {
  const values: unknown[] = [];
  const collect = (nodes: readonly Node[], value: unknown): void => {
    for (const node of nodes) {
      if (node.type === 'path') values.push(...evaluatePath(node.segments, value));
      else if (node.type === 'range') for (const item of evaluatePath(node.segments, value).flatMap((entry) => (Array.isArray(entry) ? entry : [entry]))) collect(node.body, item);
    }
  };
  collect(parseJsonPath(template), data);
  return values;
}

/** Runs a template (already parsed or not) over one object. */
export function runJsonPath(template: string | Node[], data: unknown): string {
  return execute(typeof template === 'string' ? parseJsonPath(template) : template, data);
}
