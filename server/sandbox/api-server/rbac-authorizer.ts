import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import { labelSelectorFromObject, matchesLabels } from './label-selector.ts';
import type { ObjectStore } from './object-store.ts';

export interface UserInfo {
  name: string;
  groups: string[];
}

/** What a request asks to do, as the real authorizer sees it. */
export interface RequestAttributes {
  verb: string;
  /** Resource requests name a resource; others name a path (`/apis`, `/version`). */
  resource?: string;
  subresource?: string;
  apiGroup?: string;
  namespace?: string;
  name?: string;
  path?: string;
}

const SUPERUSER_GROUP = 'system:masters';

function matches(list: unknown, value: string): boolean {
  const values = asArray(list).map(String);
  return values.includes('*') || values.includes(value);
}

function ruleAllows(rule: JsonObject, attributes: RequestAttributes): boolean {
  if (!matches(rule.verbs, attributes.verb)) return false;
  if (attributes.resource === undefined) {
    const path = attributes.path ?? '';
    return asArray(rule.nonResourceURLs).map(String).some((url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))));
  }
  if (!matches(rule.apiGroups, attributes.apiGroup ?? '')) return false;
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const resources = asArray(rule.resources).map(String);
  const resourceOk = resources.includes('*') || resources.includes(resource) || (attributes.subresource !== undefined && resources.includes(`${attributes.resource}/*`)) || (attributes.subresource !== undefined && resources.includes(`*/${attributes.subresource}`));
  if (!resourceOk) return false;
  const names = asArray(rule.resourceNames).map(String);
  return names.length === 0 || (attributes.name !== undefined && names.includes(attributes.name));
}

function subjectMatches(subject: JsonObject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(String(subject.name));
    case 'ServiceAccount': {
      const namespace = String(subject.namespace ?? bindingNamespace);
      return user.name === `system:serviceaccount:${namespace}:${String(subject.name)}`;
    }
    default:
      return false;
  }
}

/** Self-review endpoints every authenticated user may call (system:basic-user). */
const BASIC_USER_RULES: JsonObject[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  // Discovery, version and health (system:discovery, system:public-info-viewer).
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', '/version', '/version/', '/healthz', '/livez', '/readyz'] },
];

/** RBAC over the stored Roles, ClusterRoles and bindings (with ClusterRole aggregation). */
export class RbacAuthorizer {
  #store: ObjectStore;

  constructor(store: ObjectStore) {
    this.#store = store;
  }

  #clusterRoleRules(name: string, seen = new Set<string>()): JsonObject[] {
    if (seen.has(name)) return [];
    seen.add(name);
    const role = this.#store.get('rbac.authorization.k8s.io/clusterroles', '', name);
    if (role === undefined) return [];
    const rules = asArray(role.rules).map(asObject);
    const aggregation = asObject(role.aggregationRule);
    for (const selector of asArray(aggregation.clusterRoleSelectors)) {
      const wanted = labelSelectorFromObject(selector);
      for (const other of this.#store.list('rbac.authorization.k8s.io/clusterroles')) {
        const otherName = String(asObject(other.metadata).name ?? '');
        if (otherName !== name && matchesLabels(wanted, asObject(asObject(other.metadata).labels))) rules.push(...this.#clusterRoleRules(otherName, seen));
      }
    }
    return rules;
  }

  /** Rules granted to `user` in `namespace` (cluster-wide rules when namespace is undefined). */
  rulesFor(user: UserInfo, namespace: string | undefined): JsonObject[] {
    const rules: JsonObject[] = [...BASIC_USER_RULES];
    for (const binding of this.#store.list('rbac.authorization.k8s.io/clusterrolebindings')) {
      if (!asArray(binding.subjects).map(asObject).some((subject) => subjectMatches(subject, user, ''))) continue;
      rules.push(...this.#clusterRoleRules(String(asObject(binding.roleRef).name ?? '')));
    }
    if (namespace !== undefined && namespace !== '') {
      for (const binding of this.#store.list('rbac.authorization.k8s.io/rolebindings', namespace)) {
        if (!asArray(binding.subjects).map(asObject).some((subject) => subjectMatches(subject, user, namespace))) continue;
        const ref = asObject(binding.roleRef);
        if (ref.kind === 'ClusterRole') rules.push(...this.#clusterRoleRules(String(ref.name ?? '')));
        else rules.push(...asArray(this.#store.get('rbac.authorization.k8s.io/roles', namespace, String(ref.name ?? ''))?.rules).map(asObject));
      }
    }
    return rules;
  }

  allows(user: UserInfo, attributes: RequestAttributes): boolean {
    if (user.groups.includes(SUPERUSER_GROUP)) return true;
    return this.rulesFor(user, attributes.namespace).some((rule) => ruleAllows(rule, attributes));
  }
}

/** `User "x" cannot list resource "pods" in API group "" in the namespace "default"` */
export function forbiddenReason(user: UserInfo, attributes: RequestAttributes): string {
  if (attributes.resource === undefined) return `User "${user.name}" cannot ${attributes.verb} path "${attributes.path ?? ''}"`;
  const resource = attributes.subresource ? `${attributes.resource}/${attributes.subresource}` : attributes.resource;
  const where = attributes.namespace ? `in the namespace "${attributes.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${attributes.verb} resource "${resource}" in API group "${attributes.apiGroup ?? ''}" ${where}`;
}
