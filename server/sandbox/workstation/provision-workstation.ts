// The learner's workstation as the cluster sees it: a namespace of its own, a
// ServiceAccount bound to cluster-admin (the whole emulated cluster is the learner's), a
// token for it and the pod whose one container is the learner shell. `kubectl get pods -A`
// lists it like any other pod.
import { randomBytes } from 'node:crypto';
import type { ClusterApi } from '../api-server/cluster-api.ts';
import { issueServiceAccountToken } from '../api-server/service-account-token.ts';

export const WORKSTATION = Object.freeze({
  namespace: 'mesh-academy',
  pod: 'workstation',
  container: 'shell',
  serviceAccount: 'learner',
  image: 'ghcr.io/mesh-academy/workstation:1.0',
});

/** How long the learner's token lives: longer than any session. */
const TOKEN_SECONDS = 365 * 24 * 3600;

const MANAGER = { fieldManager: 'mesh-academy' };

/** The workstation's objects in creation order: namespace, account, binding, pod. */
export function workstationManifests(): Array<{ apiVersion: string; kind: string; metadata: Record<string, unknown>; [field: string]: unknown }> {
  const { namespace, pod, container, serviceAccount, image } = WORKSTATION;
  const labels = { 'app.kubernetes.io/name': 'workstation', 'app.kubernetes.io/part-of': 'mesh-academy' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'mesh-academy' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'mesh-academy-learner', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace, labels },
      spec: {
        serviceAccountName: serviceAccount,
        hostname: pod,
        containers: [{ name: container, image, command: ['sleep', 'infinity'], stdin: true, tty: true, workingDir: '/home/learner' }],
      },
    },
  ];
}

const PLURALS: Record<string, [string, string, string]> = {
  Namespace: ['', 'v1', 'namespaces'],
  ServiceAccount: ['', 'v1', 'serviceaccounts'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'],
  Pod: ['', 'v1', 'pods'],
};

/** Creates the workstation's objects (once; a restored cluster has them) and returns its token. */
export function provisionWorkstation(api: ClusterApi): string {
  const { namespace, serviceAccount } = WORKSTATION;
  for (const manifest of workstationManifests()) {
    const [group, version, plural] = PLURALS[manifest.kind] ?? ['', 'v1', ''];
    const type = api.resource(group, version, plural);
    const objectNamespace = typeof manifest.metadata.namespace === 'string' ? manifest.metadata.namespace : '';
    try {
      api.get(type, objectNamespace, String(manifest.metadata.name));
    } catch {
      api.create(type, objectNamespace, manifest, MANAGER);
    }
  }
  const account = api.get(api.resource('', 'v1', 'serviceaccounts'), namespace, serviceAccount);
  const uid = String((account.metadata as { uid?: unknown } | undefined)?.uid ?? '');
  for (const [token, issued] of api.issuedTokens) {
    if (issued.namespace === namespace && issued.name === serviceAccount && issued.uid === uid) return token;
  }
  // Asked for in-process: the workstation exists before anything can call the API over HTTP.
  const issued = issueServiceAccountToken(api, namespace, serviceAccount, TOKEN_SECONDS).token;
  return unguessable(api, issued);
}

/**
 * The seeded Rng makes a token repeat in every cluster started from the same seed, so one
 * learner's kubeconfig would open another's cluster. The learner's credential keeps the
 * issued claims (and the Rng's sequence, which pod names depend on) with a signature part
 * of real random bytes.
 */
function unguessable(api: ClusterApi, issued: string): string {
  const entry = api.issuedTokens.get(issued);
  if (entry === undefined) return issued;
  const token = `${issued.slice(0, issued.lastIndexOf('.'))}.${randomBytes(32).toString('base64url')}`;
  api.issuedTokens.delete(issued);
  api.issuedTokens.set(token, entry);
  return token;
}
