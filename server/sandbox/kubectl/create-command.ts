// `kubectl create -f` and the generators `create namespace|deployment|serviceaccount|
// configmap|secret generic`: POST the object, print `kind/name created`.
import { statusError } from './api-client.ts';
import { resourcePath, type ApiResource } from './discovery.ts';
import { flagBool, flagList, flagString, parseFlags, type FlagSpec, type ParsedFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { readManifests } from './manifest-reader.ts';
import { MORE_GENERATORS, type MoreGenerator } from './more-generators.ts';
import { mapManifest } from './object-mapping.ts';
import { objectName, parseOutputFormat, type KubeObject } from './object-output.ts';
import { dryRunStrategy, printResult, wireObject } from './object-writing.ts';

/** What `kubectl create service` without a kind prints (on stderr). */
const CREATE_SERVICE_HELP = "Create a service using a specified subcommand.\n\nAliases:\nservice, svc\n\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n\nUsage:\n  kubectl create service [flags] [options]\n\nUse \"kubectl create service <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n";

const COMMON: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'dry-run', type: 'string' },
  { name: 'save-config', type: 'bool' },
  { name: 'validate', type: 'string' },
  { name: 'field-manager', type: 'string' },
];

const GENERATORS: Record<string, { aliases: string[]; flags: FlagSpec[] }> = {
  namespace: { aliases: ['ns'], flags: [] },
  deployment: {
    aliases: ['deploy'],
    flags: [
      { name: 'image', type: 'strings' },
      { name: 'replicas', short: 'r', type: 'int' },
      { name: 'port', type: 'int' },
    ],
  },
  serviceaccount: { aliases: ['sa'], flags: [] },
  configmap: {
    aliases: ['cm'],
    flags: [
      { name: 'from-literal', type: 'strings' },
      { name: 'from-file', type: 'strings' },
      { name: 'from-env-file', type: 'strings' },
      { name: 'append-hash', type: 'bool' },
    ],
  },
  secret: {
    aliases: [],
    flags: [
      { name: 'from-literal', type: 'strings' },
      { name: 'from-file', type: 'strings' },
      { name: 'from-env-file', type: 'strings' },
      { name: 'type', type: 'string' },
      { name: 'append-hash', type: 'bool' },
    ],
  },
};

function generatorFor(name: string): string | undefined {
  if (name in GENERATORS) return name;
  return Object.keys(GENERATORS).find((key) => GENERATORS[key]?.aliases.includes(name));
}

/** `nginx:1.27` → `nginx`, `registry.io/team/app@sha256:…` → `app`: kubectl's container naming. */
function containerName(image: string): string {
  const base = image.split('/').at(-1) ?? image;
  return base.split('@')[0]?.split(':')[0] ?? base;
}

async function dataFrom(context: KubectlContext, flags: ParsedFlags, encode: boolean): Promise<Record<string, string> | undefined> {
  const data: Record<string, string> = {};
  const put = (key: string, value: string): void => {
    data[key] = encode ? Buffer.from(value, 'utf8').toString('base64') : value;
  };
  for (const literal of flagList(flags, 'from-literal')) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new KubectlError('LITERAL_INVALID', `error: invalid literal source ${literal}, expected key=value`);
    put(literal.slice(0, eq), literal.slice(eq + 1));
  }
  for (const source of flagList(flags, 'from-file')) {
    const eq = source.indexOf('=');
    const key = eq === -1 ? (source.split('/').at(-1) ?? source) : source.slice(0, eq);
    const path = eq === -1 ? source : source.slice(eq + 1);
    const text = await context.io.readFile(path.startsWith('/') ? path : `${context.io.cwd.replace(/\/+$/, '')}/${path}`);
    if (text === undefined) throw new KubectlError('PATH_NOT_FOUND', `error: error reading ${path}: no such file or directory`);
    put(key, text);
  }
  for (const source of flagList(flags, 'from-env-file')) {
    const text = await context.io.readFile(source.startsWith('/') ? source : `${context.io.cwd.replace(/\/+$/, '')}/${source}`);
    if (text === undefined) throw new KubectlError('PATH_NOT_FOUND', `error: error reading ${source}: no such file or directory`);
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const eq = trimmed.indexOf('=');
      if (eq === -1) put(trimmed, context.io.env[trimmed] ?? '');
      else put(trimmed.slice(0, eq), trimmed.slice(eq + 1));
    }
  }
  return Object.keys(data).length === 0 ? undefined : data;
}

async function generate(context: KubectlContext, generator: string, name: string, flags: ParsedFlags): Promise<KubeObject> {
  // Key order is the Go struct's, which -o json keeps for objects built client-side.
  const metadata = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    name,
    ...(context.explicitNamespace && generator !== 'namespace' ? { namespace: context.namespace } : {}),
    creationTimestamp: null,
    ...extra,
  });
  switch (generator) {
    case 'namespace':
      return { kind: 'Namespace', apiVersion: 'v1', metadata: metadata(), spec: {}, status: {} };
    case 'serviceaccount':
      return { kind: 'ServiceAccount', apiVersion: 'v1', metadata: metadata() };
    case 'configmap': {
      const object: KubeObject = { kind: 'ConfigMap', apiVersion: 'v1', metadata: metadata() };
      const data = await dataFrom(context, flags, false);
      if (data !== undefined) object.data = data;
      return object;
    }
    case 'secret': {
      const object: KubeObject = { kind: 'Secret', apiVersion: 'v1', metadata: metadata() };
      const data = await dataFrom(context, flags, true);
      if (data !== undefined) object.data = data;
      const type = flagString(flags, 'type');
      if (type !== undefined) object.type = type;
      return object;
    }
    default: {
      const images = flagList(flags, 'image');
      if (images.length === 0) throw new KubectlError('IMAGE_REQUIRED', 'error: required flag(s) "image" not set');
      const port = flagString(flags, 'port');
      const command = flags.rest;
      if (command.length > 0 && images.length > 1) throw new KubectlError('ARGS', 'error: cannot specify multiple --image options and command');
      const containers = images.map((image) => {
        const container: Record<string, unknown> = { name: containerName(image), image };
        if (command.length > 0) container.command = command;
        if (port !== undefined) container.ports = [{ containerPort: Number(port) }];
        container.resources = {};
        return container;
      });
      const labels = { app: name };
      return {
        kind: 'Deployment',
        apiVersion: 'apps/v1',
        metadata: metadata({ labels }),
        spec: {
          replicas: Number(flagString(flags, 'replicas') ?? '1'),
          selector: { matchLabels: labels },
          template: { metadata: { creationTimestamp: null, labels }, spec: { containers } },
          strategy: {},
        },
        status: {},
      };
    }
  }
}

/** The first word that is not a flag or a global flag's value (`create -n x secret tls …`). */
function firstWord(args: readonly string[]): string | undefined {
  return parseFlags(args, [], true).positionals[0];
}

export async function runCreate(context: KubectlContext, args: readonly string[]): Promise<number> {
  const sub = firstWord(args);
  if (sub === 'service' || sub === 'svc') {
    const rest = [...args];
    rest.splice(rest.indexOf(sub), 1);
    const kind = firstWord(rest);
    const more = MORE_GENERATORS[`service ${kind ?? ''}`];
    if (kind === undefined) {
      context.err(CREATE_SERVICE_HELP);
      return 1;
    }
    if (more === undefined) throw new KubectlError('SERVICE_KIND', `error: unknown command "${kind}" for "kubectl create service"`);
    rest.splice(rest.indexOf(kind), 1);
    return createFromGenerator(context, more, rest);
  }
  const more = sub === undefined ? undefined : MORE_GENERATORS[sub];
  if (more !== undefined && sub !== undefined) {
    const rest = [...args];
    rest.splice(rest.indexOf(sub), 1);
    return createFromGenerator(context, more, rest);
  }
  const generator = sub === undefined ? undefined : generatorFor(sub);
  if (generator === 'secret') {
    const rest = [...args];
    rest.splice(rest.indexOf('secret'), 1);
    const kind = firstWord(rest);
    const typed = MORE_GENERATORS[`secret ${kind ?? ''}`];
    if (typed !== undefined && kind !== undefined) {
      rest.splice(rest.indexOf(kind), 1);
      return createFromGenerator(context, typed, rest);
    }
    if (kind !== 'generic') throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl create secret ${kind ?? ''} is not available in this sandbox; use "create secret generic", "tls" or "docker-registry"`);
    rest.splice(rest.indexOf('generic'), 1);
    return createGenerated(context, 'secret', rest);
  }
  if (generator !== undefined && sub !== undefined) {
    const rest = [...args];
    rest.splice(rest.indexOf(sub), 1);
    return createGenerated(context, generator, rest);
  }
  const flags = parseFlags(args, [...COMMON, { name: 'filename', short: 'f', type: 'strings' }, { name: 'recursive', short: 'R', type: 'bool' }, { name: 'selector', short: 'l', type: 'string' }]);
  if (flags.positionals.length > 0) {
    throw new KubectlError('ARGS', `error: Unexpected args: [${flags.positionals.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  }
  const files = flagList(flags, 'filename');
  if (files.length === 0) {
    throw new KubectlError('FILENAME_REQUIRED', "error: must specify one of -f and -k\n\nerror: unknown command \"\"\nSee 'kubectl create -h' for help and examples");
  }
  const format = parseOutputFormat(flagString(flags, 'output'));
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  const discovery = await context.discovery();
  let failed = false;
  for (const manifest of await readManifests(context.io, files, flagBool(flags, 'recursive'))) {
    const mapped = mapManifest(context, discovery, manifest);
    const body: KubeObject = { ...mapped.object };
    if (mapped.namespace !== undefined) body.metadata = { ...(body.metadata ?? {}), namespace: mapped.namespace };
    if (dryRun === 'client') {
      printResult(context, format, objectName(mapped.resource, mapped.object), 'created', dryRun, mapped.object, false);
      continue;
    }
    const ok = await post(context, mapped.resource, mapped.namespace, body, format, `error when creating "${mapped.source}": `, dryRun);
    if (!ok) failed = true;
  }
  return failed ? 1 : 0;
}

async function post(
  context: KubectlContext,
  resource: ApiResource,
  namespace: string | undefined,
  body: KubeObject,
  format: ReturnType<typeof parseOutputFormat>,
  errorContext: string,
  dryRun: 'none' | 'server' = 'none',
): Promise<boolean> {
  const response = await context.client.raw({
    method: 'POST',
    path: `${resourcePath(resource, namespace)}?fieldManager=kubectl-create&fieldValidation=Strict${dryRun === 'server' ? '&dryRun=All' : ''}`,
    body,
  });
  if (response.status < 200 || response.status >= 300) {
    context.err(`${statusError(response).render(errorContext)}\n`);
    return false;
  }
  const created = JSON.parse(response.text) as KubeObject;
  printResult(context, format, objectName(resource, created), 'created', dryRun, created, false);
  return true;
}

async function createGenerated(context: KubectlContext, generator: string, args: readonly string[]): Promise<number> {
  const spec = GENERATORS[generator];
  const flags = parseFlags(args, [...COMMON, ...(spec?.flags ?? [])]);
  const command = generator === 'serviceaccount' ? 'serviceaccount' : generator === 'secret' ? 'secret generic' : generator;
  if (flags.positionals.length !== 1) {
    throw new KubectlError('NAME_REQUIRED', `error: exactly one NAME is required, got ${flags.positionals.length}\nSee 'kubectl create ${command} -h' for help and examples`);
  }
  const name = flags.positionals[0] ?? '';
  const format = parseOutputFormat(flagString(flags, 'output'));
  const object = await generate(context, generator, name, flags);
  const discovery = await context.discovery();
  const mapped = mapManifest(context, discovery, { source: '', object });
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  if (dryRun === 'client') {
    printResult(context, format, objectName(mapped.resource, object), 'created', dryRun, object, true);
    return 0;
  }
  if (flagBool(flags, 'save-config')) {
    throw new KubectlError('NOT_IMPLEMENTED', 'error: --save-config is not available in this sandbox');
  }
  return (await post(context, mapped.resource, mapped.namespace, wireObject(object) as KubeObject, format, '', dryRun)) ? 0 : 1;
}

/** The generators of more-generators.ts, created (or printed) like the built-in ones above. */
async function createFromGenerator(context: KubectlContext, generator: MoreGenerator, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [...COMMON, ...generator.flags]);
  if (flags.positionals.length !== 1) {
    throw new KubectlError('NAME_REQUIRED', `error: exactly one NAME is required, got ${flags.positionals.length}\nSee 'kubectl create ${generator.command} -h' for help and examples`);
  }
  const name = flags.positionals[0] ?? '';
  const format = parseOutputFormat(flagString(flags, 'output'));
  const discovery = await context.discovery();
  const namespaced = !generator.command.startsWith('cluster');
  const metadata: Record<string, unknown> = { name, ...(namespaced && context.explicitNamespace ? { namespace: context.namespace } : {}), creationTimestamp: null };
  const readFile = (path: string): Promise<string | undefined> => context.io.readFile(path.startsWith('/') ? path : `${context.io.cwd.replace(/\/+$/, '')}/${path}`);
  const object = await generator.build(name, flags, discovery, metadata, (text) => context.err(text), readFile);
  const mapped = mapManifest(context, discovery, { source: '', object });
  const dryRun = dryRunStrategy(flagString(flags, 'dry-run'));
  if (dryRun === 'client') {
    printResult(context, format, objectName(mapped.resource, object), 'created', dryRun, object, true);
    return 0;
  }
  return (await post(context, mapped.resource, mapped.namespace, wireObject(object) as KubeObject, format, '', dryRun)) ? 0 : 1;
}
