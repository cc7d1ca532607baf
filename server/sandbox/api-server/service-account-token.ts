import type { ClusterApi } from './cluster-api.ts';
import { asObject } from '../core/json-object.ts';

/**
 * Issues a bearer token for a ServiceAccount, valid until it expires or the account is
 * gone: what the TokenRequest API (`serviceaccounts/<name>/token`) hands out. The token looks
 * like a JWT so tools that peek at it are not surprised; the cluster only ever looks it up.
 */
export function issueServiceAccountToken(api: ClusterApi, namespace: string, name: string, seconds: number): { token: string; expires: number } {
  const account = api.get(api.resource('', 'v1', 'serviceaccounts'), namespace, name);
  const claims = { sub: `system:serviceaccount:${namespace}:${name}`, n: api.rng.hex(16) };
  const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sandbox`;
  const expires = api.clock.now() + seconds * 1000;
  api.issuedTokens.set(token, { namespace, name, uid: String(asObject(account.metadata).uid ?? ''), expires });
  return { token, expires };
}
