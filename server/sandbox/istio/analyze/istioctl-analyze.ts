// `istioctl analyze` end to end over a snapshot (istioctl/pkg/analyze/analyze.go): files given
// on the command line are parsed with line numbers and merged over the cluster objects (or used
// alone with --use-kube=false), the analyzers run, messages are filtered by namespace,
// suppressed, sorted and deduplicated, printed as log/json/yaml, and the exit code follows
// --failure-threshold (79 when a message reaches it).
import { LineCounter, parseAllDocuments, stringify, type Document } from 'yaml';
import { asObject, type JsonObject } from '../../core/json-object.ts';
import { ISTIO_RELEASE } from '../control-plane/install/istio-release.ts';
import { indexSnapshot, metaOf, snapshotKey } from '../mesh-model/mesh-snapshot.ts';
import { buildServiceRegistry } from '../mesh-model/service-registry.ts';
import { friendlyName, LEVEL_ORDER, MESSAGE_TYPES, formatMessage, messageReference, messageText, type AnalysisMessage, type Level } from './analysis-message.ts';
import { ANALYZERS, type AnalysisContext } from './analyzers.ts';

export const EXIT_ANALYZER_FOUND_ISSUES = 79;

const ALL_CODES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(MESSAGE_TYPES).map(([name, type]) => [name, type.code]));

export interface AnalyzeFile {
  /** As given on the command line, e.g. `samples/bookinfo/networking/bookinfo-gateway.yaml`. */
  name: string;
  text: string;
}

export interface AnalyzeOptions {
  /** `-n`; `default` when not given. */
  namespace?: string;
  /** `-A` / `--all-namespaces`. */
  allNamespaces?: boolean;
  /** `-k` / `--use-kube`, true by default. */
  useKube?: boolean;
  files?: readonly AnalyzeFile[];
  /** `-o`: log (default), json or yaml. */
  output?: 'log' | 'json' | 'yaml';
  failureThreshold?: Level;
  outputThreshold?: Level;
  /** `-S "IST0103=Pod mypod.testing"`, `*` wildcards allowed. */
  suppress?: readonly string[];
}

export interface AnalyzeResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  messages: AnalysisMessage[];
}

export class AnalyzeUsageError extends Error {
  readonly code = 'ANALYZE_USAGE';
}

interface Origin {
  file: string;
  line: number;
  fieldLine(path: readonly (string | number)[]): number | undefined;
}

function parseFile(file: AnalyzeFile, defaultNamespace: string, origins: WeakMap<JsonObject, Origin>): { objects: JsonObject[]; error?: string } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(file.text, { lineCounter }) as Document[];
  const objects: JsonObject[] = [];
  for (const doc of documents) {
    if (doc.errors.length > 0) return { objects, error: `${file.name}: ${doc.errors[0]?.message ?? 'invalid YAML'}` };
    const value = doc.toJS() as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const object = value as JsonObject;
    const metadata = asObject(object.metadata);
    object.metadata = metadata;
    if (object.kind !== 'Namespace' && metadata.namespace === undefined) metadata.namespace = defaultNamespace;
    const start = doc.contents?.range?.[0] ?? 0;
    origins.set(object, {
      file: file.name,
      line: lineCounter.linePos(start).line,
      fieldLine(path) {
        const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
        // For a key's value, istio points at the line of the key; scalars sit on that line.
        return node?.range === undefined ? undefined : lineCounter.linePos(node.range[0]).line;
      },
    });
    objects.push(object);
  }
  return { objects };
}

function objectKey(object: JsonObject): string {
  const meta = metaOf(object);
  return `${snapshotKey(object)}/${meta.namespace}/${meta.name}`;
}

function wildcardMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(value);
}

/** `-S` matches `<Kind> <name>.<namespace>` (or `<Kind> <name>` for cluster-scoped ones). */
function suppressed(message: AnalysisMessage, suppressions: ReadonlyArray<{ code: string; resource: string }>): boolean {
  const r = message.resource;
  const name = r.namespace === '' ? `${r.kind} ${r.name}` : `${r.kind} ${r.name}.${r.namespace}`;
  return suppressions.some((s) => s.code === message.type.code && wildcardMatches(s.resource, name));
}

function sortAndDedupe(messages: AnalysisMessage[]): AnalysisMessage[] {
  const sorted = [...messages].sort((a, b) => {
    if (a.type.level !== b.type.level) return LEVEL_ORDER[a.type.level] - LEVEL_ORDER[b.type.level];
    if (a.type.code !== b.type.code) return a.type.code < b.type.code ? -1 : 1;
    const ca = `${a.resource.kind}/${a.resource.namespace}/${a.resource.name}`;
    const cb = `${b.resource.kind}/${b.resource.namespace}/${b.resource.name}`;
    if (ca !== cb) return ca < cb ? -1 : 1;
    const sa = formatMessage(a);
    const sb = formatMessage(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
  return sorted.filter((m, i) => i === 0 || formatMessage(m) !== formatMessage(sorted[i - 1] as AnalysisMessage));
}

/** The JSON shape of diag.Message (keys sorted as Go marshals a map). */
function unstructured(message: AnalysisMessage): Record<string, string> {
  const out: Record<string, string> = {
    code: message.type.code,
    documentationUrl: `https://istio.io/${ISTIO_RELEASE.docsVersion}/docs/reference/config/analysis/${message.type.code.toLowerCase()}/?ref=istioctl-analyze`,
    level: message.type.level,
    message: messageText(message),
    origin: friendlyName(message.resource),
  };
  const reference = messageReference(message);
  if (reference !== undefined) out.reference = reference;
  return out;
}

/** Runs the analyzers over `clusterObjects` (the live cluster) and the given files. */
export function istioctlAnalyze(clusterObjects: readonly JsonObject[], options: AnalyzeOptions = {}): AnalyzeResult {
  const output = options.output ?? 'log';
  const useKube = options.useKube ?? true;
  const namespace = options.namespace ?? 'default';
  const target = options.allNamespaces === true ? 'all namespaces' : `namespace: ${namespace}`;
  const suppressions = (options.suppress ?? []).map((entry) => {
    const parts = entry.split('=');
    if (parts.length !== 2) throw new AnalyzeUsageError(`${entry} is not a valid suppression value. See istioctl analyze --help`);
    return { code: parts[0] as string, resource: parts[1] as string };
  });
  let stderr = '';
  for (const s of suppressions) {
    if (!Object.values(ALL_CODES).includes(s.code)) stderr += `Warning: Supplied message code '${s.code}' is an unknown message code and will not have any effect.\n`;
  }
  const origins = new WeakMap<JsonObject, Origin>();
  const merged = new Map<string, JsonObject>();
  if (useKube) for (const object of clusterObjects) merged.set(objectKey(object), object);
  let parseErrors = 0;
  for (const file of options.files ?? []) {
    const parsed = parseFile(file, namespace, origins);
    if (parsed.error !== undefined) {
      stderr += `Error(s) adding files: ${parsed.error}`;
      parseErrors++;
    }
    for (const object of parsed.objects) merged.set(objectKey(object), object);
  }
  const snapshot = indexSnapshot([...merged.values()]);
  const collected: AnalysisMessage[] = [];
  const context: AnalysisContext = {
    snapshot,
    registry: buildServiceRegistry(snapshot),
    origin: (object) => origins.get(object),
    report: (message) => collected.push(message),
  };
  for (const analyzer of ANALYZERS) analyzer.analyze(context);
  const inScope = collected.filter((m) => {
    if (options.allNamespaces === true) return true;
    return m.resource.namespace === '' ? m.resource.kind !== 'Namespace' || m.resource.name === namespace : m.resource.namespace === namespace;
  });
  const messages = sortAndDedupe(inScope.filter((m) => !suppressed(m, suppressions)));
  const outputThreshold = LEVEL_ORDER[options.outputThreshold ?? 'Info'];
  const shown = messages.filter((m) => LEVEL_ORDER[m.type.level] <= outputThreshold);
  let stdout: string;
  if (output === 'json') stdout = `${JSON.stringify(shown.map(unstructured), null, '\t')}\n`;
  else if (output === 'yaml') stdout = `${shown.length === 0 ? '[]\n' : stringify(shown.map(unstructured))}\n`;
  else stdout = `${shown.map(formatMessage).join('\n')}\n`;
  if (shown.length === 0) {
    if (parseErrors === 0) {
      const what = (options.files ?? []).length > 0 ? (options.files ?? []).map((f) => f.name).join('\n') : target;
      stderr += `✔ No validation issues found when analyzing ${what}.\n`;
    } else {
      stderr += `No validation issues found when analyzing ${target} (but ${parseErrors} ${parseErrors === 1 ? 'file' : 'files'} could not be parsed).\n`;
    }
  }
  let exitCode = 0;
  if (output === 'log') {
    const failure = LEVEL_ORDER[options.failureThreshold ?? 'Error'];
    if (messages.some((m) => LEVEL_ORDER[m.type.level] <= failure)) {
      stderr += `Error: Analyzers found issues when analyzing ${target}.\nSee https://istio.io/${ISTIO_RELEASE.docsVersion}/docs/reference/config/analysis for more information about causes and resolutions.\n`;
      exitCode = EXIT_ANALYZER_FOUND_ISSUES;
    } else if (parseErrors > 0) {
      stderr += 'Error: Some files couldn\'t be parsed.\n';
      exitCode = 1;
    }
  }
  return { stdout, stderr, exitCode, messages };
}
