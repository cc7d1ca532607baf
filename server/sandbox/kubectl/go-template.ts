// The subset of Go's text/template that `kubectl -o go-template=…` templates use: field
// chains on `.` and `$variables`, string/number/bool literals, pipelines, parentheses,
// `if`/`else if`/`else`, `range` (with `$i, $e :=`, over lists and maps in key order),
// `with`, `{{- trim markers -}}`, and the functions index, len, eq, ne, lt, le, gt, ge,
// and, or, not, print, printf (%s %d %v %q), println, base64decode and exists (kubectl's).
import { KubectlError } from './kubectl-error.ts';

type Token =
  | { type: 'text'; text: string }
  | { type: 'action'; text: string };

interface TextNode { type: 'text'; text: string }
interface ActionNode { type: 'action'; pipe: Pipe }
interface IfNode { type: 'if' | 'with'; pipe: Pipe; then: Node[]; otherwise: Node[] }
interface RangeNode { type: 'range'; pipe: Pipe; variables: string[]; body: Node[]; otherwise: Node[] }
type Node = TextNode | ActionNode | IfNode | RangeNode;

type Operand =
  | { type: 'field'; root: 'dot' | string; path: string[] }
  | { type: 'literal'; value: unknown }
  | { type: 'group'; pipe: Pipe; path: string[] };
interface Command { name: string | undefined; args: Operand[] }
interface Pipe { declare: string | undefined; commands: Command[] }

const NO_VALUE = Symbol('no value');

export class GoTemplateError extends KubectlError {
  constructor(message: string) {
    super('GO_TEMPLATE', message);
  }
}

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < template.length) {
    const open = template.indexOf('{{', position);
    if (open === -1) {
      tokens.push({ type: 'text', text: template.slice(position) });
      break;
    }
    let text = template.slice(position, open);
    let start = open + 2;
    if (template.startsWith('- ', start) || template.startsWith('-\t', start) || template.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    if (text !== '') tokens.push({ type: 'text', text });
    const close = template.indexOf('}}', start);
    if (close === -1) throw new GoTemplateError('unclosed action');
    let inner = template.slice(start, close);
    position = close + 2;
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      const rest = template.slice(position);
      position += rest.length - rest.replace(/^\s+/, '').length;
    }
    tokens.push({ type: 'action', text: inner.trim() });
  }
  return tokens;
}

/** Splits an action into words: strings, parenthesised groups and bare words stay whole. */
function words(text: string): string[] {
  const out: string[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index] ?? '';
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    let end = index;
    if (char === '"') {
      end++;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      end++;
    } else if (char === '`') {
      end = text.indexOf('`', index + 1) + 1;
      if (end === 0) throw new GoTemplateError('unterminated raw quoted string');
    } else if (char === '(') {
      let depth = 0;
      for (; end < text.length; end++) {
        if (text[end] === '"') {
          end++;
          while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
        }
        if (text[end] === '(') depth++;
        if (text[end] === ')' && --depth === 0) break;
      }
      end++;
      while (end < text.length && !/[\s|]/.test(text[end] ?? '')) end++;
    } else if (char === '|') end++;
    else while (end < text.length && !/[\s|]/.test(text[end] ?? '')) end++;
    out.push(text.slice(index, end));
    index = end;
  }
  return out;
}

function parseOperand(word: string): Operand {
  if (word.startsWith('"')) return { type: 'literal', value: JSON.parse(word) as string };
  if (word.startsWith('`')) return { type: 'literal', value: word.slice(1, -1) };
  if (word === 'true' || word === 'false') return { type: 'literal', value: word === 'true' };
  if (word === 'nil') return { type: 'literal', value: null };
  if (/^-?\d+(\.\d+)?$/.test(word)) return { type: 'literal', value: Number(word) };
  if (word.startsWith('(')) {
    const close = word.lastIndexOf(')');
    const tail = word.slice(close + 1);
    return { type: 'group', pipe: parsePipe(word.slice(1, close)), path: tail === '' ? [] : tail.slice(1).split('.') };
  }
  if (word === '.') return { type: 'field', root: 'dot', path: [] };
  if (word.startsWith('.')) return { type: 'field', root: 'dot', path: word.slice(1).split('.') };
  if (word.startsWith('$')) {
    const [name = '$', ...path] = word.split('.');
    return { type: 'field', root: name, path };
  }
  throw new GoTemplateError(`function "${word}" not defined`);
}

const FUNCTIONS = new Set(['index', 'len', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not', 'print', 'printf', 'println', 'base64decode', 'exists']);

function parsePipe(text: string): Pipe {
  let body = text;
  let declare: string | undefined;
  const declaration = /^(\$\w*)\s*:?=\s*/.exec(body);
  if (declaration !== null) {
    declare = declaration[1];
    body = body.slice(declaration[0].length);
  }
  const commands: Command[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length === 0) throw new GoTemplateError('missing command');
    const [first = '', ...rest] = current;
    if (FUNCTIONS.has(first)) commands.push({ name: first, args: rest.map(parseOperand) });
    else if (rest.length === 0) commands.push({ name: undefined, args: [parseOperand(first)] });
    else throw new GoTemplateError(`can't give argument to non-function ${first}`);
    current = [];
  };
  for (const word of words(body)) {
    if (word === '|') flush();
    else current.push(word);
  }
  flush();
  return { declare, commands };
}

function parse(tokens: Token[]): Node[] {
  let index = 0;
  type Ending = { nodes: Node[]; end: string; elseIf?: IfNode };
  const conditional = (keyword: 'if' | 'with', text: string): IfNode => {
    const pipe = parsePipe(text);
    const then = block(['else', 'end']);
    let otherwise: Node[] = [];
    if (then.end === 'else') otherwise = block(['end']).nodes;
    // `else if …` is an if nested in the else branch that shares the chain's {{end}}.
    else if (then.elseIf !== undefined) otherwise = [then.elseIf];
    return { type: keyword, pipe, then: then.nodes, otherwise };
  };
  const block = (terminators: string[]): Ending => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++] as Token;
      if (token.type === 'text') {
        nodes.push({ type: 'text', text: token.text });
        continue;
      }
      const text = token.text;
      if (text.startsWith('/*')) continue;
      const keyword = text.split(/\s+/)[0] ?? '';
      if (terminators.includes(keyword)) {
        if (keyword === 'else' && text !== 'else') {
          const rest = text.slice(4).trim();
          const nested = rest.split(/\s+/)[0] === 'with' ? 'with' : 'if';
          return { nodes, end: 'else-if', elseIf: conditional(nested, rest.slice(nested.length)) };
        }
        return { nodes, end: keyword };
      }
      if (keyword === 'if' || keyword === 'with') {
        nodes.push(conditional(keyword, text.slice(keyword.length)));
        continue;
      }
      if (keyword === 'range') {
        let rest = text.slice('range'.length).trim();
        const variables: string[] = [];
        const declaration = /^(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=\s*/.exec(rest);
        if (declaration !== null) {
          variables.push(declaration[1] ?? '');
          if (declaration[2] !== undefined) variables.push(declaration[2]);
          rest = rest.slice(declaration[0].length);
        }
        const pipe = parsePipe(rest);
        const body = block(['else', 'end']);
        const otherwise = body.end === 'else' ? block(['end']).nodes : [];
        nodes.push({ type: 'range', pipe, variables, body: body.nodes, otherwise });
        continue;
      }
      if (keyword === 'end' || keyword === 'else') throw new GoTemplateError(`unexpected {{${keyword}}}`);
      nodes.push({ type: 'action', pipe: parsePipe(text) });
    }
    if (terminators.length > 0) throw new GoTemplateError('unexpected EOF');
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

function truthy(value: unknown): boolean {
  if (value === NO_VALUE || value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** fmt's %v of an unstructured value. */
export function goPrint(value: unknown): string {
  if (value === NO_VALUE || value === undefined) return '<no value>';
  if (value === null) return '<nil>';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(goPrint).join(' ')}]`;
  if (typeof value === 'object') {
    const map = value as Record<string, unknown>;
    return `map[${Object.keys(map).sort().map((key) => `${key}:${goPrint(map[key])}`).join(' ')}]`;
  }
  return String(value);
}

class Scope {
  readonly variables: Map<string, unknown>;
  constructor(variables: Map<string, unknown>) {
    this.variables = variables;
  }
  child(): Scope {
    return new Scope(new Map(this.variables));
  }
}

function field(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === NO_VALUE || current === null || current === undefined) return NO_VALUE;
    if (typeof current !== 'object' || Array.isArray(current)) throw new GoTemplateError(`can't evaluate field ${key} in type ${Array.isArray(current) ? '[]interface {}' : typeof current}`);
    const map = current as Record<string, unknown>;
    current = key in map ? map[key] : NO_VALUE;
  }
  return current;
}

function compare(name: string, a: unknown, b: unknown): boolean {
  if (name === 'eq') return a === b;
  if (name === 'ne') return a !== b;
  if ((typeof a !== 'number' || typeof b !== 'number') && (typeof a !== 'string' || typeof b !== 'string')) throw new GoTemplateError(`error calling ${name}: incompatible types for comparison`);
  if (name === 'lt') return a < b;
  if (name === 'le') return a <= b;
  if (name === 'gt') return a > b;
  return a >= b;
}

function printf(format: string, args: unknown[]): string {
  let index = 0;
  return format.replace(/%([sdvq%])/g, (_match, verb: string) => {
    if (verb === '%') return '%';
    const value = args[index++];
    if (verb === 'q') return JSON.stringify(goPrint(value));
    return goPrint(value);
  });
}

function call(name: string, args: unknown[]): unknown {
  switch (name) {
    case 'index': {
      let current = args[0];
      for (const key of args.slice(1)) {
        if (Array.isArray(current) && typeof key === 'number') current = current[key];
        else if (current !== null && typeof current === 'object' && typeof key === 'string') {
          const map = current as Record<string, unknown>;
          current = key in map ? map[key] : NO_VALUE;
        } else current = NO_VALUE;
      }
      return current;
    }
    case 'len': {
      const value = args[0];
      if (typeof value === 'string' || Array.isArray(value)) return value.length;
      if (value !== null && typeof value === 'object') return Object.keys(value).length;
      throw new GoTemplateError(`error calling len: len of type ${typeof value}`);
    }
    case 'eq':
      return args.slice(1).some((other) => compare('eq', args[0], other));
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return compare(name, args[0], args[1]);
    case 'and':
      return args.find((value) => !truthy(value)) ?? args.at(-1);
    case 'or':
      return args.find((value) => truthy(value)) ?? args.at(-1);
    case 'not':
      return !truthy(args[0]);
    case 'print':
      return args.map(goPrint).join('');
    case 'println':
      return `${args.map(goPrint).join(' ')}\n`;
    case 'printf':
      return printf(typeof args[0] === 'string' ? args[0] : '', args.slice(1));
    case 'base64decode':
      return Buffer.from(typeof args[0] === 'string' ? args[0] : '', 'base64').toString('utf8');
    case 'exists':
      return field(args[0], args.slice(1).map(String)) !== NO_VALUE;
    default:
      throw new GoTemplateError(`function "${name}" not defined`);
  }
}

function evaluateOperand(operand: Operand, dot: unknown, scope: Scope): unknown {
  if (operand.type === 'literal') return operand.value;
  if (operand.type === 'group') return field(evaluatePipe(operand.pipe, dot, scope), operand.path);
  const root = operand.root === 'dot' ? dot : scope.variables.get(operand.root);
  if (operand.root !== 'dot' && !scope.variables.has(operand.root)) throw new GoTemplateError(`undefined variable "${operand.root}"`);
  return field(root, operand.path);
}

function evaluatePipe(pipe: Pipe, dot: unknown, scope: Scope): unknown {
  let result: unknown = NO_VALUE;
  pipe.commands.forEach((command, index) => {
    const args = command.args.map((operand) => evaluateOperand(operand, dot, scope));
    if (index > 0) args.push(result);
    result = command.name === undefined ? args[0] : call(command.name, args);
  });
  if (pipe.declare !== undefined) scope.variables.set(pipe.declare, result);
  return result;
}

function execute(nodes: readonly Node[], dot: unknown, scope: Scope): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.text;
        break;
      case 'action': {
        const value = evaluatePipe(node.pipe, dot, scope);
        if (node.pipe.declare === undefined) out += goPrint(value);
        break;
      }
      case 'if':
      case 'with': {
        const inner = scope.child();
        const value = evaluatePipe(node.pipe, dot, inner);
        if (truthy(value)) out += execute(node.then, node.type === 'with' ? value : dot, inner);
        else out += execute(node.otherwise, dot, inner);
        break;
      }
      case 'range': {
        const inner = scope.child();
        const value = evaluatePipe(node.pipe, dot, inner);
        const entries: [unknown, unknown][] = Array.isArray(value)
          ? value.map((item, index) => [index, item])
          : value !== null && typeof value === 'object'
            ? Object.keys(value).sort().map((key) => [key, (value as Record<string, unknown>)[key]])
            : [];
        if (entries.length === 0) {
          out += execute(node.otherwise, dot, inner);
          break;
        }
        for (const [key, item] of entries) {
          const iteration = inner.child();
          if (node.variables.length === 1) iteration.variables.set(node.variables[0] ?? '', item);
          if (node.variables.length === 2) {
            iteration.variables.set(node.variables[0] ?? '', key);
            iteration.variables.set(node.variables[1] ?? '', item);
          }
          out += execute(node.body, item, iteration);
        }
        break;
      }
    }
  }
  return out;
}

/** Runs a kubectl go-template over an object (or a List of them). */
export function runGoTemplate(template: string, data: unknown): string {
  let nodes: Node[];
  try {
    nodes = parse(tokenize(template));
  } catch (error) {
    if (error instanceof GoTemplateError) throw new GoTemplateError(`error: error parsing template ${template}, template: output:1: ${error.message}`);
    throw error;
  }
  try {
    return execute(nodes, data, new Scope(new Map([['$', data]])));
  } catch (error) {
    if (error instanceof GoTemplateError) throw new GoTemplateError(`error: error executing template "${template}": template: output:1: ${error.message}`);
    throw error;
  }
}
