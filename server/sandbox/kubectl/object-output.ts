// The non-table output formats shared by get, apply, create and friends: json, yaml, name,
// jsonpath and custom-columns, printed from full objects.
import { kindPrefix, type ApiResource } from './discovery.ts';
import { goJsonIndent } from './go-json.ts';
import { runGoTemplate } from './go-template.ts';
import { goYaml } from './go-yaml.ts';
import { evaluatePath, jsonPathText, jsonPathValues, parseJsonPath, runJsonPath } from './json-path.ts';
import { KubectlError } from './kubectl-error.ts';
import { formatColumns } from './tab-writer.ts';

export type KubeObject = Record<string, unknown> & {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string; [key: string]: unknown };
};

export interface OutputFormat {
  kind: 'table' | 'wide' | 'json' | 'yaml' | 'name' | 'jsonpath' | 'jsonpath-as-json' | 'custom-columns' | 'go-template';
  template: string;
}

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** Reads `-o` (and `--template`, for `-o go-template|jsonpath`) the way kubectl's printer flags do. */
export function parseOutputFormat(value: string | undefined, allowed = ALLOWED, templateFlag?: string): OutputFormat {
  if (value === undefined || value === '') return { kind: 'table', template: '' };
  const eq = value.indexOf('=');
  const name = eq === -1 ? value : value.slice(0, eq);
  const template = eq === -1 ? (templateFlag ?? '') : value.slice(eq + 1);
  if (name === 'go-template' || name === 'template') {
    if (template === '') throw new KubectlError('TEMPLATE_MISSING', 'error: template format specified but no template given');
    return { kind: 'go-template', template };
  }
  if (name === 'wide' || name === 'json' || name === 'yaml' || name === 'name') return { kind: name, template };
  if (name === 'jsonpath-as-json') {
    if (template === '') throw new KubectlError('TEMPLATE_MISSING', 'error: template format specified but no template given');
    return { kind: name, template };
  }
  if (name === 'jsonpath' || name === 'custom-columns') {
    if (template === '') {
      throw new KubectlError('TEMPLATE_MISSING', name === 'jsonpath' ? 'error: template format specified but no template given' : 'error: custom-columns format specified but no custom columns given');
    }
    return { kind: name, template };
  }
  throw new KubectlError(
    'OUTPUT_FORMAT_UNKNOWN',
    `error: unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed}`,
  );
}

/** kubectl's `List` wrapper around several objects. */
export function listWrapper(items: KubeObject[]): KubeObject {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** `deployment.apps/reviews-v1`. */
export function objectName(resource: ApiResource, object: KubeObject): string {
  return `${kindPrefix(resource)}/${object.metadata?.name ?? ''}`;
}

/** Turns `.metadata.name` into `{.metadata.name}` like kubectl's RelaxedJSONPathExpression. */
export function relaxedJsonPath(expression: string): string {
  let text = expression.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1);
  if (!text.startsWith('.') && !text.startsWith('$') && !text.startsWith('@')) text = `.${text}`;
  return `{${text}}`;
}

export function customColumns(spec: string, objects: KubeObject[], noHeaders: boolean): string {
  const columns = spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon === -1) {
      throw new KubectlError('CUSTOM_COLUMNS_INVALID', `error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    }
    const nodes = parseJsonPath(relaxedJsonPath(part.slice(colon + 1)));
    return { header: part.slice(0, colon), nodes };
  });
  const rows: string[][] = noHeaders ? [] : [columns.map((column) => column.header)];
  for (const object of objects) {
    rows.push(
      columns.map((column) => {
        const node = column.nodes[0];
        if (node === undefined || node.type !== 'path') return '<none>';
        const values = evaluatePath(node.segments, object);
        if (values.length === 0) return '<none>';
        return values.map(jsonPathText).join(',');
      }),
    );
  }
  return formatColumns(rows);
}

/** The object without metadata.managedFields (kubectl hides them unless --show-managed-fields). */
function withoutManagedFields(object: KubeObject): KubeObject {
  let result = object;
  if (object.metadata !== undefined && 'managedFields' in object.metadata) {
    const { managedFields: _dropped, ...metadata } = object.metadata;
    result = { ...object, metadata };
  }
  if (Array.isArray(result.items)) result = { ...result, items: (result.items as KubeObject[]).map(withoutManagedFields) };
  return result;
}

export interface PrintOptions {
  /** Built client-side in Go struct field order, which JSON output keeps. */
  typed?: boolean;
  /** --show-managed-fields. */
  managedFields?: boolean;
}

/** Prints objects (already combined: one object, or a List) in a structured format. */
export function printStructured(format: OutputFormat, object: KubeObject, options: PrintOptions = {}): string {
  const printed = options.managedFields === true ? object : withoutManagedFields(object);
  switch (format.kind) {
    case 'json':
      return `${goJsonIndent(printed, options.typed !== true)}\n`;
    case 'yaml':
      return goYaml(printed);
    case 'jsonpath':
      return runJsonPath(format.template, printed);
    case 'go-template':
      return runGoTemplate(format.template, printed);
    case 'jsonpath-as-json':
      return `${goJsonIndent(jsonPathValues(format.template, printed))}\n`;
    default:
      throw new KubectlError('OUTPUT_FORMAT_UNKNOWN', `error: output format ${format.kind} is not structured`);
  }
}
