// `kubectl explain TYPE[.field…]`: the OpenAPI v3 document of the resource's group-version,
// printed as kubectl 1.32's `plaintext` template renders it (its text/template logic is
// followed step by step below: GVK lookup through the paths, ref resolution with cycle
// history, typeGuess, enums, descriptions wrapped by go-wordwrap and indented).
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import type { ApiResource } from './discovery.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';

type Schema = Record<string, unknown>;
type History = Set<string>;

interface Document {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Go template truthiness: empty strings, maps, lists, zero and nil are false. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** go-wordwrap v1.0.1 WrapString: breaks at white space only, counting runes. */
export function wrapString(text: string, limit: number): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLength = 0;
  let space = '';
  let spaceLength = 0;
  for (const char of text) {
    if (char === '\n') {
      if (wordLength === 0) {
        if (current + spaceLength > limit) current = 0;
        else out += space;
      } else out += space + word;
      space = '';
      spaceLength = 0;
      word = '';
      wordLength = 0;
      out += char;
      current = 0;
    } else if (/\s/u.test(char) && char !== '\u00a0') {
      if (spaceLength === 0 || wordLength > 0) {
        current += spaceLength + wordLength;
        out += space + word;
        space = '';
        spaceLength = 0;
        word = '';
        wordLength = 0;
      }
      space += char;
      spaceLength++;
    } else {
      word += char;
      wordLength++;
      if (current + spaceLength + wordLength > limit && wordLength < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLength = 0;
      }
    }
  }
  if (wordLength === 0) {
    if (current + spaceLength <= limit) out += space;
  } else out += space + word;
  return out;
}

function indent(amount: number, text: string): string {
  const pad = ' '.repeat(amount);
  return pad + text.replaceAll('\n', `\n${pad}`);
}

class Renderer {
  readonly document: Document;
  readonly recursive: boolean;

  constructor(document: Document, recursive: boolean) {
    this.document = document;
    this.recursive = recursive;
  }

  resolve(ref: unknown): Schema | undefined {
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    let current: unknown = this.document;
    for (const part of ref.slice(1).split('/')) {
      if (part === '') continue;
      if (!isObject(current)) return undefined;
      current = current[part];
    }
    return isObject(current) ? current : undefined;
  }

  resolved(schema: Schema): Schema {
    const target = this.resolve(schema.$ref);
    return target !== undefined && truthy(target) ? target : schema;
  }

  static mapValue(schema: Schema): Schema | undefined {
    const value = schema.additionalProperties;
    return isObject(value) && truthy(value) ? value : undefined;
  }

  typeGuess(schema: Schema): string {
    if (isObject(schema.items) && truthy(schema.items)) return `[]${this.typeGuess(schema.items)}`;
    const map = Renderer.mapValue(schema);
    if (map !== undefined) return `map[string]${this.typeGuess(map)}`;
    const allOf = Array.isArray(schema.allOf) ? schema.allOf : [];
    if (allOf.length === 1 && !truthy(schema.properties) && isObject(allOf[0])) return this.typeGuess(allOf[0]);
    const ref = schema.$ref;
    if (typeof ref === 'string' && ref !== '') {
      const target = this.resolve(ref);
      if (target === undefined || !truthy(target) || !truthy(target.type) || target.type === 'object') {
        const name = ref.split('/').at(-1) ?? '';
        return name.split('.').at(-1) || 'Object';
      }
      return String(target.type);
    }
    if (schema.type === 'object') return 'Object';
    return truthy(schema.type) ? String(schema.type) : 'Object';
  }

  static enumText(schema: Schema, long: boolean, limit: number, indentAmount: number): string {
    const values = Array.isArray(schema.enum) ? schema.enum : [];
    if (values.length === 0) return '';
    let text = long ? 'ENUM:' : `\n${' '.repeat(indentAmount)}enum: `;
    for (let index = 0; index < values.length; index++) {
      if (limit > -1 && index >= limit) {
        text += ', ....';
        break;
      }
      if (index > 0 && !long) text += ', ';
      else if (long) text += '\n    ';
      const value = values[index];
      text += value === '' ? '""' : typeof value === 'string' ? value : JSON.stringify(value);
    }
    return text;
  }

  description(schema: Schema): string {
    const target = this.resolve(schema.$ref) ?? schema;
    if (!truthy(target)) return '';
    let text = '';
    if (truthy(target.description)) text += `${String(target.description)}\n`;
    for (const part of Array.isArray(target.allOf) ? target.allOf : []) if (isObject(part)) text += this.description(part);
    if (isObject(target.items) && truthy(target.items)) text += this.description(target.items);
    const map = Renderer.mapValue(target);
    if (map !== undefined) text += this.description(map);
    return text;
  }

  static externalDocs(schema: Schema, amount: number, headerIndent: number): string {
    const docs = schema.externalDocs;
    if (!isObject(docs) || !truthy(docs)) return '';
    let text = `${indent(headerIndent, 'EXTERNAL DOCS:')}\n`;
    if (truthy(docs.description)) text += `${indent(amount + 4, wrapString(String(docs.description), 76 - amount))}\n`;
    if (truthy(docs.url)) text += `${indent(amount + 4, `URL: ${String(docs.url)}`)}\n`;
    return text;
  }

  fieldDetail(name: string, schema: Schema, level: number): string {
    const amount = level * 2;
    const properties = isObject(schema.properties) ? schema.properties : {};
    const field = isObject(properties[name]) ? properties[name] : {};
    const required = Array.isArray(schema.required) && schema.required.includes(name);
    let text = `${indent(amount, name)}\t<${this.typeGuess(field)}>${required ? ' -required-' : ''}${Renderer.enumText(field, false, 4, amount)}\n`;
    if (!this.recursive) {
      text += `${indent(amount + 2, wrapString(truthy(field.description) ? String(field.description) : '<no description>', 78 - amount))}\n`;
      const docs = field.externalDocs;
      if (isObject(docs) && truthy(docs)) {
        text += `\n${indent(amount + 2, 'EXTERNAL DOCS:')}\n`;
        if (truthy(docs.description)) text += `${indent(amount + 4, wrapString(String(docs.description), 76 - amount))}\n`;
        if (truthy(docs.url)) text += `${indent(amount + 4, `URL: ${String(docs.url)}`)}\n`;
      }
      text += '\n';
    }
    return text;
  }

  fieldList(schema: Schema, level: number, history: History): string {
    const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
    if (ref !== '' && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const resolved = this.resolved(schema);
    let text = '';
    const properties = isObject(resolved.properties) ? resolved.properties : {};
    for (const name of Object.keys(properties).sort()) {
      text += this.fieldDetail(name, resolved, level);
      const child = properties[name];
      if (this.recursive && isObject(child)) text += this.fieldList(child, level + 1, next);
    }
    for (const part of Array.isArray(resolved.allOf) ? resolved.allOf : []) if (isObject(part)) text += this.fieldList(part, level, next);
    if (isObject(resolved.items) && truthy(resolved.items)) text += this.fieldList(resolved.items, level, next);
    const map = Renderer.mapValue(resolved);
    if (map !== undefined) text += this.fieldList(map, level, next);
    return text;
  }

  output(schema: Schema, fieldPath: readonly string[], history: History): string {
    const ref = typeof schema.$ref === 'string' ? schema.$ref : '';
    const next = new Set(history).add(ref);
    const resolved = this.resolved(schema);
    if (fieldPath.length === 0) {
      const description = this.description(resolved);
      let text = `DESCRIPTION:\n${indent(4, wrapString(description === '' ? '<empty>' : description, 76))}\n`;
      const docs = Renderer.externalDocs(resolved, 0, 0);
      if (docs !== '') text += `\n${docs}`;
      const fields = this.fieldList(resolved, 1, new Set());
      if (fields !== '') text += `FIELDS:\n${fields}`;
      return text;
    }
    if (ref !== '' && history.has(ref)) return '';
    const properties = isObject(resolved.properties) ? resolved.properties : undefined;
    const first = fieldPath[0] ?? '';
    const sub = properties?.[first];
    if (properties !== undefined && truthy(properties) && isObject(sub) && truthy(sub)) {
      let text = '';
      if (fieldPath.length === 1) text += `FIELD: ${first} <${this.typeGuess(sub)}>\n${Renderer.enumText(sub, true, -1, 0)}\n\n`;
      return text + this.output(sub, fieldPath.slice(1), new Set());
    }
    if (isObject(resolved.items) && truthy(resolved.items)) return this.output(resolved.items, fieldPath, next);
    const map = Renderer.mapValue(resolved);
    if (map !== undefined) return this.output(map, fieldPath, next);
    for (const part of Array.isArray(resolved.allOf) ? resolved.allOf : []) {
      if (!isObject(part)) continue;
      const text = this.output(part, fieldPath, next);
      if (text !== '') return text;
    }
    return '';
  }
}

function sameGvk(a: unknown, b: Schema): boolean {
  if (!isObject(a)) return false;
  const keys = (value: Schema): string => Object.keys(value).sort().join(',');
  return keys(a) === keys(b) && Object.keys(b).every((key) => a[key] === b[key]);
}

/** explain.SplitAndParseResourceRequest(WithMatchingPrefix): the resource and the field path. */
function splitRequest(resources: ApiResource[], find: (name: string) => ApiResource | undefined, argument: string, matchPrefix: boolean): { resource: ApiResource; fields: string[] } {
  const text = argument.endsWith('.') ? argument.slice(0, -1) : argument;
  const parts = text.split('.');
  const head = parts[0] ?? '';
  const found = find(head);
  if (found === undefined) throw new KubectlError('UNKNOWN_RESOURCE_TYPE', `the server doesn't have a resource type "${head}"`);
  if (matchPrefix) {
    // Every version of the resource, preferred first, then the others in discovery order.
    const candidates = resources.filter((entry) => entry.resource === found.resource && entry.group === found.group);
    for (const candidate of [found, ...candidates.filter((entry) => entry !== found)]) {
      const groupResource = candidate.group === '' ? candidate.resource : `${candidate.resource}.${candidate.group}`;
      if (text.startsWith(groupResource)) {
        const suffix = text.slice(groupResource.length);
        return { resource: candidate, fields: suffix.length > 0 ? suffix.slice(1).split('.') : [] };
      }
    }
  }
  return { resource: found, fields: parts.slice(1) };
}

export async function runExplain(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'recursive', type: 'bool' },
    { name: 'api-version', type: 'string' },
    { name: 'output', type: 'string' },
  ]);
  const output = flagString(flags, 'output') ?? 'plaintext';
  const positionals = [...flags.positionals, ...flags.rest];
  if (positionals.length === 0) {
    throw new KubectlError('ARGS', 'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.');
  }
  if (positionals.length > 1) throw new KubectlError('ARGS', 'error: We accept only this format: explain RESOURCE');
  const discovery = await context.discovery();
  const apiVersion = flagString(flags, 'api-version') ?? '';
  const { resource, fields } = splitRequest(discovery.resources, (name) => discovery.find(name), positionals[0] ?? '', apiVersion === '');
  if (output !== 'plaintext') {
    if (output === 'plaintext-openapiv2') throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl explain --output=plaintext-openapiv2 is not available in this sandbox');
    throw new KubectlError('OUTPUT_INVALID', `error: unrecognized format: ${output}`);
  }
  let group = resource.group;
  let version = resource.version;
  if (apiVersion !== '') {
    const slash = apiVersion.indexOf('/');
    group = slash === -1 ? '' : apiVersion.slice(0, slash);
    version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
  }
  const index = await context.client.json<{ paths?: Record<string, { serverRelativeURL?: string }> }>({ path: '/openapi/v3' });
  const key = group === '' ? `api/${version}` : `apis/${group}/${version}`;
  const entry = index.paths?.[key];
  const gvrText = `${group === '' ? version : `${group}/${version}`}, Resource=${resource.resource}`;
  if (entry?.serverRelativeURL === undefined) throw new KubectlError('GVR_NOT_FOUND', `error: couldn't find resource for "${gvrText}"`);
  const document = await context.client.json<Document>({ path: entry.serverRelativeURL });
  const prefix = group === '' ? '/api' : `/apis/${group}`;
  const searchPaths = [
    [prefix, version, resource.resource],
    [prefix, version, resource.resource, '{name}'],
    [prefix, version, 'namespaces', '{namespace}', resource.resource],
    [prefix, version, 'namespaces', '{namespace}', resource.resource, '{name}'],
  ].map((parts) => parts.join('/'));
  let gvk: unknown;
  for (const path of searchPaths) {
    const element = document.paths?.[path];
    if (!truthy(element) || element === undefined) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = element[method];
      if (!truthy(operation) || !isObject(operation)) continue;
      gvk = operation['x-kubernetes-group-version-kind'];
      if (truthy(gvk)) break;
    }
  }
  if (!isObject(gvk) || !truthy(gvk)) throw new KubectlError('GVR_NOT_FOUND', `error: GVR (${gvrText}) not found in OpenAPI schema`);
  let header = '';
  if (truthy(gvk.group)) header += `GROUP:      ${String(gvk.group)}\n`;
  header += `KIND:       ${String(gvk.kind ?? '')}\nVERSION:    ${String(gvk.version ?? '')}\n\n`;
  context.out(header);
  const renderer = new Renderer(document, flagBool(flags, 'recursive'));
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas).sort()) {
    const schema = schemas[name];
    if (!isObject(schema)) continue;
    const kinds = schema['x-kubernetes-group-version-kind'];
    if (!Array.isArray(kinds) || !kinds.some((candidate) => sameGvk(candidate, gvk))) continue;
    const text = renderer.output(schema, fields, new Set());
    if (text === '') throw new KubectlError('FIELD_NOT_FOUND', `error: field "${fields.at(-1) ?? ''}" does not exist`);
    context.out(`${text}\n`);
    return 0;
  }
  throw new KubectlError('GVK_NOT_FOUND', `error: GVK ${goMap(gvk)} not found in OpenAPI schema`);
}

function goMap(value: Schema): string {
  return `map[${Object.keys(value).sort().map((key) => `${key}:${String(value[key])}`).join(' ')}]`;
}
