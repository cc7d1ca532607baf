// `kubectl get`: server-side Tables printed with kubectl's tabwriter, or full objects in the
// structured formats; resources named as `type`, `type1,type2`, `type name…`, `type/name…`,
// categories (`all`), with -l, -L, --show-labels, -A, --field-selector and --ignore-not-found.
import { TABLE_ACCEPT, statusError } from './api-client.ts';
import { kindPrefix, resourcePath, type ApiResource, type Discovery } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags, type FlagSpec } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { evaluatePath, parseJsonPath, type Segment } from './json-path.ts';
import { customColumns, listWrapper, objectName, parseOutputFormat, printStructured, relaxedJsonPath, type KubeObject, type OutputFormat } from './object-output.ts';
import { runRawGet } from './small-commands.ts';
import { formatColumns } from './tab-writer.ts';
import { GrowingColumns, watchAndPrint } from './get-watch.ts';

export const GET_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'label-columns', short: 'L', type: 'strings' },
  { name: 'show-labels', type: 'bool' },
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'field-selector', type: 'string' },
  { name: 'ignore-not-found', type: 'bool' },
  { name: 'no-headers', type: 'bool' },
  { name: 'show-kind', type: 'bool' },
  { name: 'chunk-size', type: 'int' },
  { name: 'show-managed-fields', type: 'bool' },
  { name: 'watch', short: 'w', type: 'bool' },
  { name: 'watch-only', type: 'bool' },
  { name: 'sort-by', type: 'string' },
  { name: 'template', type: 'string' },
  { name: 'raw', type: 'string' },
  { name: 'allow-missing-template-keys', type: 'bool' },
];

/** One unit of fetching: a whole collection or named objects of one resource type. */
interface Request {
  resource: ApiResource;
  names: string[];
}

interface TableColumn {
  name: string;
  type?: string;
  format?: string;
  priority?: number;
}

interface TableRow {
  cells: unknown[];
  object?: KubeObject;
}

interface TableDocument {
  columnDefinitions?: TableColumn[];
  rows?: TableRow[];
}

/** A printed block: rows of one resource type under one header. */
interface Block {
  resource: ApiResource;
  columns: TableColumn[];
  rows: TableRow[];
}

const REQUIRED_RESOURCE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
  'error: Required resource not specified.\n' +
  'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
  "See 'kubectl get -h' for help and examples";

/** Expands `svc,deploy` and categories into resources, failing on the first unknown name. */
export function resolveTypes(discovery: Discovery, typeList: string): ApiResource[] {
  const resources: ApiResource[] = [];
  for (const name of typeList.split(',').filter((part) => part !== '')) {
    const known = discovery.find(name);
    const members = known === undefined ? discovery.category(name) : [known];
    if (members.length === 0) discovery.resolve(name);
    for (const member of members) if (!resources.includes(member)) resources.push(member);
  }
  return resources;
}

/** Reads the resource arguments of get/delete/describe-like commands. */
export function resourceRequests(discovery: Discovery, args: readonly string[]): { requests: Request[]; multipleTypes: boolean } {
  if (args.some((arg) => arg.includes('/'))) {
    const requests: Request[] = [];
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash === -1) {
        throw new KubectlError(
          'MIXED_RESOURCE_ARGS',
          "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        );
      }
      const resource = discovery.resolve(arg.slice(0, slash));
      const name = arg.slice(slash + 1);
      if (name === '') throw new KubectlError('NAME_EMPTY', `error: arguments in resource/name form must have a single resource and name`);
      const last = requests.at(-1);
      if (last !== undefined && last.resource === resource) last.names.push(name);
      else requests.push({ resource, names: [name] });
    }
    const typed = new Set(args.map((arg) => arg.slice(0, arg.indexOf('/'))));
    return { requests, multipleTypes: typed.size > 1 };
  }
  const [types = '', ...names] = args;
  const resources = resolveTypes(discovery, types);
  // cli-runtime's MultipleTypesRequested looks at the names typed, not what they expand to.
  const typed = new Set(types.split(',').filter((part) => part !== ''));
  const multipleTypes = (args.length === 1 && types === 'all') || typed.size > 1;
  return { requests: resources.map((resource) => ({ resource, names: [...names] })), multipleTypes };
}

/** The path of a --sort-by expression (`.spec.replicas` or `{.spec.replicas}`). */
function sortSegments(expression: string): Segment[] {
  const node = parseJsonPath(relaxedJsonPath(expression))[0];
  if (node === undefined || node.type !== 'path') throw new KubectlError('SORT_BY_INVALID', `error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'`);
  return node.segments;
}

/** kubectl's isLess on unstructured values: numbers by value, strings by bytes. */
function lessThan(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  return false;
}

function stableSortBy<T>(items: readonly T[], key: (item: T) => unknown[]): T[] {
  const keyed = items.map((item, index) => ({ item, index, key: key(item) }));
  keyed.sort((x, y) => {
    const length = Math.min(x.key.length, y.key.length);
    for (let position = 0; position < length; position++) {
      if (lessThan(x.key[position], y.key[position])) return -1;
      if (lessThan(y.key[position], x.key[position])) return 1;
    }
    return x.index - y.index;
  });
  return keyed.map((entry) => entry.item);
}

function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${key}:${goValue((value as Record<string, unknown>)[key])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

function labelText(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((key) => `${key}=${labels?.[key] ?? ''}`).join(',');
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export async function runGet(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, GET_FLAGS);
  const raw = flagString(flags, 'raw');
  if (raw !== undefined) return runRawGet(context, raw, [...flags.positionals, ...flags.rest]);
  const format: OutputFormat = parseOutputFormat(flagString(flags, 'output'), undefined, flagString(flags, 'template'));
  const watchOnly = flagBool(flags, 'watch-only');
  const watch = watchOnly || flagBool(flags, 'watch');
  const positionals = [...flags.positionals, ...flags.rest];
  if (positionals.length === 0) throw new KubectlError('RESOURCE_REQUIRED', REQUIRED_RESOURCE);
  const allNamespaces = flagBool(flags, 'all-namespaces');
  const selector = flagString(flags, 'selector');
  const fieldSelector = flagString(flags, 'field-selector');
  const ignoreNotFound = flagBool(flags, 'ignore-not-found');
  const noHeaders = flagBool(flags, 'no-headers');
  const discovery = await context.discovery();
  const { requests, multipleTypes } = resourceRequests(discovery, positionals);
  const hasNames = requests.some((request) => request.names.length > 0);
  if (hasNames && selector !== undefined) {
    throw new KubectlError('NAMES_AND_SELECTOR', 'error: name cannot be provided when a selector is specified');
  }
  if (watch && (requests.length !== 1 || (requests[0]?.names.length ?? 0) > 1)) {
    const found = requests.reduce((sum, request) => sum + Math.max(request.names.length, 1), 0);
    throw new KubectlError('WATCH_MULTIPLE', `error: watch is only supported on individual resources and resource collections, but ${found} resources were found`);
  }
  const namespace = context.namespace;
  const listNamespace = allNamespaces ? undefined : namespace;
  let listResourceVersion = '';
  const table = format.kind === 'table' || format.kind === 'wide';
  const errors: string[] = [];
  const blocks: Block[] = [];
  const objects: { resource: ApiResource; object: KubeObject }[] = [];
  const sortBy = flagString(flags, 'sort-by');
  const sortPath = sortBy === undefined || sortBy === '' ? undefined : sortSegments(sortBy);
  // Sorting a table needs each row's whole object.
  const include = table && sortPath !== undefined ? 'Object' : undefined;
  const fetchOne = async (resource: ApiResource, name: string | undefined): Promise<void> => {
    const path = name === undefined
      ? resourcePath(resource, listNamespace) + query({ labelSelector: selector, fieldSelector, limit: '500', includeObject: include })
      : resourcePath(resource, namespace, name) + query({ includeObject: include });
    const response = await context.client.raw({ path, accept: table ? TABLE_ACCEPT : 'application/json' });
    if (response.status < 200 || response.status >= 300) {
      const error = statusError(response);
      if (ignoreNotFound && error.httpStatus === 404) return;
      // cli-runtime's selector visitor says which list failed.
      if (name === undefined && (error.httpStatus === 400 || error.httpStatus === 404) && error.status.kind === 'Status') {
        const gvr = `${resource.group}/${resource.version}, Resource=${resource.resource}`;
        error.status.message = (selector ?? '') === '' && (fieldSelector ?? '') === ''
          ? `Unable to list "${gvr}": ${error.status.message ?? ''}`
          : `Unable to find "${gvr}" that match label selector "${selector ?? ''}", field selector "${fieldSelector ?? ''}": ${error.status.message ?? ''}`;
      }
      errors.push(error.render());
      return;
    }
    const document = JSON.parse(response.text) as Record<string, unknown>;
    const version = (document.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
    if (typeof version === 'string') listResourceVersion = version;
    if (table) {
      const tableDocument = document as TableDocument;
      const last = blocks.at(-1);
      const rows = tableDocument.rows ?? [];
      if (last !== undefined && last.resource === resource) last.rows.push(...rows);
      else blocks.push({ resource, columns: tableDocument.columnDefinitions ?? [], rows });
      return;
    }
    const showManagedFields = flagBool(flags, 'show-managed-fields');
    const strip = (object: KubeObject): KubeObject => {
      if (!showManagedFields && object.metadata !== undefined && 'managedFields' in object.metadata) {
        const { managedFields: _dropped, ...metadata } = object.metadata as Record<string, unknown>;
        return { ...object, metadata: metadata as KubeObject['metadata'] };
      }
      return object;
    };
    if (Array.isArray(document.items)) {
      const listVersion = typeof document.apiVersion === 'string' ? document.apiVersion : '';
      const itemKind = typeof document.kind === 'string' ? document.kind.replace(/List$/, '') : resource.kind;
      for (const item of document.items as KubeObject[]) objects.push({ resource, object: strip({ apiVersion: listVersion, kind: itemKind, ...item }) });
    } else {
      objects.push({ resource, object: strip(document as KubeObject) });
    }
  };
  for (const request of requests) {
    if (request.names.length === 0) await fetchOne(request.resource, undefined);
    else for (const name of request.names) await fetchOne(request.resource, name);
  }
  if (sortPath !== undefined) {
    for (const block of blocks) {
      const keys = block.rows.map((row) => evaluatePath(sortPath, row.object ?? {}));
      // kubectl's table sorter gives up on rows without the field, and nothing is printed.
      if (keys.some((values) => values.length === 0)) block.rows = [];
      else block.rows = stableSortBy(block.rows, (row) => evaluatePath(sortPath, row.object ?? {}));
    }
    const sorted = stableSortBy(objects, (entry) => evaluatePath(sortPath, entry.object));
    objects.splice(0, objects.length, ...sorted);
  }
  if (watch) return watchAfterList(context, { flags, format, blocks, objects, requests, listNamespace, namespace, allNamespaces, selector, fieldSelector, listResourceVersion, watchOnly, errors });
  if (table) {
    const foundTypes = new Set(blocks.filter((block) => block.rows.length > 0).map((block) => block.resource));
    const printWithKind = multipleTypes || foundTypes.size > 1 || flagBool(flags, 'show-kind');
    const total = blocks.reduce((sum, block) => sum + block.rows.length, 0);
    let printedAny = false;
    let text = '';
    for (const block of blocks) {
      if (block.rows.length === 0) continue;
      if (printedAny) text += '\n';
      text += renderTable(block, {
        wide: format.kind === 'wide',
        allNamespaces,
        printWithKind,
        labelColumns: flagList(flags, 'label-columns').flatMap((value) => value.split(',')),
        showLabels: flagBool(flags, 'show-labels'),
        noHeaders,
      });
      printedAny = true;
    }
    context.out(text);
    if (total === 0 && errors.length === 0 && !ignoreNotFound) {
      const namespaced = !allNamespaces && requests.every((request) => request.resource.namespaced);
      context.err(namespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
    }
  } else if (format.kind === 'name') {
    context.out(objects.map(({ resource, object }) => `${objectName(resource, object)}\n`).join(''));
  } else if (format.kind === 'custom-columns') {
    context.out(customColumns(format.template, objects.map((entry) => entry.object), noHeaders));
  } else {
    const singleItem = requests.length === 1 && requests[0]?.names.length === 1 && objects.length === 1 && errors.length === 0;
    const printed = singleItem && objects[0] !== undefined ? objects[0].object : listWrapper(objects.map((entry) => entry.object));
    // Nothing found and only errors: kubectl prints just the errors.
    if (objects.length > 0 || errors.length === 0) context.out(printStructured(format, printed, { managedFields: flagBool(flags, 'show-managed-fields') }));
  }
  for (const error of errors) context.err(`${error}\n`);
  return errors.length > 0 ? 1 : 0;
}

type TableOptions = { wide: boolean; allNamespaces: boolean; printWithKind: boolean; labelColumns: string[]; showLabels: boolean; noHeaders: boolean };

/** The list first (unless --watch-only), then one line per change until interrupted. */
async function watchAfterList(
  context: KubectlContext,
  state: {
    flags: ReturnType<typeof parseFlags>;
    format: OutputFormat;
    blocks: Block[];
    objects: { resource: ApiResource; object: KubeObject }[];
    requests: Request[];
    listNamespace: string | undefined;
    namespace: string;
    allNamespaces: boolean;
    selector: string | undefined;
    fieldSelector: string | undefined;
    listResourceVersion: string;
    watchOnly: boolean;
    errors: string[];
  },
): Promise<number> {
  const { flags, format, requests, errors } = state;
  const request = requests[0];
  if (errors.length > 0 || request === undefined) {
    for (const error of errors) context.err(`${error}\n`);
    return 1;
  }
  const resource = request.resource;
  const name = request.names[0];
  const fieldSelector = [state.fieldSelector, name === undefined ? undefined : `metadata.name=${name}`].filter((part) => part !== undefined && part !== '').join(',');
  const namespace = name === undefined ? state.listNamespace : state.namespace;
  const path = resourcePath(resource, namespace) + query({ labelSelector: state.selector, fieldSelector });
  const columns = new GrowingColumns();
  const options: TableOptions = {
    wide: format.kind === 'wide',
    allNamespaces: state.allNamespaces,
    printWithKind: flagBool(flags, 'show-kind'),
    labelColumns: flagList(flags, 'label-columns').flatMap((value) => value.split(',')),
    showLabels: flagBool(flags, 'show-labels'),
    noHeaders: flagBool(flags, 'no-headers'),
  };
  const block = state.blocks[0] ?? { resource, columns: [], rows: [] };
  let headerPrinted = false;
  if (format.kind === 'table' || format.kind === 'wide') {
    const rows = tableCells(block, options);
    if (!state.watchOnly && block.rows.length > 0) {
      columns.remember(rows);
      context.out(formatColumns(rows));
      headerPrinted = true;
    }
  } else if (!state.watchOnly) {
    for (const { object } of state.objects) {
      context.out(format.kind === 'name' ? `${objectName(resource, object)}\n` : printStructured(format, object, { managedFields: false }));
    }
  }
  return watchAndPrint(context, {
    resource,
    path,
    resourceVersion: state.listResourceVersion,
    format,
    columns,
    headerPrinted: headerPrinted || options.noHeaders,
    cells: (table) => {
      // The API server describes the columns in the first event only.
      const defined = (table.columnDefinitions ?? []) as TableColumn[];
      const eventBlock: Block = { resource, columns: defined.length > 0 ? defined : block.columns, rows: (table.rows ?? []) as TableRow[] };
      const [header, ...rows] = tableCells(eventBlock, { ...options, noHeaders: false });
      if (block.columns.length === 0) block.columns = eventBlock.columns;
      return header === undefined ? undefined : rows[0];
    },
    header: tableCells({ ...block, rows: [] }, { ...options, noHeaders: false })[0] ?? [],
  });
}

function renderTable(block: Block, options: TableOptions): string {
  return formatColumns(tableCells(block, options));
}

/** The header (unless --no-headers) and each row's cells, as kubectl's table printer lays them out. */
function tableCells(block: Block, options: TableOptions): string[][] {
  const visible: number[] = [];
  block.columns.forEach((column, index) => {
    if (options.wide || (column.priority ?? 0) === 0) visible.push(index);
  });
  const header: string[] = [];
  if (options.allNamespaces && block.resource.namespaced) header.push('NAMESPACE');
  for (const index of visible) header.push((block.columns[index]?.name ?? '').toUpperCase());
  for (const label of options.labelColumns) header.push((label.split('/').at(-1) ?? label).toUpperCase());
  if (options.showLabels) header.push('LABELS');
  const rows: string[][] = options.noHeaders ? [] : [header];
  const nameColumn = block.columns.findIndex((column) => column.format === 'name');
  for (const row of block.rows) {
    const cells: string[] = [];
    if (options.allNamespaces && block.resource.namespaced) cells.push(row.object?.metadata?.namespace ?? '');
    for (const index of visible) {
      // kubectl's table printer leaves a null cell empty (only nested nils print as <nil>).
      const raw = row.cells[index];
      let cell = raw === null || raw === undefined ? '' : goValue(raw);
      if (options.printWithKind && index === (nameColumn === -1 ? 0 : nameColumn)) cell = `${kindPrefix(block.resource)}/${cell}`;
      cells.push(cell);
    }
    const labels = row.object?.metadata?.labels;
    for (const label of options.labelColumns) cells.push(labels?.[label] ?? '');
    if (options.showLabels) cells.push(labelText(labels));
    rows.push(cells);
  }
  return rows;
}

