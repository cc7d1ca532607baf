// The CustomResourceDefinitions `istioctl install` applies (manifests/charts/base/files/crd-all.gen.yaml):
// names, short names, categories, served/storage versions, printer columns and status subresource.
import type { JsonObject } from '../../../core/json-object.ts';
import { crdDefinition, type CrdVersion, type PrinterColumn } from './crd-definition.ts';
import { openApi as o, type Schema } from './open-api.ts';
import {
  authorizationPolicySpec,
  destinationRuleSpec,
  envoyFilterSpec,
  gatewaySpec,
  peerAuthenticationSpec,
  requestAuthenticationSpec,
  serviceEntrySpec,
  sidecarSpec,
  telemetrySpec,
  virtualServiceSpec,
  wasmPluginSpec,
  workloadEntrySpec,
  workloadGroupSpec,
} from './istio-spec-schemas.ts';

const AGE: PrinterColumn = {
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC. Populated by the system. Read-only. Null for lists. For more information, see [Kubernetes API Conventions](https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#metadata)',
  jsonPath: '.metadata.creationTimestamp',
  name: 'Age',
  type: 'date',
};

const ISTIO_LABELS = { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' };
const ISTIO_ANNOTATIONS = { 'helm.sh/resource-policy': 'keep' };

// Istio status is written by istiod's status reporter and the analyzers; upstream leaves it open.
const STATUS: Schema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

// 1.22 promoted the APIs to v1 but kept the old storage version so downgrades stay possible.
const NETWORKING_VERSIONS: CrdVersion[] = [
  { name: 'v1', served: true, storage: false },
  { name: 'v1alpha3', served: true, storage: true },
  { name: 'v1beta1', served: true, storage: false },
];
const SECURITY_VERSIONS: CrdVersion[] = [
  { name: 'v1', served: true, storage: false },
  { name: 'v1beta1', served: true, storage: true },
];
const TELEMETRY_VERSIONS: CrdVersion[] = [
  { name: 'v1', served: true, storage: false },
  { name: 'v1alpha1', served: true, storage: true },
];

interface IstioKind {
  group: 'networking.istio.io' | 'security.istio.io' | 'telemetry.istio.io' | 'extensions.istio.io';
  kind: string;
  plural: string;
  shortNames?: string[];
  versions: CrdVersion[];
  columns: PrinterColumn[];
  spec: Schema;
  /** Upstream marks `spec` required when the spec itself has required fields. */
  specRequired: boolean;
}

const KINDS: IstioKind[] = [
  {
    group: 'extensions.istio.io',
    kind: 'WasmPlugin',
    plural: 'wasmplugins',
    versions: [{ name: 'v1alpha1', served: true, storage: true }],
    columns: [AGE],
    spec: wasmPluginSpec,
    specRequired: true,
  },
  {
    group: 'networking.istio.io',
    kind: 'DestinationRule',
    plural: 'destinationrules',
    shortNames: ['dr'],
    versions: NETWORKING_VERSIONS,
    columns: [{ description: 'The name of a service from the service registry', jsonPath: '.spec.host', name: 'Host', type: 'string' }, AGE],
    spec: destinationRuleSpec,
    specRequired: true,
  },
  {
    group: 'networking.istio.io',
    kind: 'EnvoyFilter',
    plural: 'envoyfilters',
    versions: [{ name: 'v1alpha3', served: true, storage: true }],
    columns: [],
    spec: envoyFilterSpec,
    specRequired: false,
  },
  {
    group: 'networking.istio.io',
    kind: 'Gateway',
    plural: 'gateways',
    shortNames: ['gw'],
    versions: NETWORKING_VERSIONS,
    columns: [],
    spec: gatewaySpec,
    specRequired: false,
  },
  {
    group: 'networking.istio.io',
    kind: 'ServiceEntry',
    plural: 'serviceentries',
    shortNames: ['se'],
    versions: NETWORKING_VERSIONS,
    columns: [
      { description: 'The hosts associated with the ServiceEntry', jsonPath: '.spec.hosts', name: 'Hosts', type: 'string' },
      { description: 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)', jsonPath: '.spec.location', name: 'Location', type: 'string' },
      { description: 'Service resolution mode for the hosts (NONE, STATIC, or DNS)', jsonPath: '.spec.resolution', name: 'Resolution', type: 'string' },
      AGE,
    ],
    spec: serviceEntrySpec,
    specRequired: true,
  },
  {
    group: 'networking.istio.io',
    kind: 'Sidecar',
    plural: 'sidecars',
    versions: NETWORKING_VERSIONS,
    columns: [],
    spec: sidecarSpec,
    specRequired: false,
  },
  {
    group: 'networking.istio.io',
    kind: 'VirtualService',
    plural: 'virtualservices',
    shortNames: ['vs'],
    versions: NETWORKING_VERSIONS,
    columns: [
      { description: 'The names of gateways and sidecars that should apply these routes', jsonPath: '.spec.gateways', name: 'Gateways', type: 'string' },
      { description: 'The destination hosts to which traffic is being sent', jsonPath: '.spec.hosts', name: 'Hosts', type: 'string' },
      AGE,
    ],
    spec: virtualServiceSpec,
    specRequired: false,
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadEntry',
    plural: 'workloadentries',
    shortNames: ['we'],
    versions: NETWORKING_VERSIONS,
    columns: [AGE, { description: 'Address associated with the network endpoint.', jsonPath: '.spec.address', name: 'Address', type: 'string' }],
    spec: workloadEntrySpec,
    specRequired: false,
  },
  {
    group: 'networking.istio.io',
    kind: 'WorkloadGroup',
    plural: 'workloadgroups',
    shortNames: ['wg'],
    versions: NETWORKING_VERSIONS,
    columns: [AGE],
    spec: workloadGroupSpec,
    specRequired: true,
  },
  {
    group: 'security.istio.io',
    kind: 'AuthorizationPolicy',
    plural: 'authorizationpolicies',
    shortNames: ['ap'],
    versions: SECURITY_VERSIONS,
    columns: [{ description: 'The operation to take.', jsonPath: '.spec.action', name: 'Action', type: 'string' }, AGE],
    spec: authorizationPolicySpec,
    specRequired: false,
  },
  {
    group: 'security.istio.io',
    kind: 'PeerAuthentication',
    plural: 'peerauthentications',
    shortNames: ['pa'],
    versions: SECURITY_VERSIONS,
    columns: [{ description: 'Defines the mTLS mode used for peer authentication.', jsonPath: '.spec.mtls.mode', name: 'Mode', type: 'string' }, AGE],
    spec: peerAuthenticationSpec,
    specRequired: false,
  },
  {
    group: 'security.istio.io',
    kind: 'RequestAuthentication',
    plural: 'requestauthentications',
    shortNames: ['ra'],
    versions: SECURITY_VERSIONS,
    columns: [],
    spec: requestAuthenticationSpec,
    specRequired: false,
  },
  {
    group: 'telemetry.istio.io',
    kind: 'Telemetry',
    plural: 'telemetries',
    shortNames: ['telemetry'],
    versions: TELEMETRY_VERSIONS,
    columns: [AGE],
    spec: telemetrySpec,
    specRequired: false,
  },
];

function categoriesFor(group: string): string[] {
  return ['istio-io', group.replaceAll('.', '-')];
}

/** Every Istio CRD, in the order of crd-all.gen.yaml. */
export function istioCrds(): JsonObject[] {
  return KINDS.map((entry) => {
    const schema: Schema = o.object({ spec: entry.spec, status: STATUS });
    if (entry.specRequired) schema.required = ['spec'];
    const input = {
      group: entry.group,
      kind: entry.kind,
      plural: entry.plural,
      categories: categoriesFor(entry.group),
      versions: entry.versions,
      printerColumns: entry.columns,
      schema,
      statusSubresource: true,
      labels: ISTIO_LABELS,
      annotations: ISTIO_ANNOTATIONS,
    };
    return crdDefinition(entry.shortNames === undefined ? input : { ...input, shortNames: entry.shortNames });
  });
}
