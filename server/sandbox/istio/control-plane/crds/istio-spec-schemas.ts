// Structural schemas for the spec of every Istio resource, following the field names and
// enums of the upstream API (istio.io/api). Closed objects everywhere except where upstream is
// itself open (Struct-typed fields such as EnvoyFilter patch values and WasmPlugin config), so
// the API server prunes or rejects unknown fields exactly as a real cluster does.
import { openApi as o, type Schema } from './open-api.ts';

const selectorLabels = o.object({
  matchLabels: o.map(o.string(undefined, { maxLength: 63 }), 'One or more labels that indicate a specific set of pods/VMs on which a policy should be applied.'),
});
const workloadSelector = o.object({
  labels: o.stringMap('One or more labels that indicate a specific set of pods/VMs on which the configuration should be applied.'),
});
const policyTargetRef = o.object(
  {
    group: o.string('group is the group of the target resource.'),
    kind: o.string('kind is kind of the target resource.'),
    name: o.string('name is the name of the target resource.'),
    namespace: o.string('namespace is the namespace of the referent.'),
  },
  { required: ['kind', 'name'] },
);
const stringMatch = o.object({
  exact: o.string(),
  prefix: o.string(),
  regex: o.string('[RE2 style regex-based match](https://github.com/google/re2/wiki/Syntax).'),
});
const percent = o.object({ value: o.number() });
const portSelector = o.object({ number: o.port('Valid port number') });
const destination = o.object(
  {
    host: o.string('The name of a service from the service registry.'),
    port: portSelector,
    subset: o.string('The name of a subset within the service.'),
  },
  { required: ['host'] },
);
const headerOperations = o.object({
  add: o.stringMap(),
  remove: o.stringArray(),
  set: o.stringMap(),
});
const headers = o.object({ request: headerOperations, response: headerOperations });

const httpMatchRequest = o.object({
  authority: stringMatch,
  gateways: o.stringArray('Names of gateways where the rule should be applied.'),
  headers: o.map(stringMatch, 'The header keys must be lowercase and use hyphen as the separator, e.g.'),
  ignoreUriCase: o.boolean('Flag to specify whether the URI matching should be case-insensitive.'),
  method: stringMatch,
  name: o.string('The name assigned to a match.'),
  port: o.port('Specifies the ports on the host that is being addressed.'),
  queryParams: o.map(stringMatch, 'Query parameters for matching.'),
  scheme: stringMatch,
  sourceLabels: o.stringMap(),
  sourceNamespace: o.string('Source namespace constraining the applicability of a rule to workloads in that namespace.'),
  statPrefix: o.string('The human readable prefix to use when emitting statistics for this route.'),
  uri: stringMatch,
  withoutHeaders: o.map(stringMatch, 'withoutHeader has the same syntax with the header, but has opposite meaning.'),
});
const httpRouteDestination = o.object(
  {
    destination,
    headers,
    weight: o.integer('Weight specifies the relative proportion of traffic to be forwarded to the destination.'),
  },
  { required: ['destination'] },
);
const httpRetry = o.object({
  attempts: o.integer('Number of retries to be allowed for a given request.'),
  backoff: o.duration('Specifies the minimum duration between retry attempts.'),
  perTryTimeout: o.duration('Timeout per attempt for a given request, including the initial call and any retries.'),
  retryIgnorePreviousHosts: o.boolean(),
  retryOn: o.string('Specifies the conditions under which retry takes place.'),
  retryRemoteLocalities: o.boolean('Flag to specify whether the retries should retry to other localities.'),
});
const httpFault = o.object({
  abort: o.object({
    grpcStatus: o.string('GRPC status code to use to abort the request.'),
    http2Error: o.string(),
    httpStatus: o.integer('HTTP status code to use to abort the Http request.'),
    percentage: percent,
  }),
  delay: o.object({
    exponentialDelay: o.duration(),
    fixedDelay: o.duration('Add a fixed delay before forwarding the request.'),
    percent: o.integer('Percentage of requests on which the delay will be injected (0-100).'),
    percentage: percent,
  }),
});
const httpRedirect = o.object({
  authority: o.string(),
  derivePort: o.enumOf(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']),
  port: o.port(),
  redirectCode: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined }),
  scheme: o.string(),
  uri: o.string(),
});
const httpRewrite = o.object({
  authority: o.string(),
  uri: o.string(),
  uriRegexRewrite: o.object({ match: o.string(), rewrite: o.string() }),
});
const corsPolicy = o.object({
  allowCredentials: o.boolean(),
  allowHeaders: o.stringArray(),
  allowMethods: o.stringArray(),
  allowOrigin: o.stringArray(),
  allowOrigins: o.array(stringMatch),
  exposeHeaders: o.stringArray(),
  maxAge: o.duration(),
  unmatchedPreflights: o.enumOf(['UNSPECIFIED', 'FORWARD', 'IGNORE']),
});
const httpRoute = o.object({
  corsPolicy,
  delegate: o.object({ name: o.string(), namespace: o.string() }),
  directResponse: o.object(
    {
      body: o.object({ bytes: o.string(undefined, { format: 'binary' }), string: o.string() }),
      status: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined }),
    },
    { required: ['status'] },
  ),
  fault: httpFault,
  headers,
  match: o.array(httpMatchRequest, { description: 'Match conditions to be satisfied for the rule to be activated.' }),
  mirror: destination,
  mirrorPercent: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined, nullable: true }),
  mirrorPercentage: percent,
  mirror_percent: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined, nullable: true }),
  mirrors: o.array(o.object({ destination, percentage: percent }, { required: ['destination'] })),
  name: o.string('The name assigned to the route for debugging purposes.'),
  redirect: httpRedirect,
  retries: httpRetry,
  rewrite: httpRewrite,
  route: o.array(httpRouteDestination, { description: 'A HTTP rule can either return a direct_response, redirect or forward (default) traffic.' }),
  timeout: o.duration('Timeout for HTTP requests, default is disabled.'),
});
const l4Match = o.object({
  destinationSubnets: o.stringArray('IPv4 or IPv6 ip addresses of destination with optional subnet.'),
  gateways: o.stringArray('Names of gateways where the rule should be applied.'),
  port: o.port('Specifies the port on the host that is being addressed.'),
  sourceLabels: o.stringMap(),
  sourceNamespace: o.string(),
});
const routeDestination = o.object({ destination, weight: o.integer() }, { required: ['destination'] });

export const virtualServiceSpec: Schema = o.object({
  exportTo: o.stringArray('A list of namespaces to which this virtual service is exported.'),
  gateways: o.stringArray('The names of gateways and sidecars that should apply these routes.'),
  hosts: o.stringArray('The destination hosts to which traffic is being sent.'),
  http: o.array(httpRoute, { description: 'An ordered list of route rules for HTTP traffic.' }),
  tcp: o.array(o.object({ match: o.array(l4Match), route: o.array(routeDestination) }), { description: 'An ordered list of route rules for opaque TCP traffic.' }),
  tls: o.array(
    o.object(
      {
        match: o.array(o.object({ ...(l4Match.properties as Record<string, Schema>), sniHosts: o.stringArray('SNI (server name indicator) to match on.') }, { required: ['sniHosts'] })),
        route: o.array(routeDestination),
      },
      { required: ['match'] },
    ),
  ),
});

const clientTls = o.object({
  caCertificates: o.string(),
  caCrl: o.string(),
  clientCertificate: o.string(),
  credentialName: o.string(),
  insecureSkipVerify: o.boolean(undefined),
  mode: o.enumOf(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'], 'Indicates whether connections to this port should be secured using TLS.'),
  privateKey: o.string(),
  sni: o.string(),
  subjectAltNames: o.stringArray(),
});
const connectionPool = o.object({
  http: o.object({
    h2UpgradePolicy: o.enumOf(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']),
    http1MaxPendingRequests: o.integer('Maximum number of requests that will be queued while waiting for a ready connection pool connection.'),
    http2MaxRequests: o.integer('Maximum number of active requests to a destination.'),
    idleTimeout: o.duration(),
    maxConcurrentStreams: o.integer(),
    maxRequestsPerConnection: o.integer(),
    maxRetries: o.integer(),
    useClientProtocol: o.boolean(),
  }),
  tcp: o.object({
    connectTimeout: o.duration('TCP connection timeout.'),
    idleTimeout: o.duration(),
    maxConnectionDuration: o.duration(),
    maxConnections: o.integer('Maximum number of HTTP1 /TCP connections to a destination host.'),
    tcpKeepalive: o.object({ interval: o.duration(), probes: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined }), time: o.duration() }),
  }),
});
const outlierDetection = o.object({
  baseEjectionTime: o.duration('Minimum ejection duration.'),
  consecutive5xxErrors: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined, nullable: true }),
  consecutiveErrors: o.integer(),
  consecutiveGatewayErrors: o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined, nullable: true }),
  consecutiveLocalOriginFailures: o.integer(undefined, { nullable: true }),
  interval: o.duration('Time interval between ejection sweep analysis.'),
  maxEjectionPercent: o.integer(),
  minHealthPercent: o.integer(),
  splitExternalLocalOriginErrors: o.boolean(),
});
const loadBalancer = o.object({
  consistentHash: o.object({
    httpCookie: o.object({ name: o.string(), path: o.string(), ttl: o.duration() }, { required: ['name'] }),
    httpHeaderName: o.string(),
    httpQueryParameterName: o.string(),
    minimumRingSize: o.integer(),
    useSourceIp: o.boolean(),
  }),
  localityLbSetting: o.object({
    distribute: o.array(o.object({ from: o.string(), to: o.map(o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined })) })),
    enabled: o.boolean(undefined),
    failover: o.array(o.object({ from: o.string(), to: o.string() })),
    failoverPriority: o.stringArray(),
  }),
  simple: o.enumOf(['UNSPECIFIED', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST', 'LEAST_CONN']),
  warmupDurationSecs: o.duration(),
});
const policyFields: Record<string, Schema> = { connectionPool, loadBalancer, outlierDetection, tls: clientTls };
const trafficPolicy = o.object({
  ...policyFields,
  portLevelSettings: o.array(o.object({ ...policyFields, port: portSelector }), { description: 'Traffic policies specific to individual ports.' }),
  proxyProtocol: o.object({ version: o.enumOf(['V1', 'V2']) }),
  tunnel: o.object({ protocol: o.string(), targetHost: o.string(), targetPort: o.port() }, { required: ['targetHost', 'targetPort'] }),
});

export const destinationRuleSpec: Schema = o.object(
  {
    exportTo: o.stringArray('A list of namespaces to which this destination rule is exported.'),
    host: o.string('The name of a service from the service registry.'),
    subsets: o.array(
      o.object(
        {
          labels: o.stringMap('Labels apply a filter over the endpoints of a service in the service registry.'),
          name: o.string('Name of the subset.'),
          trafficPolicy,
        },
        { required: ['name'] },
      ),
      { description: 'One or more named sets that represent individual versions of a service.' },
    ),
    trafficPolicy,
    workloadSelector: o.object({ matchLabels: o.stringMap() }),
  },
  { required: ['host'] },
);

const serverPort = o.object(
  {
    name: o.string('Label assigned to the port.'),
    number: o.port('A valid non-negative integer port number.'),
    protocol: o.string('The protocol exposed on the port.'),
    targetPort: o.port(),
  },
  { required: ['number', 'protocol', 'name'] },
);
export const gatewaySpec: Schema = o.object({
  selector: o.stringMap('One or more labels that indicate a specific set of pods/VMs on which this gateway configuration should be applied.'),
  servers: o.array(
    o.object(
      {
        bind: o.string('The ip or the Unix domain socket to which the listener should be bound to.'),
        defaultEndpoint: o.string(),
        hosts: o.stringArray('One or more hosts exposed by this gateway.'),
        name: o.string('An optional name of the server, when set must be unique across all servers.'),
        port: serverPort,
        tls: o.object({
          caCertificates: o.string(),
          caCrl: o.string(),
          cipherSuites: o.stringArray(),
          credentialName: o.string(),
          credentialNames: o.stringArray(),
          httpsRedirect: o.boolean(),
          maxProtocolVersion: o.enumOf(['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3']),
          minProtocolVersion: o.enumOf(['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3']),
          mode: o.enumOf(['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']),
          privateKey: o.string(),
          serverCertificate: o.string(),
          subjectAltNames: o.stringArray(),
          verifyCertificateHash: o.stringArray(),
          verifyCertificateSpki: o.stringArray(),
        }),
      },
      { required: ['port', 'hosts'] },
    ),
    { description: 'A list of server specifications.' },
  ),
});

const workloadEntryFields: Record<string, Schema> = {
  address: o.string('Address associated with the network endpoint without the port.', { maxLength: 256 }),
  labels: o.stringMap('One or more labels associated with the endpoint.'),
  locality: o.string('The locality associated with the endpoint.', { maxLength: 2048 }),
  network: o.string('Network enables Istio to group endpoints resident in the same L3 domain/network.', { maxLength: 2048 }),
  ports: o.map(o.integer(undefined, { maximum: 4294967295, minimum: 0, format: undefined }), 'Set of ports associated with the endpoint.'),
  serviceAccount: o.string('The service account associated with the workload if a sidecar is present in the workload.', { maxLength: 253 }),
  weight: o.integer('The load balancing weight associated with the endpoint.', { maximum: 4294967295, minimum: 0, format: undefined }),
};
export const workloadEntrySpec: Schema = o.object(workloadEntryFields);

export const serviceEntrySpec: Schema = o.object(
  {
    addresses: o.stringArray('The virtual IP addresses associated with the service.'),
    endpoints: o.array(o.object(workloadEntryFields), { description: 'One or more endpoints associated with the service.' }),
    exportTo: o.stringArray('A list of namespaces to which this service is exported.'),
    hosts: o.stringArray('The hosts associated with the ServiceEntry.'),
    location: o.enumOf(['MESH_EXTERNAL', 'MESH_INTERNAL'], 'Specify whether the service should be considered external to the mesh or part of the mesh.'),
    ports: o.array(
      o.object(
        {
          name: o.string('Label assigned to the port.'),
          number: o.port('A valid non-negative integer port number.'),
          protocol: o.string('The protocol exposed on the port.'),
          targetPort: o.port('The port number on the endpoint where the traffic will be received.'),
        },
        { required: ['number', 'name'] },
      ),
      { description: 'The ports associated with the external service.' },
    ),
    resolution: o.enumOf(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN', 'DYNAMIC_DNS'], 'Service resolution mode for the hosts.'),
    subjectAltNames: o.stringArray(),
    workloadSelector: o.object({ labels: o.stringMap() }),
  },
  { required: ['hosts'] },
);

export const workloadGroupSpec: Schema = o.object(
  {
    metadata: o.object({ annotations: o.stringMap(), labels: o.stringMap() }),
    probe: o.object({
      exec: o.object({ command: o.stringArray() }, { required: ['command'] }),
      failureThreshold: o.integer(),
      grpc: o.object({ port: o.integer(), service: o.string() }),
      httpGet: o.object(
        {
          host: o.string(),
          httpHeaders: o.array(o.object({ name: o.string(), value: o.string() })),
          path: o.string(),
          port: o.port(),
          scheme: o.string(),
        },
        { required: ['port'] },
      ),
      initialDelaySeconds: o.integer(),
      periodSeconds: o.integer(),
      successThreshold: o.integer(),
      tcpSocket: o.object({ host: o.string(), port: o.port() }, { required: ['port'] }),
      timeoutSeconds: o.integer(),
    }),
    template: o.object(workloadEntryFields),
  },
  { required: ['template'] },
);

const sidecarPort = o.object({ name: o.string(), number: o.port(), protocol: o.string(), targetPort: o.port() });
const captureMode = o.enumOf(['DEFAULT', 'IPTABLES', 'NONE']);
export const sidecarSpec: Schema = o.object({
  egress: o.array(o.object({ bind: o.string(), captureMode, hosts: o.stringArray(), port: sidecarPort }, { required: ['hosts'] })),
  inboundConnectionPool: connectionPool,
  ingress: o.array(
    o.object(
      { bind: o.string(), captureMode, connectionPool, defaultEndpoint: o.string(), port: sidecarPort, tls: o.open() },
      { required: ['port'] },
    ),
  ),
  outboundTrafficPolicy: o.object({ egressProxy: destination, mode: o.enumOf(['REGISTRY_ONLY', 'ALLOW_ANY']) }),
  workloadSelector,
});

export const envoyFilterSpec: Schema = o.object({
  configPatches: o.array(
    o.object({
      applyTo: o.enumOf(['INVALID', 'LISTENER', 'FILTER_CHAIN', 'NETWORK_FILTER', 'HTTP_FILTER', 'ROUTE_CONFIGURATION', 'VIRTUAL_HOST', 'HTTP_ROUTE', 'CLUSTER', 'EXTENSION_CONFIG', 'BOOTSTRAP', 'LISTENER_FILTER']),
      // The match tree mirrors Envoy's own config and is deep; upstream keeps it closed, but
      // learners never author it, so it is accepted as given.
      match: o.open('Match on listener/route configuration/cluster.'),
      patch: o.object({
        filterClass: o.enumOf(['UNSPECIFIED', 'AUTHN', 'AUTHZ', 'STATS']),
        operation: o.enumOf(['INVALID', 'MERGE', 'ADD', 'REMOVE', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE']),
        value: o.open('The JSON config of the object being patched.'),
      }),
    }),
  ),
  priority: o.integer('Priority defines the order in which patch sets are applied within a context.'),
  targetRefs: o.array(policyTargetRef),
  workloadSelector,
});

export const peerAuthenticationSpec: Schema = o.object({
  mtls: o.object({
    mode: o.enumOf(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'], 'Defines the mTLS mode used for peer authentication.'),
  }),
  portLevelMtls: o.map(o.object({ mode: o.enumOf(['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT']) }), 'Port specific mutual TLS settings.'),
  selector: selectorLabels,
});

export const authorizationPolicySpec: Schema = o.object({
  action: o.enumOf(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'], 'Optional.'),
  provider: o.object({ name: o.string('Specifies the name of the extension provider.') }),
  rules: o.array(
    o.object({
      from: o.array(
        o.object({
          source: o.object({
            ipBlocks: o.stringArray(),
            namespaces: o.stringArray(),
            notIpBlocks: o.stringArray(),
            notNamespaces: o.stringArray(),
            notPrincipals: o.stringArray(),
            notRemoteIpBlocks: o.stringArray(),
            notRequestPrincipals: o.stringArray(),
            notServiceAccounts: o.stringArray(),
            principals: o.stringArray('Optional.'),
            remoteIpBlocks: o.stringArray(),
            requestPrincipals: o.stringArray(),
            serviceAccounts: o.stringArray(),
          }),
        }),
      ),
      to: o.array(
        o.object({
          operation: o.object({
            hosts: o.stringArray(),
            methods: o.stringArray(),
            notHosts: o.stringArray(),
            notMethods: o.stringArray(),
            notPaths: o.stringArray(),
            notPorts: o.stringArray(),
            paths: o.stringArray(),
            ports: o.stringArray(),
          }),
        }),
      ),
      when: o.array(o.object({ key: o.string('The name of an Istio attribute.'), notValues: o.stringArray(), values: o.stringArray() }, { required: ['key'] })),
    }),
    { description: 'Optional.' },
  ),
  selector: selectorLabels,
  targetRef: policyTargetRef,
  targetRefs: o.array(policyTargetRef),
});

export const requestAuthenticationSpec: Schema = o.object({
  jwtRules: o.array(
    o.object(
      {
        audiences: o.stringArray(),
        forwardOriginalToken: o.boolean(),
        fromCookies: o.stringArray(),
        fromHeaders: o.array(o.object({ name: o.string(), prefix: o.string() }, { required: ['name'] })),
        fromParams: o.stringArray(),
        issuer: o.string('Identifies the issuer that issued the JWT.'),
        jwks: o.string(),
        jwksUri: o.string(),
        jwks_uri: o.string(),
        outputClaimToHeaders: o.array(o.object({ claim: o.string(), header: o.string() })),
        outputPayloadToHeader: o.string(),
        timeout: o.duration(),
      },
      { required: ['issuer'] },
    ),
  ),
  selector: selectorLabels,
  targetRef: policyTargetRef,
  targetRefs: o.array(policyTargetRef),
});

const providerRefs = o.array(o.object({ name: o.string() }, { required: ['name'] }));
const workloadMode = o.enumOf(['CLIENT_AND_SERVER', 'CLIENT', 'SERVER']);
export const telemetrySpec: Schema = o.object({
  accessLogging: o.array(
    o.object({
      disabled: o.boolean(undefined, { nullable: true }),
      filter: o.object({ expression: o.string() }),
      match: o.object({ mode: workloadMode }),
      providers: providerRefs,
    }),
  ),
  metrics: o.array(
    o.object({
      overrides: o.array(
        o.object({
          disabled: o.boolean(undefined, { nullable: true }),
          match: o.object({
            customMetric: o.string(),
            metric: o.enumOf(['ALL_METRICS', 'REQUEST_COUNT', 'REQUEST_DURATION', 'REQUEST_SIZE', 'RESPONSE_SIZE', 'TCP_OPENED_CONNECTIONS', 'TCP_CLOSED_CONNECTIONS', 'TCP_SENT_BYTES', 'TCP_RECEIVED_BYTES', 'GRPC_REQUEST_MESSAGES', 'GRPC_RESPONSE_MESSAGES']),
            mode: workloadMode,
          }),
          tagOverrides: o.map(o.object({ operation: o.enumOf(['UPSERT', 'REMOVE']), value: o.string() })),
        }),
      ),
      providers: providerRefs,
      reportingInterval: o.duration(),
    }),
  ),
  selector: selectorLabels,
  targetRef: policyTargetRef,
  targetRefs: o.array(policyTargetRef),
  tracing: o.array(
    o.object({
      customTags: o.map(
        o.object({
          environment: o.object({ defaultValue: o.string(), name: o.string() }, { required: ['name'] }),
          header: o.object({ defaultValue: o.string(), name: o.string() }, { required: ['name'] }),
          literal: o.object({ value: o.string() }, { required: ['value'] }),
        }),
      ),
      disableSpanReporting: o.boolean(undefined, { nullable: true }),
      enableIstioTags: o.boolean(undefined, { nullable: true }),
      match: o.object({ mode: workloadMode }),
      providers: providerRefs,
      randomSamplingPercentage: o.number(),
      useRequestIdForTraceSampling: o.boolean(undefined, { nullable: true }),
    }),
  ),
});

export const wasmPluginSpec: Schema = o.object(
  {
    failStrategy: o.enumOf(['FAIL_CLOSE', 'FAIL_OPEN', 'FAIL_RELOAD']),
    imagePullPolicy: o.enumOf(['UNSPECIFIED_POLICY', 'IfNotPresent', 'Always']),
    imagePullSecret: o.string('Credentials to use for OCI image pulling.', { maxLength: 253, minLength: 1 }),
    match: o.array(o.object({ mode: o.enumOf(['UNDEFINED', 'CLIENT', 'SERVER', 'CLIENT_AND_SERVER']), ports: o.array(o.object({ number: o.integer(undefined, { maximum: 65535, minimum: 1, format: undefined }) }, { required: ['number'] })) })),
    phase: o.enumOf(['UNSPECIFIED_PHASE', 'AUTHN', 'AUTHZ', 'STATS']),
    pluginConfig: o.open('The configuration that will be passed on to the plugin.'),
    pluginName: o.string(undefined, { maxLength: 256, minLength: 1 }),
    priority: o.integer(undefined, { nullable: true }),
    selector: selectorLabels,
    sha256: o.string(undefined, { pattern: '(^$|^[a-f0-9]{64}$)' }),
    targetRef: policyTargetRef,
    targetRefs: o.array(policyTargetRef, { maxItems: 16 }),
    type: o.enumOf(['UNSPECIFIED_PLUGIN_TYPE', 'HTTP', 'NETWORK']),
    url: o.string('URL of a Wasm module or OCI container.', { minLength: 1 }),
    verificationKey: o.string(),
    vmConfig: o.object({ env: o.array(o.object({ name: o.string(), value: o.string(), valueFrom: o.enumOf(['INLINE', 'HOST']) }, { required: ['name'] })) }),
  },
  { required: ['url'] },
);
