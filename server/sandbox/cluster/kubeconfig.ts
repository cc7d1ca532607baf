import { stringify } from 'yaml';

/** A kubeconfig for one cluster user. Plain http needs insecure-skip-tls-verify for client-node. */
export function renderKubeconfig(options: { server: string; token: string; name?: string; user?: string; namespace?: string }): string {
  const name = options.name ?? 'mesh-academy';
  const user = options.user ?? `${name}-admin`;
  const context: Record<string, string> = { cluster: name, user };
  if (options.namespace !== undefined) context.namespace = options.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: user, user: { token: options.token } }],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  });
}
