import { asObject, type JsonObject } from '../core/json-object.ts';
import { apiVersionOf, type ResourceType } from './resource-type.ts';

/** Groups every authenticated admin belongs to (what `kubectl auth whoami` shows). */
const ADMIN_GROUPS = ['system:masters', 'system:authenticated'];

/**
 * The review kinds are never stored: the server answers them. Without RBAC every
 * authenticated user is an administrator, so every access review is allowed.
 */
export function answerReview(type: ResourceType, body: unknown, user: string): JsonObject | undefined {
  const request = asObject(body);
  const base = { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { creationTimestamp: null } };
  switch (type.kind) {
    case 'SelfSubjectReview':
      return { ...base, status: { userInfo: { username: user, groups: ADMIN_GROUPS } } };
    case 'TokenReview':
      return { ...base, spec: request.spec ?? {}, status: { authenticated: false, user: {} } };
    case 'SelfSubjectAccessReview':
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview':
      return { ...base, spec: request.spec ?? {}, status: { allowed: true, reason: 'the sandbox grants every authenticated user cluster-admin' } };
    case 'SelfSubjectRulesReview':
      return {
        ...base,
        spec: request.spec ?? {},
        status: { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false },
      };
    default:
      return undefined;
  }
}
