// The objects `kubectl create role|clusterrole|rolebinding|clusterrolebinding|job|service
// clusterip|nodeport|loadbalancer|externalname` builds, in Go struct field order (which
// -o json keeps), with kubectl's validation messages.
import type { Discovery } from './discovery.ts';
import { flagList, flagString, type FlagSpec, type ParsedFlags } from './flag-parser.ts';
import { KubectlError } from './kubectl-error.ts';
import type { KubeObject } from './object-output.ts';

export interface MoreGenerator {
  /** The command path as help texts and usage lines name it. */
  command: string;
  flags: FlagSpec[];
  build(name: string, flags: ParsedFlags, discovery: Discovery, metadata: Record<string, unknown>, warn: (text: string) => void): KubeObject;
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
  'service clusterip': service('ClusterIP'),
  'service nodeport': service('NodePort'),
  'service loadbalancer': service('LoadBalancer'),
  'service externalname': service('ExternalName'),
};
