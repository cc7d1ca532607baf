import { asArray, asObject, type JsonObject } from '../core/json-object.ts';
import type { RbacAuthorizer, RequestAttributes, UserInfo } from './rbac-authorizer.ts';
import { apiVersionOf, type ResourceType } from './resource-type.ts';

function attributesOf(spec: JsonObject): RequestAttributes {
  const resource = asObject(spec.resourceAttributes);
  if (spec.resourceAttributes !== undefined) {
    const attributes: RequestAttributes = { verb: String(resource.verb ?? ''), resource: String(resource.resource ?? ''), apiGroup: String(resource.group ?? '') };
    if (resource.subresource) attributes.subresource = String(resource.subresource);
    if (resource.namespace) attributes.namespace = String(resource.namespace);
    if (resource.name) attributes.name = String(resource.name);
    return attributes;
  }
  const other = asObject(spec.nonResourceAttributes);
  return { verb: String(other.verb ?? ''), path: String(other.path ?? '') };
}

/** The review kinds are never stored: the server answers them from RBAC. */
export function answerReview(type: ResourceType, body: unknown, user: UserInfo, authorizer: RbacAuthorizer, namespace: string): JsonObject | undefined {
  const request = asObject(body);
  const spec = asObject(request.spec);
  const base = { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { creationTimestamp: null } };
  switch (type.kind) {
    case 'SelfSubjectReview':
      return { ...base, status: { userInfo: { username: user.name, groups: user.groups } } };
    case 'TokenReview':
      return { ...base, spec, status: { authenticated: false, user: {} } };
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview': {
      const subject = type.kind === 'SelfSubjectAccessReview' ? user : { name: String(spec.user ?? ''), groups: asArray(spec.groups).map(String) };
      const attributes = attributesOf(spec);
      if (type.kind === 'LocalSubjectAccessReview') attributes.namespace = namespace;
      const allowed = authorizer.allows(subject, attributes);
      return { ...base, spec, status: allowed ? { allowed: true, reason: 'allowed by RBAC' } : { allowed: false } };
    }
    case 'SelfSubjectRulesReview': {
      const rules = authorizer.rulesFor(user, String(spec.namespace ?? '') || undefined);
      const superuser = user.groups.includes('system:masters');
      return {
        ...base,
        spec,
        status: {
          resourceRules: superuser ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] : rules.filter((rule) => rule.resources !== undefined).map((rule) => ({ verbs: rule.verbs, apiGroups: rule.apiGroups, resources: rule.resources, ...(rule.resourceNames === undefined ? {} : { resourceNames: rule.resourceNames }) })),
          nonResourceRules: superuser ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : rules.filter((rule) => rule.nonResourceURLs !== undefined).map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs })),
          incomplete: false,
        },
      };
    }
    default:
      return undefined;
  }
}
