// `kubectl config`: reads and edits the kubeconfig text held by the shell (the new text goes
// back through io.writeKubeconfig, written the way kubectl writes kubeconfig files).
import { parse } from 'yaml';
import { flagBool, flagString, parseFlags, type FlagSpec } from './flag-parser.ts';
import { goYaml } from './go-yaml.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { parseOutputFormat, printStructured } from './object-output.ts';
import { formatColumns } from './tab-writer.ts';

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

interface KubeconfigDocument {
  apiVersion?: string;
  kind?: string;
  clusters?: (Named<never> & { cluster?: Record<string, unknown> })[];
  users?: (Named<never> & { user?: Record<string, unknown> })[];
  contexts?: (Named<never> & { context?: { cluster?: string; user?: string; namespace?: string } })[];
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [key: string]: unknown;
}

const SUBCOMMANDS = [
  'current-context', 'delete-cluster', 'delete-context', 'delete-user', 'get-clusters', 'get-contexts', 'get-users',
  'rename-context', 'set', 'set-cluster', 'set-context', 'set-credentials', 'unset', 'use-context', 'view',
];

function load(context: KubectlContext): KubeconfigDocument {
  const parsed = parse(context.io.kubeconfig) as KubeconfigDocument | null;
  return parsed ?? {};
}

/** kubectl writes the file with every top-level field present, in its own key order. */
async function save(context: KubectlContext, config: KubeconfigDocument): Promise<void> {
  // clientcmd keeps these as maps and writes them out sorted by name.
  const byName = <T extends { name: string }>(list: T[] | undefined): T[] => [...(list ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const full: KubeconfigDocument = {
    apiVersion: config.apiVersion ?? 'v1',
    clusters: byName(config.clusters),
    contexts: byName(config.contexts),
    'current-context': config['current-context'] ?? '',
    kind: config.kind ?? 'Config',
    preferences: config.preferences ?? {},
    users: byName(config.users),
  };
  await context.io.writeKubeconfig?.(goYaml(full));
}

function redact(config: KubeconfigDocument): KubeconfigDocument {
  return {
    ...config,
    users: (config.users ?? []).map((entry) => {
      const user: Record<string, unknown> = { ...(entry.user ?? {}) };
      for (const key of Object.keys(user)) {
        if (key === 'token' || key === 'password') user[key] = 'REDACTED';
        if (key.endsWith('-data')) user[key] = 'DATA+OMITTED';
      }
      return { ...entry, user };
    }),
    clusters: (config.clusters ?? []).map((entry) => {
      const cluster: Record<string, unknown> = { ...(entry.cluster ?? {}) };
      if ('certificate-authority-data' in cluster) cluster['certificate-authority-data'] = 'DATA+OMITTED';
      return { ...entry, cluster };
    }),
  };
}

function ordered(config: KubeconfigDocument): KubeconfigDocument {
  return {
    apiVersion: config.apiVersion ?? 'v1',
    clusters: config.clusters ?? null,
    contexts: config.contexts ?? null,
    'current-context': config['current-context'] ?? '',
    kind: config.kind ?? 'Config',
    preferences: config.preferences ?? {},
    users: config.users ?? null,
  } as KubeconfigDocument;
}

/** Keys of `record` in the order `keys` gives, then any others as they come. */
function inOrder(record: Record<string, unknown> | undefined, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = record ?? {};
  for (const key of keys) if (key in source) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out)) out[key] = source[key];
  return out;
}

const CLUSTER_KEYS = ['server', 'tls-server-name', 'insecure-skip-tls-verify', 'certificate-authority', 'certificate-authority-data', 'proxy-url', 'disable-compression', 'extensions'];
const USER_KEYS = [
  'client-certificate', 'client-certificate-data', 'client-key', 'client-key-data', 'token', 'tokenFile', 'as', 'as-uid', 'as-groups',
  'as-user-extra', 'username', 'password', 'auth-provider', 'exec', 'extensions',
];
const CONTEXT_KEYS = ['cluster', 'user', 'namespace', 'extensions'];

/** clientcmd's v1.Config struct order, which `config view -o json` prints. */
function typedOrder(config: KubeconfigDocument): Record<string, unknown> {
  return {
    kind: config.kind ?? 'Config',
    apiVersion: config.apiVersion ?? 'v1',
    preferences: config.preferences ?? {},
    clusters: (config.clusters ?? []).map((entry) => ({ name: entry.name, cluster: inOrder(entry.cluster, CLUSTER_KEYS) })),
    users: (config.users ?? []).map((entry) => ({ name: entry.name, user: inOrder(entry.user, USER_KEYS) })),
    contexts: (config.contexts ?? []).map((entry) => ({ name: entry.name, context: inOrder(entry.context, CONTEXT_KEYS) })),
    'current-context': config['current-context'] ?? '',
  };
}

/** The file kubectl would have written: the first $KUBECONFIG entry, else ~/.kube/config. */
function kubeconfigFile(context: KubectlContext): string {
  const listed = context.io.env.KUBECONFIG?.split(':').find((entry) => entry !== '');
  return listed ?? `${context.io.env.HOME ?? ''}/.kube/config`;
}

/** `config set|unset contexts.NAME.namespace …`: named lists are addressed by name. */
function setProperty(config: KubeconfigDocument, path: string, value: string | undefined): void {
  const [head = '', ...tail] = path.split('.');
  if (head === 'current-context' && tail.length === 0) {
    if (value === undefined) delete config['current-context'];
    else config['current-context'] = value;
    return;
  }
  if (!['clusters', 'contexts', 'users'].includes(head) || tail.length < 2) throw new KubectlError('PROPERTY_INVALID', `error: unable to locate path ${path}`);
  const [name = '', ...fields] = tail;
  const field = head === 'clusters' ? 'cluster' : head === 'contexts' ? 'context' : 'user';
  const list = ((config as Record<string, unknown>)[head] ?? []) as Record<string, unknown>[];
  let entry = list.find((item) => item.name === name);
  if (entry === undefined) {
    if (value === undefined) throw new KubectlError('PROPERTY_INVALID', `error: current map key \`${name}\` is invalid`);
    entry = { name, [field]: {} };
    list.push(entry);
    (config as Record<string, unknown>)[head] = list;
  }
  let target = (entry[field] ??= {}) as Record<string, unknown>;
  for (const key of fields.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
  const last = fields.at(-1) ?? '';
  if (value === undefined) delete target[last];
  else target[last] = last === 'insecure-skip-tls-verify' ? value === 'true' : value;
}

const VIEW_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'minify', type: 'bool' },
  { name: 'raw', type: 'bool' },
  { name: 'flatten', type: 'bool' },
  { name: 'merge', type: 'bool' },
];

export async function runConfig(context: KubectlContext, args: readonly string[]): Promise<number> {
  const sub = args.find((arg) => !arg.startsWith('-'));
  const rest = [...args];
  if (sub !== undefined) rest.splice(rest.indexOf(sub), 1);
  const config = load(context);
  const current = config['current-context'] ?? '';
  switch (sub) {
    case 'current-context': {
      parseFlags(rest, []);
      if (current === '') throw new KubectlError('NO_CURRENT_CONTEXT', 'error: current-context is not set');
      context.out(`${current}\n`);
      return 0;
    }
    case 'view': {
      const flags = parseFlags(rest, VIEW_FLAGS);
      let view: KubeconfigDocument = config;
      if (flagBool(flags, 'minify')) {
        const name = flagString(flags, 'context') ?? current;
        const entry = config.contexts?.find((item) => item.name === name);
        if (entry === undefined) throw new KubectlError('CONTEXT_NOT_FOUND', `error: current-context must exist in order to minify`);
        view = {
          ...config,
          'current-context': name,
          contexts: [entry],
          clusters: (config.clusters ?? []).filter((item) => item.name === entry.context?.cluster),
          users: (config.users ?? []).filter((item) => item.name === entry.context?.user),
        };
      }
      if (!flagBool(flags, 'raw')) view = redact(view);
      const format = parseOutputFormat(flagString(flags, 'output') ?? 'yaml');
      context.out(printStructured(format, (format.kind === 'json' ? typedOrder(view) : ordered(view)) as Record<string, unknown>, { typed: true }));
      return 0;
    }
    case 'get-contexts': {
      const flags = parseFlags(rest, [{ name: 'output', short: 'o', type: 'string' }, { name: 'no-headers', type: 'bool' }]);
      const names = flags.positionals;
      const contexts = (config.contexts ?? []).filter((item) => names.length === 0 || names.includes(item.name));
      const output = flagString(flags, 'output');
      if (output === 'name') {
        context.out(contexts.map((item) => `${item.name}\n`).join(''));
      } else if (output !== undefined && output !== '') {
        throw new KubectlError('OUTPUT_FORMAT_UNKNOWN', `error: output must be one of '' or 'name'`);
      } else {
        const rows = flagBool(flags, 'no-headers') ? [] : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
        for (const item of contexts) {
          rows.push([item.name === current ? '*' : '', item.name, item.context?.cluster ?? '', item.context?.user ?? '', item.context?.namespace ?? '']);
        }
        context.out(formatColumns(rows));
      }
      const missing = names.filter((name) => !contexts.some((item) => item.name === name));
      for (const name of missing) context.err(`error: context ${name} not found\n`);
      return missing.length > 0 ? 1 : 0;
    }
    case 'get-clusters': {
      parseFlags(rest, []);
      context.out(`NAME\n${(config.clusters ?? []).map((item) => `${item.name}\n`).join('')}`);
      return 0;
    }
    case 'get-users': {
      parseFlags(rest, []);
      context.out(`NAME\n${(config.users ?? []).map((item) => `${item.name}\n`).join('')}`);
      return 0;
    }
    case 'use-context':
    case 'use': {
      const flags = parseFlags(rest, []);
      const name = flags.positionals[0];
      if (name === undefined) throw new KubectlError('ARGS', "error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples");
      if (!(config.contexts ?? []).some((item) => item.name === name)) throw new KubectlError('CONTEXT_NOT_FOUND', `error: no context exists with the name: "${name}"`);
      config['current-context'] = name;
      await save(context, config);
      context.out(`Switched to context "${name}".\n`);
      return 0;
    }
    case 'set-context': {
      const flags = parseFlags(rest, [
        { name: 'current', type: 'bool' },
        { name: 'cluster', type: 'string' },
        { name: 'user', type: 'string' },
        { name: 'namespace', type: 'string' },
      ]);
      let name = flags.positionals[0];
      if (flagBool(flags, 'current')) {
        if (name !== undefined) throw new KubectlError('ARGS', 'error: you cannot specify both a context name and --current');
        if (current === '') throw new KubectlError('NO_CURRENT_CONTEXT', 'error: no current context is set');
        name = current;
      }
      if (name === undefined) throw new KubectlError('ARGS', "error: Unexpected args: []\nSee 'kubectl config set-context -h' for help and examples");
      config.contexts ??= [];
      let entry = config.contexts.find((item) => item.name === name);
      const exists = entry !== undefined;
      if (entry === undefined) {
        entry = { name, context: {} };
        config.contexts.push(entry);
      }
      entry.context ??= {};
      const cluster = flagString(flags, 'cluster');
      const user = flagString(flags, 'user');
      const namespace = flagString(flags, 'namespace');
      if (cluster !== undefined) entry.context.cluster = cluster;
      if (user !== undefined) entry.context.user = user;
      if (namespace !== undefined) {
        if (namespace === '') delete entry.context.namespace;
        else entry.context.namespace = namespace;
      }
      await save(context, config);
      context.out(`Context "${name}" ${exists ? 'modified' : 'created'}.\n`);
      return 0;
    }
    case 'rename-context': {
      const flags = parseFlags(rest, []);
      const [from, to] = flags.positionals;
      if (from === undefined || to === undefined || flags.positionals.length !== 2) throw new KubectlError('ARGS', "error: Unexpected args: " + `[${flags.positionals.join(' ')}]` + "\nSee 'kubectl config rename-context -h' for help and examples");
      const entry = config.contexts?.find((item) => item.name === from);
      if (entry === undefined) throw new KubectlError('CONTEXT_NOT_FOUND', `error: cannot rename the context "${from}", it's not in ${kubeconfigFile(context)}`);
      if (config.contexts?.some((item) => item.name === to) === true) throw new KubectlError('CONTEXT_EXISTS', `error: cannot rename the context "${from}", the context "${to}" already exists in ${kubeconfigFile(context)}`);
      entry.name = to;
      if (current === from) config['current-context'] = to;
      await save(context, config);
      context.out(`Context "${from}" renamed to "${to}".\n`);
      return 0;
    }
    case 'delete-context':
    case 'delete-cluster':
    case 'delete-user': {
      const flags = parseFlags(rest, []);
      const name = flags.positionals[0];
      const what = sub === 'delete-context' ? 'context' : sub === 'delete-cluster' ? 'cluster' : 'user';
      const key = sub === 'delete-context' ? 'contexts' : sub === 'delete-cluster' ? 'clusters' : 'users';
      if (name === undefined) throw new KubectlError('ARGS', `error: Unexpected args: []\nSee 'kubectl config ${sub} -h' for help and examples`);
      const list = (config[key] ?? []) as Named<never>[];
      if (!list.some((item) => item.name === name)) throw new KubectlError('NOT_FOUND', `error: cannot delete ${what} ${name}, not in ${kubeconfigFile(context)}`);
      (config as Record<string, unknown>)[key] = list.filter((item) => item.name !== name);
      if (sub === 'delete-context' && current === name) context.err('warning: this removed your active context, use "kubectl config use-context" to select a different one\n');
      await save(context, config);
      context.out(`deleted ${what} ${name} from ${kubeconfigFile(context)}\n`);
      return 0;
    }
    case 'set-cluster':
    case 'set-credentials': {
      const cluster = sub === 'set-cluster';
      const flags = parseFlags(rest, cluster
        ? [{ name: 'server', type: 'string' }, { name: 'insecure-skip-tls-verify', type: 'bool' }, { name: 'certificate-authority', type: 'string' }, { name: 'tls-server-name', type: 'string' }, { name: 'embed-certs', type: 'bool' }]
        : [{ name: 'token', type: 'string' }, { name: 'username', type: 'string' }, { name: 'password', type: 'string' }, { name: 'client-certificate', type: 'string' }, { name: 'client-key', type: 'string' }, { name: 'embed-certs', type: 'bool' }]);
      const name = flags.positionals[0];
      if (name === undefined) throw new KubectlError('ARGS', `error: Unexpected args: []\nSee 'kubectl config ${sub} -h' for help and examples`);
      const key = cluster ? 'clusters' : 'users';
      const field = cluster ? 'cluster' : 'user';
      const list = ((config as Record<string, unknown>)[key] ?? []) as (Named<never> & Record<string, Record<string, unknown> | undefined>)[];
      let entry = list.find((item) => item.name === name);
      if (entry === undefined) {
        entry = { name, [field]: {} } as Named<never> & Record<string, Record<string, unknown> | undefined>;
        list.push(entry);
      }
      const body: Record<string, unknown> = { ...(entry[field] ?? {}) };
      for (const [flag, value] of flags.values) {
        if (['server', 'certificate-authority', 'tls-server-name', 'token', 'username', 'password', 'client-certificate', 'client-key'].includes(flag) && typeof value === 'string') body[flag] = value;
        if (flag === 'insecure-skip-tls-verify') body[flag] = value === true ? true : undefined;
      }
      for (const field of Object.keys(body)) if (body[field] === undefined) delete body[field];
      (entry as Record<string, unknown>)[field] = body;
      (config as Record<string, unknown>)[key] = list;
      await save(context, config);
      context.out(`${cluster ? 'Cluster' : 'User'} "${name}" set.\n`);
      return 0;
    }
    case 'set':
    case 'unset': {
      const flags = parseFlags(rest, [{ name: 'set-raw-bytes', type: 'bool' }]);
      const [path, value] = flags.positionals;
      if (path === undefined || (sub === 'set' && value === undefined)) throw new KubectlError('ARGS', `error: Unexpected args: [${flags.positionals.join(' ')}]\nSee 'kubectl config ${sub} -h' for help and examples`);
      setProperty(config, path, sub === 'set' ? value : undefined);
      await save(context, config);
      context.out(`Property "${path}" ${sub === 'set' ? 'set' : 'unset'}.\n`);
      return 0;
    }
    case undefined:
      throw new KubectlError('CONFIG_HELP', 'error: kubectl config needs a subcommand', 1);
    default:
      if (SUBCOMMANDS.includes(sub)) throw new KubectlError('NOT_IMPLEMENTED', `error: kubectl config ${sub} is not available in this sandbox`);
      throw new KubectlError('UNKNOWN_SUBCOMMAND', `error: unknown command "${sub}" for "kubectl config"`);
  }
}
