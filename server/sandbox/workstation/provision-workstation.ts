// The learner's workstation as the cluster sees it: a namespace of its own, a
// ServiceAccount bound to cluster-admin (the whole emulated cluster is the learner's), a
// token for it and the pod whose one container is the learner shell. `kubectl get pods -A`
// lists it like any other pod.
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

/** Creates the workstation's objects (once; a restored cluster has them) and returns its token. */
export function provisionWorkstation(api: ClusterApi): string {
  const { namespace, pod, container, serviceAccount, image } = WORKSTATION;
  const exists = (group: string, version: string, plural: string, ns: string, name: string): boolean => {
    try {
      api.get(api.resource(group, version, plural), ns, name);
      return true;
    } catch {
      return false;
    }
  };
  const labels = { 'app.kubernetes.io/name': 'workstation', 'app.kubernetes.io/part-of': 'mesh-academy' };
  if (!exists('', 'v1', 'namespaces', '', namespace)) {
    api.create(api.resource('', 'v1', 'namespaces'), '', { metadata: { name: namespace, labels: { 'app.kubernetes.io/part-of': 'mesh-academy' } } }, MANAGER);
  }
  if (!exists('', 'v1', 'serviceaccounts', namespace, serviceAccount)) {
    api.create(api.resource('', 'v1', 'serviceaccounts'), namespace, { metadata: { name: serviceAccount, labels } }, MANAGER);
  }
  if (!exists('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', '', 'mesh-academy-learner')) {
    api.create(api.resource('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'), '', {
      metadata: { name: 'mesh-academy-learner', labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount, namespace }],
    }, MANAGER);
  }
  if (!exists('', 'v1', 'pods', namespace, pod)) {
    api.create(api.resource('', 'v1', 'pods'), namespace, {
      metadata: { name: pod, labels },
      spec: {
        serviceAccountName: serviceAccount,
        hostname: pod,
        containers: [{ name: container, image, command: ['bash', '--login'], stdin: true, tty: true, workingDir: '/home/learner' }],
      },
    }, MANAGER);
  }
  const account = api.get(api.resource('', 'v1', 'serviceaccounts'), namespace, serviceAccount);
  const uid = String((account.metadata as { uid?: unknown } | undefined)?.uid ?? '');
  for (const [token, issued] of api.issuedTokens) {
    if (issued.namespace === namespace && issued.name === serviceAccount && issued.uid === uid) return token;
  }
  // Asked for in-process: the workstation exists before anything can call the API over HTTP.
  return issueServiceAccountToken(api, namespace, serviceAccount, TOKEN_SECONDS).token;
}
