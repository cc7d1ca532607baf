// The objects `kubectl create role|clusterrole|rolebinding|clusterrolebinding|job|service
// clusterip|nodeport|loadbalancer|externalname` builds, in Go struct field order (which
// -o json keeps), with kubectl's validation messages.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { Discovery } from './discovery.ts';
import { flagList, flagString, type FlagSpec, type ParsedFlags } from './flag-parser.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';

export interface MoreGenerator {
  /** The command path as help texts and usage lines name it. */
  command: string;
  flags: FlagSpec[];
  build(name: string, flags: ParsedFlags, discovery: Discovery, metadata: Record<string, unknown>, warn: (text: string) => void, files: FileReader): KubeObject | Promise<KubeObject>;
}

/** Reads a file named on the command line (relative to the shell's directory); undefined if absent. */
export type FileReader = (path: string) => Promise<string | undefined>;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** The checks Go's tls.X509KeyPair makes, with its messages. */
function checkKeyPair(cert: string, key: string): void {
  const certTypes = [...cert.matchAll(PEM_BLOCK)].map((match) => match[1] ?? '');
  const keyTypes = [...key.matchAll(PEM_BLOCK)].map((match) => match[1] ?? '');
  if (!certTypes.includes('CERTIFICATE')) {
    if (certTypes.length === 0) throw new KubectlError('TLS_INVALID', 'error: tls: failed to find any PEM data in certificate input');
    if (certTypes.some((type) => type.endsWith('PRIVATE KEY'))) throw new KubectlError('TLS_INVALID', 'error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    throw new KubectlError('TLS_INVALID', `error: tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${certTypes.join(' ')}]`);
  }
  if (!keyTypes.some((type) => type.endsWith('PRIVATE KEY'))) {
    if (keyTypes.length === 0) throw new KubectlError('TLS_INVALID', 'error: tls: failed to find any PEM data in key input');
    if (keyTypes.includes('CERTIFICATE')) throw new KubectlError('TLS_INVALID', 'error: tls: found a certificate rather than a key in the PEM for the private key');
    throw new KubectlError('TLS_INVALID', `error: tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${keyTypes.join(' ')}]`);
  }
  let matches = false;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new KubectlError('TLS_INVALID', 'error: tls: failed to parse private key');
  }
  if (!matches) throw new KubectlError('TLS_INVALID', 'error: tls: private key does not match public key');
}

async function readNamed(files: FileReader, path: string): Promise<string> {
  const text = await files(path);
  if (text === undefined) throw new KubectlError('PATH_NOT_FOUND', `error: Cannot read file ${path}, open ${path}: no such file or directory`);
  return text;
}

const RBAC = 'rbac.authorization.k8s.io';
/** Verbs kubectl knows; others are created with a warning. */
const VALID_VERBS = new Set(['*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate']);

/** `a,b` values of a repeatable flag, split on commas as pflag's StringSlice does. */
function listFlag(flags: ParsedFlags, name: string): string[] {
  return flagList(flags, name).flatMap((value) => value.split(',')).filter((value) => value !== '');
}

function rules(flags: ParsedFlags, discovery: Discovery, warn: (text: string) => void): Record<string, unknown>[] {
  const verbs = listFlag(flags, 'verb');
  const resources = listFlag(flags, 'resource');
  const names = listFlag(flags, 'resource-name');
  if (verbs.length === 0) throw new KubectlError('VERB_REQUIRED', 'error: at least one verb must be specified');
  if (resources.length === 0 && listFlag(flags, 'non-resource-url').length === 0) throw new KubectlError('RESOURCE_REQUIRED', 'error: at least one resource must be specified');
  for (const verb of verbs) if (!VALID_VERBS.has(verb)) warn(`Warning: '${verb}' is not a standard resource verb\n`);
  const byGroup = new Map<string, string[]>();
  for (const entry of resources) {
    const slash = entry.indexOf('/');
    const typed = slash === -1 ? entry : entry.slice(0, slash);
    const subresource = slash === -1 ? '' : entry.slice(slash);
    let group = '';
    let resource = typed;
    if (typed !== '*') {
      const found = discovery.find(typed);
      if (found === undefined) throw new KubectlError('RESOURCE_NOT_FOUND', `error: the server doesn't have a resource type "${typed}"`);
      group = found.group;
      resource = found.resource;
    }
    const list = byGroup.get(group) ?? [];
    if (!list.includes(resource + subresource)) list.push(resource + subresource);
    byGroup.set(group, list);
  }
  return [...byGroup.keys()].sort().map((group) => {
    const rule: Record<string, unknown> = { verbs, apiGroups: [group], resources: byGroup.get(group) ?? [] };
    if (names.length > 0) rule.resourceNames = names;
    return rule;
  });
}

function subjects(flags: ParsedFlags): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const user of flagList(flags, 'user')) out.push({ kind: 'User', apiGroup: RBAC, name: user });
  for (const group of flagList(flags, 'group')) out.push({ kind: 'Group', apiGroup: RBAC, name: group });
  for (const account of flagList(flags, 'serviceaccount')) {
    const parts = account.split(':');
    if (parts.length !== 2 || parts[1] === '') throw new KubectlError('SERVICEACCOUNT_INVALID', 'error: serviceaccount must be <namespace>:<name>');
    out.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
  }
  return out;
}

const ROLE_FLAGS: FlagSpec[] = [
  { name: 'verb', type: 'strings' },
  { name: 'resource', type: 'strings' },
  { name: 'resource-name', type: 'strings' },
];
const BINDING_FLAGS: FlagSpec[] = [
  { name: 'user', type: 'strings' },
  { name: 'group', type: 'strings' },
  { name: 'serviceaccount', type: 'strings' },
];

function service(type: string): MoreGenerator {
  const command = `service ${type.toLowerCase()}`;
  return {
    command,
    flags: [
      { name: 'tcp', type: 'strings' },
      { name: 'clusterip', type: 'string' },
      { name: 'node-port', type: 'int' },
      { name: 'external-name', type: 'string' },
    ],
    build(name, flags, _discovery, metadata) {
      const ports = listFlag(flags, 'tcp').map((entry) => {
        const [port = '', target = port] = entry.split(':');
        if (!/^\d+$/.test(port)) throw new KubectlError('PORT_INVALID', `error: strconv.Atoi: parsing "${port}": invalid syntax`);
        const servicePort: Record<string, unknown> = { name: entry.includes(':') ? `${port}-${target}` : port, protocol: 'TCP', port: Number(port), targetPort: /^\d+$/.test(target) ? Number(target) : target };
        const nodePort = flagString(flags, 'node-port');
        if (type === 'NodePort' && nodePort !== undefined) servicePort.nodePort = Number(nodePort);
        return servicePort;
      });
      if (type === 'ExternalName') {
        const external = flagString(flags, 'external-name') ?? '';
        if (external === '') throw new KubectlError('EXTERNAL_NAME_REQUIRED', 'error: external name must be specified');
        return { kind: 'Service', apiVersion: 'v1', metadata: { ...metadata, labels: { app: name } }, spec: { selector: { app: name }, type, externalName: external }, status: { loadBalancer: {} } };
      }
      if (type !== 'ClusterIP' && ports.length === 0) throw new KubectlError('PORT_REQUIRED', "error: at least one tcp port specifier must be provided");
      const spec: Record<string, unknown> = { ports, selector: { app: name } };
      const clusterIP = flagString(flags, 'clusterip');
      if (clusterIP !== undefined && clusterIP !== '') spec.clusterIP = clusterIP;
      spec.type = type;
      if (ports.length === 0 && clusterIP !== 'None') throw new KubectlError('PORT_REQUIRED', 'error: at least one tcp port specifier must be provided');
      return { kind: 'Service', apiVersion: 'v1', metadata: { ...metadata, labels: { app: name } }, spec, status: { loadBalancer: {} } };
    },
  };
}

export const MORE_GENERATORS: Record<string, MoreGenerator> = {
  role: {
    command: 'role',
    flags: ROLE_FLAGS,
    build: (_name, flags, discovery, metadata, warn) => ({ kind: 'Role', apiVersion: `${RBAC}/v1`, metadata, rules: rules(flags, discovery, warn) }),
  },
  clusterrole: {
    command: 'clusterrole',
    flags: [...ROLE_FLAGS, { name: 'non-resource-url', type: 'strings' }, { name: 'aggregation-rule', type: 'string' }],
    build: (_name, flags, discovery, metadata, warn) => ({ kind: 'ClusterRole', apiVersion: `${RBAC}/v1`, metadata, rules: rules(flags, discovery, warn) }),
  },
  rolebinding: {
    command: 'rolebinding',
    flags: [...BINDING_FLAGS, { name: 'role', type: 'string' }, { name: 'clusterrole', type: 'string' }],
    build(_name, flags, _discovery, metadata) {
      const role = flagString(flags, 'role') ?? '';
      const clusterRole = flagString(flags, 'clusterrole') ?? '';
      if ((role === '') === (clusterRole === '')) throw new KubectlError('ROLE_REQUIRED', 'error: exactly one of clusterrole or role must be specified');
      const roleRef = { apiGroup: RBAC, kind: role === '' ? 'ClusterRole' : 'Role', name: role === '' ? clusterRole : role };
      return { kind: 'RoleBinding', apiVersion: `${RBAC}/v1`, metadata, subjects: subjects(flags), roleRef };
    },
  },
  clusterrolebinding: {
    command: 'clusterrolebinding',
    flags: [...BINDING_FLAGS, { name: 'clusterrole', type: 'string' }],
    build(_name, flags, _discovery, metadata) {
      const clusterRole = flagString(flags, 'clusterrole') ?? '';
      if (clusterRole === '') throw new KubectlError('CLUSTERROLE_REQUIRED', 'error: required flag(s) "clusterrole" not set');
      return { kind: 'ClusterRoleBinding', apiVersion: `${RBAC}/v1`, metadata, subjects: subjects(flags), roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: clusterRole } };
    },
  },
  job: {
    command: 'job',
    flags: [{ name: 'image', type: 'string' }, { name: 'from', type: 'string' }],
    build(name, flags, _discovery, metadata) {
      if (flagString(flags, 'from') !== undefined) throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl create job --from is not available in this sandbox');
      const image = flagString(flags, 'image') ?? '';
      if (image === '') throw new KubectlError('IMAGE_REQUIRED', 'error: either --image or --from must be specified');
      const container: Record<string, unknown> = { name, image };
      if (flags.rest.length > 0) container.command = flags.rest;
      container.resources = {};
      return {
        kind: 'Job',
        apiVersion: 'batch/v1',
        metadata,
        spec: { template: { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy: 'Never' } } },
        status: {},
      };
    },
  },
  'secret tls': {
    command: 'secret tls',
    flags: [{ name: 'cert', type: 'string' }, { name: 'key', type: 'string' }, { name: 'append-hash', type: 'bool' }],
    async build(_name, flags, _discovery, metadata, _warn, files) {
      const certPath = flagString(flags, 'cert') ?? '';
      const keyPath = flagString(flags, 'key') ?? '';
      if (certPath === '' || keyPath === '') throw new KubectlError('TLS_REQUIRED', 'error: key and cert must be specified');
      const cert = await readNamed(files, certPath);
      const key = await readNamed(files, keyPath);
      checkKeyPair(cert, key);
      const data = { 'tls.crt': Buffer.from(cert).toString('base64'), 'tls.key': Buffer.from(key).toString('base64') };
      return { kind: 'Secret', apiVersion: 'v1', metadata, data, type: 'kubernetes.io/tls' };
    },
  },
  'secret docker-registry': {
    command: 'secret docker-registry',
    flags: [
      { name: 'docker-server', type: 'string' },
      { name: 'docker-username', type: 'string' },
      { name: 'docker-password', type: 'string' },
      { name: 'docker-email', type: 'string' },
      { name: 'from-file', type: 'strings' },
      { name: 'append-hash', type: 'bool' },
    ],
    build(_name, flags, _discovery, metadata) {
      const server = flagString(flags, 'docker-server') ?? 'https://index.docker.io/v1/';
      const username = flagString(flags, 'docker-username') ?? '';
      const password = flagString(flags, 'docker-password') ?? '';
      if (flagList(flags, 'from-file').length > 0) throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl create secret docker-registry --from-file is not available in this sandbox');
      if (username === '' || password === '') throw new KubectlError('DOCKER_REQUIRED', 'error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
      const entry: Record<string, string> = { username, password };
      const email = flagString(flags, 'docker-email');
      if (email !== undefined && email !== '') entry.email = email;
      entry.auth = Buffer.from(`${username}:${password}`).toString('base64');
      const config = JSON.stringify({ auths: { [server]: entry } });
      return { kind: 'Secret', apiVersion: 'v1', metadata, data: { '.dockerconfigjson': Buffer.from(config).toString('base64') }, type: 'kubernetes.io/dockerconfigjson' };
    },
  },
  'service clusterip': service('ClusterIP'),
  'service nodeport': service('NodePort'),
  'service loadbalancer': service('LoadBalancer'),
  'service externalname': service('ExternalName'),
};
