import type { ClusterApi } from '../api-server/cluster-api.ts';

/** Namespaced resources the built-in view/edit roles cover (as the real aggregated roles do). */
const WORKLOADS: Array<[string, string[]]> = [
  ['', ['pods', 'pods/log', 'pods/status', 'services', 'services/status', 'endpoints', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts', 'events', 'resourcequotas', 'limitranges', 'replicationcontrollers']],
  ['apps', ['deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status']],
  ['batch', ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status']],
  ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']],
  ['networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies']],
  ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status']],
  ['discovery.k8s.io', ['endpointslices']],
  ['events.k8s.io', ['events']],
];

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const AGGREGATE = (to: string): Record<string, string> => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

/**
 * The default ClusterRoles every cluster has (cluster-admin, admin, edit, view, with label
 * aggregation so CRD installers can extend them) and the system:masters binding.
 */
export function createDefaultRbac(api: ClusterApi): void {
  const clusterRoles = api.resource('rbac.authorization.k8s.io', 'v1', 'clusterroles');
  const bindings = api.resource('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings');
  const manager = { fieldManager: 'kube-apiserver' };
  const bootstrap = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
  const annotations = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
  api.create(clusterRoles, '', { metadata: { name: 'cluster-admin', labels: bootstrap, annotations }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] }, manager);
  const aggregated = (name: string, sources: string[]): void => {
    api.create(clusterRoles, '', {
      metadata: { name, labels: { ...bootstrap, ...(name === 'view' ? AGGREGATE('edit') : name === 'edit' ? AGGREGATE('admin') : {}) }, annotations },
      aggregationRule: { clusterRoleSelectors: sources.map((source) => ({ matchLabels: AGGREGATE(source) })) },
      rules: [],
    }, manager);
  };
  aggregated('admin', ['admin']);
  aggregated('edit', ['edit']);
  aggregated('view', ['view']);
  api.create(clusterRoles, '', {
    metadata: { name: 'system:aggregate-to-view', labels: { ...bootstrap, ...AGGREGATE('view') }, annotations },
    rules: WORKLOADS.map(([group, resources]) => ({ apiGroups: [group], resources, verbs: READ })).concat([{ apiGroups: [''], resources: ['namespaces', 'namespaces/status'], verbs: READ }]),
  }, manager);
  api.create(clusterRoles, '', {
    metadata: { name: 'system:aggregate-to-edit', labels: { ...bootstrap, ...AGGREGATE('edit') }, annotations },
    rules: [
      ...WORKLOADS.map(([group, resources]) => ({ apiGroups: [group], resources: resources.filter((r) => !r.endsWith('/status') && r !== 'pods/log'), verbs: WRITE })),
      { apiGroups: [''], resources: ['secrets'], verbs: [...READ, ...WRITE] },
      { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'services/proxy'], verbs: ['create', 'get'] },
      { apiGroups: [''], resources: ['pods/eviction', 'serviceaccounts/token'], verbs: ['create'] },
    ],
  }, manager);
  api.create(clusterRoles, '', {
    metadata: { name: 'system:aggregate-to-admin', labels: { ...bootstrap, ...AGGREGATE('admin') }, annotations },
    rules: [
      { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
    ],
  }, manager);
  api.create(bindings, '', {
    metadata: { name: 'cluster-admin', labels: bootstrap, annotations },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:masters' }],
  }, manager);
}
