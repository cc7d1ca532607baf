// `kubectl auth can-i` (a SelfSubjectAccessReview, or with --list a SelfSubjectRulesReview
// printed as kubectl compacts and sorts the rules) and `kubectl auth whoami`. `--as` turns
// every review into the impersonated user's, through the Impersonate-* headers.
import type { ApiResource } from './discovery.ts';
import { flagBool, flagString, parseFlags } from './flag-parser.ts';
import type { KubectlContext } from './kubectl-context.ts';
import { KubectlError } from './kubectl-error.ts';
import { goList, ruleRow, sortedCompactRules, type PolicyRule } from './policy-rules.ts';
import { formatColumns } from './tab-writer.ts';

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
/** Resources the server knows for `impersonate` that discovery does not list. */
const NON_STANDARD = new Set(['users', 'groups']);

interface ReviewStatus {
  allowed?: boolean;
  reason?: string;
  evaluationError?: string;
  resourceRules?: { verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[];
  nonResourceRules?: { verbs?: string[]; nonResourceURLs?: string[] }[];
  incomplete?: boolean;
}

async function canI(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'quiet', short: 'q', type: 'bool' },
    { name: 'subresource', type: 'string' },
    { name: 'list', type: 'bool' },
    { name: 'no-headers', type: 'bool' },
  ]);
  const positionals = [...flags.positionals, ...flags.rest];
  const list = flagBool(flags, 'list');
  const quiet = flagBool(flags, 'quiet');
  const allNamespaces = flagBool(flags, 'all-namespaces');
  const subresource = flagString(flags, 'subresource') ?? '';
  // kubectl's WarningPrinter adds its own newline after messages that already end in one.
  const warn = (text: string): void => context.err(`Warning: ${text}\n`);
  let verb = '';
  let nonResourceURL = '';
  let resource: { group: string; version: string; resource: string } = { group: '', version: '', resource: '' };
  let resourceName = '';
  let known: ApiResource | undefined;
  if (list) {
    if (positionals.length !== 0) throw new KubectlError('ARGS', 'error: list option must be specified with no arguments');
  } else {
    if (positionals.length !== 2) {
      throw new KubectlError('ARGS', "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
    }
    verb = positionals[0] ?? '';
    const target = positionals[1] ?? '';
    if (target.startsWith('/')) nonResourceURL = target;
    else {
      const slash = target.indexOf('/');
      const type = slash === -1 ? target : target.slice(0, slash);
      if (slash !== -1) resourceName = target.slice(slash + 1);
      if (type === '*') resource = { group: '', version: '', resource: '*' };
      else {
        known = (await context.discovery()).find(type.toLowerCase());
        if (known !== undefined) resource = { group: known.group, version: known.version, resource: known.resource };
        else {
          const lower = type.toLowerCase();
          const dot = lower.indexOf('.');
          const name = dot === -1 ? lower : lower.slice(0, dot);
          const group = dot === -1 ? '' : lower.slice(dot + 1);
          if (!NON_STANDARD.has(lower)) warn(group === '' ? `the server doesn't have a resource type '${name}'\n` : `the server doesn't have a resource type '${name}' in group '${group}'\n`);
          resource = { group: '', version: '', resource: type };
        }
      }
    }
  }
  const namespace = allNamespaces ? '' : context.namespace;
  if (list) {
    if (quiet || allNamespaces || subresource !== '') throw new KubectlError('ARGS', "error: list option can't be specified with neither quiet, all-namespaces nor subresource options");
  } else if (nonResourceURL !== '') {
    if (subresource !== '') throw new KubectlError('ARGS', 'error: --subresource can not be used with NonResourceURL');
    if (!NON_RESOURCE_VERBS.has(verb)) warn(`verb '${verb}' is not a known verb\n`);
  } else if (resource.resource !== '' && !allNamespaces) {
    if (known !== undefined && !known.namespaced) {
      warn(known.group === '' ? `resource '${known.resource}' is not namespace scoped\n` : `resource '${known.resource}' is not namespace scoped in group '${known.group}'\n`);
    }
    if (!RESOURCE_VERBS.has(verb)) warn(`verb '${verb}' is not a known verb\n`);
  }
  if (flagBool(flags, 'no-headers') && !list) throw new KubectlError('ARGS', 'error: --no-headers cannot be set without --list specified');
  if (list) {
    const review = await context.client.json<{ status?: ReviewStatus }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { namespace }, status: { resourceRules: null, nonResourceRules: null, incomplete: false } },
    });
    const status = review.status ?? {};
    if (status.incomplete === true) warn(`the list may be incomplete: ${status.evaluationError ?? ''}`);
    const rules: PolicyRule[] = [
      ...(status.resourceRules ?? []).map((rule) => ({ verbs: rule.verbs ?? [], apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], resourceNames: rule.resourceNames ?? [], nonResourceURLs: [] })),
      ...(status.nonResourceRules ?? []).map((rule) => ({ verbs: rule.verbs ?? [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: rule.nonResourceURLs ?? [] })),
    ];
    const rows = flagBool(flags, 'no-headers') ? [] : [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']];
    for (const rule of sortedCompactRules(rules)) rows.push(ruleRow(rule));
    context.out(formatColumns(rows));
    return 0;
  }
  const spec =
    nonResourceURL !== ''
      ? { nonResourceAttributes: { path: nonResourceURL, verb } }
      : { resourceAttributes: { namespace, verb, group: resource.group, version: resource.version, resource: resource.resource, subresource, name: resourceName } };
  const review = await context.client.json<{ status?: ReviewStatus }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { allowed: false } },
  });
  const status = review.status ?? {};
  const print = (text: string): void => {
    if (!quiet) context.out(text);
  };
  if (status.allowed === true) {
    print('yes\n');
    return 0;
  }
  let line = 'no';
  if (status.reason !== undefined && status.reason !== '') line += ` - ${status.reason}`;
  if (status.evaluationError !== undefined && status.evaluationError !== '') line += ` - ${status.evaluationError}`;
  print(`${line}\n`);
  return 1;
}

async function whoami(context: KubectlContext, args: readonly string[]): Promise<number> {
  const flags = parseFlags(args, [{ name: 'output', short: 'o', type: 'string' }]);
  if (flagString(flags, 'output') !== undefined) throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl auth whoami -o is not available in this sandbox');
  const review = await context.client.json<{ status?: { userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: {} } },
  });
  const user = review.status?.userInfo ?? {};
  const rows = [['ATTRIBUTE', 'VALUE']];
  if (user.username !== undefined && user.username !== '') rows.push(['Username', user.username]);
  if (user.uid !== undefined && user.uid !== '') rows.push(['UID', user.uid]);
  if ((user.groups ?? []).length > 0) rows.push(['Groups', goList(user.groups ?? [])]);
  for (const key of Object.keys(user.extra ?? {}).sort()) rows.push([`Extra: ${key}`, goList(user.extra?.[key] ?? [])]);
  context.out(formatColumns(rows));
  return 0;
}

export async function runAuth(context: KubectlContext, args: readonly string[]): Promise<number> {
  // The subcommand is the first word that is not a flag or a global flag's value.
  const sub = parseFlags(args, [], true).positionals[0];
  const rest = [...args];
  if (sub !== undefined) rest.splice(rest.indexOf(sub), 1);
  if (sub === 'can-i') return canI(context, rest);
  if (sub === 'whoami') return whoami(context, rest);
  if (sub === 'reconcile') throw new KubectlError('NOT_IMPLEMENTED', 'error: kubectl auth reconcile is not available in this sandbox');
  if (sub === undefined) throw new KubectlError('SUBCOMMAND_REQUIRED', 'error: kubectl auth needs a subcommand: can-i or whoami');
  throw new KubectlError('UNKNOWN_SUBCOMMAND', `error: unknown command "${sub}" for "kubectl auth"`);
}

