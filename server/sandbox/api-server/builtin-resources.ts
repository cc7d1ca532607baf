import type { NameRule } from '../core/name-validation.ts';
import type { ResourceType, SubresourceInfo } from './resource-type.ts';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ_WRITE = ['get', 'patch', 'update'];

interface Entry {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
  namespaced?: boolean;
  verbs?: string[];
  /** `status`, `scale` or a name with its own kind and verbs. */
  subresources?: Array<'status' | 'scale' | SubresourceInfo>;
  nameRule?: NameRule;
  storageKey?: string;
  tracksGeneration?: boolean;
}

function expand(entry: Entry): ResourceType {
  const own = { group: entry.group, version: entry.version, kind: entry.kind };
  return {
    group: entry.group,
    version: entry.version,
    kind: entry.kind,
    listKind: `${entry.kind}List`,
    plural: entry.plural,
    singular: entry.kind.toLowerCase(),
    shortNames: entry.shortNames ?? [],
    categories: entry.categories ?? [],
    namespaced: entry.namespaced ?? true,
    verbs: entry.verbs ?? ALL_VERBS,
    subresources: (entry.subresources ?? []).map((sub) => {
      if (sub === 'status') return { name: 'status', responseKind: own, verbs: READ_WRITE };
      if (sub === 'scale') return { name: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: READ_WRITE };
      return sub;
    }),
    nameRule: entry.nameRule ?? 'dns1123-subdomain',
    storageKey: entry.storageKey ?? `${entry.group}/${entry.plural}`,
    tracksGeneration: entry.tracksGeneration ?? false,
  };
}

function custom(name: string, kind: string, verbs: string[], group = '', version = 'v1'): SubresourceInfo {
  return { name, responseKind: { group, version, kind }, verbs };
}

/**
 * The built-in kinds, in the order the real API server lists them: groups by priority
 * (core, apps, events, authentication, authorization, autoscaling, batch, networking, policy, rbac, admission,
 * apiextensions, coordination, discovery), resources alphabetically inside a group.
 */
export const builtinResources: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'] },
  { group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] },
  {
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'], namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], nameRule: 'dns1123-label',
    subresources: [custom('finalize', 'Namespace', ['update']), 'status'],
  },
  {
    group: '', version: 'v1', kind: 'Node', plural: 'nodes', shortNames: ['no'], namespaced: false,
    subresources: [custom('proxy', 'NodeProxyOptions', ['create', 'delete', 'get', 'patch', 'update']), 'status'],
  },
  {
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'],
    subresources: [
      custom('attach', 'PodAttachOptions', ['create', 'get']),
      custom('binding', 'Binding', ['create']),
      custom('ephemeralcontainers', 'Pod', READ_WRITE),
      custom('eviction', 'Eviction', ['create'], 'policy'),
      custom('exec', 'PodExecOptions', ['create', 'get']),
      custom('log', 'Pod', ['get']),
      custom('portforward', 'PodPortForwardOptions', ['create', 'get']),
      custom('proxy', 'PodProxyOptions', ['create', 'delete', 'get', 'patch', 'update']),
      'status',
    ],
  },
  { group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'], subresources: ['status'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets' },
  {
    group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'],
    subresources: [custom('token', 'TokenRequest', ['create'], 'authentication.k8s.io')],
  },
  {
    group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], nameRule: 'dns1035-label',
    subresources: [custom('proxy', 'ServiceProxyOptions', ['create', 'delete', 'get', 'patch', 'update']), 'status'],
  },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', shortNames: ['ds'], categories: ['all'], subresources: ['status'], tracksGeneration: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], subresources: ['scale', 'status'], tracksGeneration: true },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], subresources: ['scale', 'status'], tracksGeneration: true },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'], subresources: ['scale', 'status'], tracksGeneration: true },
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', storageKey: '/events' },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: false, verbs: ['create'] },
  { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenReview', plural: 'tokenreviews', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'LocalSubjectAccessReview', plural: 'localsubjectaccessreviews', verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false, verbs: ['create'] },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], subresources: ['status'] },
  // The same objects in the v1 shape, after v2 so that v2 stays the preferred (and storage) version.
  { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], subresources: ['status'] },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', shortNames: ['cj'], categories: ['all'], subresources: ['status'], tracksGeneration: true },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', categories: ['all'], subresources: ['status'], tracksGeneration: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], subresources: ['status'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], tracksGeneration: true },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', shortNames: ['pdb'], subresources: ['status'], tracksGeneration: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, nameRule: 'path-segment' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, nameRule: 'path-segment' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', nameRule: 'path-segment' },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', nameRule: 'path-segment' },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'] },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false, categories: ['api-extensions'] },
  {
    group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions',
    shortNames: ['crd', 'crds'], namespaced: false, categories: ['api-extensions'], subresources: ['status'], tracksGeneration: true,
  },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases' },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices' },
].map((entry) => expand(entry as Entry));

/** Group order of the real aggregator (priority, then name); CRD groups come after all of these. */
export const builtinGroupOrder: readonly string[] = [
  '', 'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'networking.k8s.io', 'policy',
  'rbac.authorization.k8s.io', 'admissionregistration.k8s.io', 'apiextensions.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io',
];
