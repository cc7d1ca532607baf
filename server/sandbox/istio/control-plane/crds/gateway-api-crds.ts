// Kubernetes Gateway API CRDs, standard channel, bundle v1.6.0 (the bundle Istio 1.30 tests
// with). Schemas carry upstream's `default`s because learners see them in `kubectl get -o yaml`
// (HTTPRoute backendRefs gain `weight: 1`, `group: ""`, `kind: Service`; rules gain a `/` match).
import type { JsonObject } from '../../../core/json-object.ts';
import { crdDefinition, type PrinterColumn } from './crd-definition.ts';
import { openApi as o, type Schema } from './open-api.ts';

export const GATEWAY_API_BUNDLE_VERSION = 'v1.6.0';

const AGE: PrinterColumn = { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' };
const ANNOTATIONS = {
  'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/3328',
  'gateway.networking.k8s.io/bundle-version': GATEWAY_API_BUNDLE_VERSION,
  'gateway.networking.k8s.io/channel': 'standard',
};

const name = o.string(undefined, { maxLength: 253, minLength: 1 });
const group = o.string(undefined, { maxLength: 253, pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' });
const kind = o.string(undefined, { maxLength: 63, minLength: 1, pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$' });
const namespace = o.string(undefined, { maxLength: 63, minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' });
const portNumber = o.integer(undefined, { maximum: 65535, minimum: 1 });
const hostname = o.string(undefined, { maxLength: 253, minLength: 1, pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' });
const sectionName = o.string(undefined, { maxLength: 253, minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' });

const condition = o.object(
  {
    lastTransitionTime: o.string(undefined, { format: 'date-time' }),
    message: o.string(undefined, { maxLength: 32768 }),
    observedGeneration: { type: 'integer', format: 'int64', minimum: 0 },
    reason: o.string(undefined, { maxLength: 1024, minLength: 1 }),
    status: o.enumOf(['True', 'False', 'Unknown']),
    type: o.string(undefined, { maxLength: 316 }),
  },
  { required: ['lastTransitionTime', 'message', 'reason', 'status', 'type'] },
);
const conditions = (defaults?: JsonObject[]): Schema =>
  o.array(condition, {
    maxItems: 8,
    'x-kubernetes-list-map-keys': ['type'],
    'x-kubernetes-list-type': 'map',
    ...(defaults === undefined ? {} : { default: defaults }),
  });
const pendingConditions = (types: string[]): JsonObject[] =>
  types.map((type) => ({
    lastTransitionTime: '1970-01-01T00:00:00Z',
    message: 'Waiting for controller',
    reason: 'Pending',
    status: 'Unknown',
    type,
  }));

const parentReference = o.object(
  {
    group: { ...group, default: 'gateway.networking.k8s.io' },
    kind: { ...kind, default: 'Gateway' },
    name,
    namespace,
    port: portNumber,
    sectionName,
  },
  { required: ['name'] },
);
const backendRef = (extra: Record<string, Schema>): Schema =>
  o.object(
    {
      group: { ...group, default: '' },
      kind: { ...kind, default: 'Service' },
      name,
      namespace,
      port: portNumber,
      weight: o.integer(undefined, { default: 1, maximum: 1000000, minimum: 0 }),
      ...extra,
    },
    { required: ['name'] },
  );
const headerModifier = o.object({
  add: o.array(o.object({ name: o.string(), value: o.string() }, { required: ['name', 'value'] }), { maxItems: 16 }),
  remove: o.stringArray(),
  set: o.array(o.object({ name: o.string(), value: o.string() }, { required: ['name', 'value'] }), { maxItems: 16 }),
});
const httpPathModifier = o.object(
  { replaceFullPath: o.string(), replacePrefixMatch: o.string(), type: o.enumOf(['ReplaceFullPath', 'ReplacePrefixMatch']) },
  { required: ['type'] },
);
const httpFilter = o.object(
  {
    extensionRef: o.object({ group, kind, name }, { required: ['group', 'kind', 'name'] }),
    requestHeaderModifier: headerModifier,
    requestMirror: o.object({ backendRef: backendRef({}), fraction: o.object({ denominator: o.integer(), numerator: o.integer() }), percent: o.integer() }, { required: ['backendRef'] }),
    requestRedirect: o.object({
      hostname,
      path: httpPathModifier,
      port: portNumber,
      scheme: o.enumOf(['http', 'https']),
      statusCode: { type: 'integer', default: 302, enum: [301, 302, 303, 307, 308] },
    }),
    responseHeaderModifier: headerModifier,
    type: o.enumOf(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef', 'CORS']),
    urlRewrite: o.object({ hostname, path: httpPathModifier }),
  },
  { required: ['type'] },
);
const httpRouteMatch = o.object({
  headers: o.array(
    o.object(
      { name: o.string(), type: { ...o.enumOf(['Exact', 'RegularExpression']), default: 'Exact' }, value: o.string(undefined, { maxLength: 4096, minLength: 1 }) },
      { required: ['name', 'value'] },
    ),
    { maxItems: 16 },
  ),
  method: o.enumOf(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']),
  path: o.object(
    { type: { ...o.enumOf(['Exact', 'PathPrefix', 'RegularExpression']), default: 'PathPrefix' }, value: o.string(undefined, { default: '/', maxLength: 1024 }) },
    { default: { type: 'PathPrefix', value: '/' } },
  ),
  queryParams: o.array(o.object({ name: o.string(), type: o.enumOf(['Exact', 'RegularExpression']), value: o.string() }, { required: ['name', 'value'] }), { maxItems: 16 }),
});

const routeStatus = o.object(
  {
    parents: o.array(
      o.object(
        { conditions: conditions(), controllerName: o.string(undefined, { maxLength: 253, minLength: 1 }), parentRef: parentReference },
        { required: ['conditions', 'controllerName', 'parentRef'] },
      ),
      { maxItems: 32 },
    ),
  },
  { required: ['parents'] },
);

const httpRouteSpec = o.object({
  hostnames: o.array(hostname, { maxItems: 16 }),
  parentRefs: o.array(parentReference, { maxItems: 32 }),
  rules: o.array(
    o.object({
      backendRefs: o.array(backendRef({ filters: o.array(httpFilter, { maxItems: 16 }) }), { maxItems: 16 }),
      filters: o.array(httpFilter, { maxItems: 16 }),
      matches: o.array(httpRouteMatch, { default: [{ path: { type: 'PathPrefix', value: '/' } }], maxItems: 64 }),
      name: sectionName,
      timeouts: o.object({ backendRequest: o.string(), request: o.string() }),
    }),
    { default: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }], maxItems: 16 },
  ),
});

const grpcRouteSpec = o.object({
  hostnames: o.array(hostname, { maxItems: 16 }),
  parentRefs: o.array(parentReference, { maxItems: 32 }),
  rules: o.array(
    o.object({
      backendRefs: o.array(backendRef({}), { maxItems: 16 }),
      filters: o.array(o.object({ requestHeaderModifier: headerModifier, responseHeaderModifier: headerModifier, type: o.string() }, { required: ['type'] }), { maxItems: 16 }),
      matches: o.array(
        o.object({
          headers: o.array(o.object({ name: o.string(), type: { ...o.enumOf(['Exact', 'RegularExpression']), default: 'Exact' }, value: o.string() }, { required: ['name', 'value'] })),
          method: o.object({ method: o.string(), service: o.string(), type: { ...o.enumOf(['Exact', 'RegularExpression']), default: 'Exact' } }),
        }),
        { maxItems: 64 },
      ),
      name: sectionName,
    }),
    { maxItems: 16 },
  ),
});

const gatewaySpec = o.object(
  {
    addresses: o.array(o.object({ type: { ...o.string(), default: 'IPAddress' }, value: o.string(undefined, { maxLength: 253, minLength: 1 }) }), { maxItems: 16 }),
    gatewayClassName: o.string(undefined, { maxLength: 253, minLength: 1 }),
    infrastructure: o.object({ annotations: o.stringMap(), labels: o.stringMap(), parametersRef: o.object({ group, kind, name }, { required: ['group', 'kind', 'name'] }) }),
    listeners: o.array(
      o.object(
        {
          allowedRoutes: o.object(
            {
              kinds: o.array(o.object({ group, kind }, { required: ['kind'] }), { maxItems: 8 }),
              namespaces: o.object(
                {
                  from: { ...o.enumOf(['All', 'Selector', 'Same']), default: 'Same' },
                  selector: o.object({ matchExpressions: o.array(o.object({ key: o.string(), operator: o.string(), values: o.stringArray() }, { required: ['key', 'operator'] })), matchLabels: o.stringMap() }),
                },
                { default: { from: 'Same' } },
              ),
            },
            { default: { namespaces: { from: 'Same' } } },
          ),
          hostname,
          name: sectionName,
          port: portNumber,
          protocol: o.string(undefined, { maxLength: 255, minLength: 1 }),
          tls: o.object({
            certificateRefs: o.array(o.object({ group: { ...group, default: '' }, kind: { ...kind, default: 'Secret' }, name, namespace }, { required: ['name'] }), { maxItems: 64 }),
            mode: { ...o.enumOf(['Terminate', 'Passthrough']), default: 'Terminate' },
            options: o.stringMap(),
          }),
        },
        { required: ['name', 'port', 'protocol'] },
      ),
      { maxItems: 64, minItems: 1, 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map' },
    ),
  },
  { required: ['gatewayClassName', 'listeners'] },
);
const gatewayStatus = o.object(
  {
    addresses: o.array(o.object({ type: { ...o.string(), default: 'IPAddress' }, value: o.string() }, { required: ['value'] }), { maxItems: 16 }),
    conditions: conditions(pendingConditions(['Accepted', 'Programmed'])),
    listeners: o.array(
      o.object(
        {
          attachedRoutes: { type: 'integer', format: 'int32' },
          conditions: conditions(),
          name: sectionName,
          supportedKinds: o.array(o.object({ group, kind }, { required: ['kind'] })),
        },
        { required: ['attachedRoutes', 'conditions', 'name'] },
      ),
      { maxItems: 64, 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-list-type': 'map' },
    ),
  },
  { default: { conditions: pendingConditions(['Accepted', 'Programmed']) } },
);

const gatewayClassSpec = o.object(
  {
    controllerName: o.string(undefined, { maxLength: 253, minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&\'()*+,;=:]+$' }),
    description: o.string(undefined, { maxLength: 64 }),
    parametersRef: o.object({ group, kind, name, namespace }, { required: ['group', 'kind', 'name'] }),
  },
  { required: ['controllerName'] },
);
const gatewayClassStatus = o.object(
  { conditions: conditions(pendingConditions(['Accepted'])), supportedFeatures: o.array(o.object({ name: o.string() }, { required: ['name'] })) },
  { default: { conditions: pendingConditions(['Accepted']) } },
);

const referenceGrantSpec = o.object(
  {
    from: o.array(o.object({ group, kind, namespace }, { required: ['group', 'kind', 'namespace'] }), { maxItems: 16, minItems: 1 }),
    to: o.array(o.object({ group, kind, name }, { required: ['group', 'kind'] }), { maxItems: 16, minItems: 1 }),
  },
  { required: ['from', 'to'] },
);

function whole(spec: Schema, status: Schema | undefined): Schema {
  const properties: Record<string, Schema> = { apiVersion: o.string(), kind: o.string(), metadata: { type: 'object' }, spec };
  if (status !== undefined) properties.status = status;
  return o.object(properties, { required: ['spec'] });
}

const served = (names: string[], storage: string) => names.map((version) => ({ name: version, served: true, storage: version === storage }));

/** The standard-channel Gateway API CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant). */
export function gatewayApiCrds(): JsonObject[] {
  const common = { group: 'gateway.networking.k8s.io', categories: ['gateway-api'], annotations: ANNOTATIONS };
  return [
    crdDefinition({
      ...common,
      kind: 'GatewayClass',
      plural: 'gatewayclasses',
      shortNames: ['gc'],
      scope: 'Cluster',
      versions: served(['v1', 'v1beta1'], 'v1'),
      printerColumns: [
        { jsonPath: '.spec.controllerName', name: 'Controller', type: 'string' },
        { jsonPath: '.status.conditions[?(@.type=="Accepted")].status', name: 'Accepted', type: 'string' },
        AGE,
        { jsonPath: '.spec.description', name: 'Description', priority: 1, type: 'string' },
      ],
      schema: whole(gatewayClassSpec, gatewayClassStatus),
      statusSubresource: true,
    }),
    crdDefinition({
      ...common,
      kind: 'Gateway',
      plural: 'gateways',
      shortNames: ['gtw'],
      versions: served(['v1', 'v1beta1'], 'v1'),
      printerColumns: [
        { jsonPath: '.spec.gatewayClassName', name: 'Class', type: 'string' },
        { jsonPath: '.status.addresses[*].value', name: 'Address', type: 'string' },
        { jsonPath: '.status.conditions[?(@.type=="Programmed")].status', name: 'Programmed', type: 'string' },
        AGE,
      ],
      schema: whole(gatewaySpec, gatewayStatus),
      statusSubresource: true,
    }),
    crdDefinition({
      ...common,
      kind: 'HTTPRoute',
      plural: 'httproutes',
      versions: served(['v1', 'v1beta1'], 'v1'),
      printerColumns: [{ jsonPath: '.spec.hostnames', name: 'Hostnames', type: 'string' }, AGE],
      schema: whole(httpRouteSpec, routeStatus),
      statusSubresource: true,
    }),
    crdDefinition({
      ...common,
      kind: 'GRPCRoute',
      plural: 'grpcroutes',
      versions: served(['v1'], 'v1'),
      printerColumns: [{ jsonPath: '.spec.hostnames', name: 'Hostnames', type: 'string' }, AGE],
      schema: whole(grpcRouteSpec, routeStatus),
      statusSubresource: true,
    }),
    crdDefinition({
      ...common,
      kind: 'ReferenceGrant',
      plural: 'referencegrants',
      shortNames: ['refgrant'],
      versions: served(['v1beta1'], 'v1beta1'),
      printerColumns: [AGE],
      schema: whole(referenceGrantSpec, undefined),
      statusSubresource: false,
    }),
  ];
}
