// The Kubernetes objects `istioctl install` creates for a resolved configuration, following the
// Helm charts under manifests/charts (base, istio-control/istio-discovery, gateways/*).
import { stringify } from 'yaml';
import { asObject, asString, type JsonObject } from '../../../core/json-object.ts';
import { istioCrds } from '../crds/istio-crds.ts';
import type { GatewaySetting, InstallConfig } from './install-config.ts';
import { ISTIO_RELEASE } from './istio-release.ts';

export type InstallComponent = 'Base' | 'Pilot' | 'Cni' | 'Ztunnel' | 'IngressGateways' | 'EgressGateways';

export interface InstalledObject {
  component: InstallComponent;
  object: JsonObject;
}

/** `istiod` or `istiod-<revision>`: Deployment, Service, ServiceAccount and webhook service name. */
export function istiodName(revision: string): string {
  return revision === '' ? 'istiod' : `istiod-${revision}`;
}

/** The value the `istio.io/rev` label carries for a revision (`default` when unnamed). */
export function revisionLabel(revision: string): string {
  return revision === '' ? 'default' : revision;
}

function suffixed(name: string, revision: string): string {
  return revision === '' ? name : `${name}-${revision}`;
}

function fieldRef(name: string, path: string): JsonObject {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: path } } };
}

function operatorLabels(component: string, revision: string): Record<string, string> {
  return {
    'install.operator.istio.io/owning-resource': 'unknown',
    'istio.io/rev': revisionLabel(revision),
    'operator.istio.io/component': component,
    release: 'istio',
  };
}

function meshConfigYaml(config: InstallConfig): string {
  const discovery = `${istiodName(config.revision)}.${config.namespace}.svc:15012`;
  const mesh: JsonObject = {
    defaultConfig: { discoveryAddress: discovery },
    defaultProviders: { metrics: ['prometheus'] },
    enablePrometheusMerge: true,
    rootNamespace: config.namespace,
    trustDomain: 'cluster.local',
  };
  for (const [key, value] of Object.entries(config.meshConfig)) {
    mesh[key] = key === 'defaultConfig' ? { ...asObject(mesh.defaultConfig), ...asObject(value) } : value;
  }
  return stringify(mesh, { sortMapEntries: true });
}

function injectorValues(config: InstallConfig): JsonObject {
  const values = config.values;
  const global = asObject(values.global);
  const injector = asObject(values.sidecarInjectorWebhook);
  return {
    global: {
      hub: config.hub,
      tag: config.tag,
      istioNamespace: config.namespace,
      proxy: { image: 'proxyv2', clusterDomain: 'cluster.local', ...asObject(global.proxy) },
      proxy_init: { image: 'proxyv2' },
      ...(asString(global.platform) === undefined ? {} : { platform: global.platform }),
    },
    revision: config.revision,
    sidecarInjectorWebhook: {
      enableNamespacesByDefault: injector.enableNamespacesByDefault === true,
      neverInjectSelector: [],
      alwaysInjectSelector: [],
      defaultTemplates: [],
      rewriteAppHTTPProbe: injector.rewriteAppHTTPProbe !== false,
    },
    pilot: { cni: { enabled: config.components.cni } },
  };
}

function injectionWebhook(name: string, config: InstallConfig, namespaceSelector: JsonObject[], objectSelector: JsonObject[]): JsonObject {
  return {
    name,
    admissionReviewVersions: ['v1'],
    clientConfig: { service: { name: istiodName(config.revision), namespace: config.namespace, path: '/inject', port: 443 } },
    failurePolicy: 'Fail',
    matchPolicy: 'Equivalent',
    namespaceSelector: { matchExpressions: namespaceSelector },
    objectSelector: { matchExpressions: objectSelector },
    reinvocationPolicy: 'Never',
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
    sideEffects: 'None',
    timeoutSeconds: 10,
  };
}

const notFalse = { key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] };

/** The MutatingWebhookConfiguration with the exact selectors of mutatingwebhook.yaml (§2.2). */
function sidecarInjectorWebhook(config: InstallConfig): JsonObject {
  const rev = revisionLabel(config.revision);
  const webhooks = [
    injectionWebhook('rev.namespace.sidecar-injector.istio.io', config, [
      { key: 'istio.io/rev', operator: 'In', values: [rev] },
      { key: 'istio-injection', operator: 'DoesNotExist' },
    ], [notFalse]),
    injectionWebhook('rev.object.sidecar-injector.istio.io', config, [
      { key: 'istio.io/rev', operator: 'DoesNotExist' },
      { key: 'istio-injection', operator: 'DoesNotExist' },
    ], [notFalse, { key: 'istio.io/rev', operator: 'In', values: [rev] }]),
  ];
  // Only the default revision answers to the plain `istio-injection=enabled` / pod-label forms.
  if (config.revision === '') {
    webhooks.push(
      injectionWebhook(
        'namespace.sidecar-injector.istio.io',
        config,
        asObject(config.values.sidecarInjectorWebhook).enableNamespacesByDefault === true
          ? [{ key: 'istio-injection', operator: 'NotIn', values: ['disabled'] }, { key: 'istio.io/rev', operator: 'DoesNotExist' }]
          : [{ key: 'istio-injection', operator: 'In', values: ['enabled'] }],
        [notFalse],
      ),
      injectionWebhook('object.sidecar-injector.istio.io', config, [
        { key: 'istio-injection', operator: 'DoesNotExist' },
        { key: 'istio.io/rev', operator: 'DoesNotExist' },
      ], [
        { key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] },
        { key: 'istio.io/rev', operator: 'DoesNotExist' },
      ]),
    );
  }
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: {
      name: suffixed('istio-sidecar-injector', config.revision),
      labels: { ...operatorLabels('Pilot', config.revision), app: 'sidecar-injector' },
    },
    webhooks,
  };
}

function validationWebhook(name: string, config: InstallConfig, objectSelector: JsonObject | undefined): JsonObject {
  const hook: JsonObject = {
    name,
    admissionReviewVersions: ['v1'],
    clientConfig: { service: { name: istiodName(config.revision), namespace: config.namespace, path: '/validate', port: 443 } },
    // istiod flips this to Fail once its own certificate is served; until then writes pass.
    failurePolicy: 'Ignore',
    matchPolicy: 'Equivalent',
    namespaceSelector: {},
    rules: [
      {
        apiGroups: ['security.istio.io', 'networking.istio.io', 'telemetry.istio.io', 'extensions.istio.io'],
        apiVersions: ['*'],
        operations: ['CREATE', 'UPDATE'],
        resources: ['*'],
        scope: '*',
      },
    ],
    sideEffects: 'None',
    timeoutSeconds: 10,
  };
  if (objectSelector !== undefined) hook.objectSelector = objectSelector;
  return hook;
}

function validatingWebhooks(config: InstallConfig): JsonObject[] {
  const defaultRevision = config.revision === '';
  const out: JsonObject[] = [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: {
        name: defaultRevision ? `istio-validator-${config.namespace}` : `istio-validator-${config.revision}-${config.namespace}`,
        labels: { ...operatorLabels('Pilot', config.revision), app: 'istiod', istio: 'istiod', 'istio.io/rev': revisionLabel(config.revision) },
      },
      webhooks: [
        validationWebhook('rev.validation.istio.io', config, {
          matchExpressions: [{ key: 'istio.io/rev', operator: 'In', values: [revisionLabel(config.revision)] }],
        }),
      ],
    },
  ];
  if (config.revision === '') {
    out.push({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'istiod-default-validator', labels: { ...operatorLabels('Pilot', ''), app: 'istiod', istio: 'istiod' } },
      webhooks: [validationWebhook('validation.istio.io', config, undefined)],
    });
  }
  return out;
}

function istiodObjects(config: InstallConfig): JsonObject[] {
  const name = istiodName(config.revision);
  const rev = revisionLabel(config.revision);
  const ns = config.namespace;
  const pilot = asObject(config.values.pilot);
  const autoscale = pilot.autoscaleEnabled !== false;
  const labels = { ...operatorLabels('Pilot', config.revision), app: 'istiod', istio: 'pilot', 'app.kubernetes.io/name': 'istiod', 'app.kubernetes.io/part-of': 'istio', 'app.kubernetes.io/version': ISTIO_RELEASE.version };
  const selector = config.revision === '' ? { istio: 'pilot' } : { app: 'istiod', 'istio.io/rev': rev };
  const deploymentSpec: JsonObject = {
    selector: { matchLabels: selector },
    strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
    template: {
      metadata: {
        annotations: { 'prometheus.io/port': '15014', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
        labels: {
          app: 'istiod',
          'istio.io/rev': rev,
          'install.operator.istio.io/owning-resource': 'unknown',
          'sidecar.istio.io/inject': 'false',
          'operator.istio.io/component': 'Pilot',
          // Only the default revision's pods are `istio=pilot`, the default Service's selector;
          // a revision's pods are `istio=istiod` so that Service never sends to them.
          istio: config.revision === '' ? 'pilot' : 'istiod',
          'istio.io/dataplane-mode': 'none',
        },
      },
      spec: {
        serviceAccountName: name,
        tolerations: [{ key: 'cni.istio.io/not-ready', operator: 'Exists' }],
        containers: [
          {
            name: 'discovery',
            image: `${config.hub}/pilot:${config.tag}`,
            args: ['discovery', '--monitoringAddr=:15014', '--log_output_level=default:info', '--domain', 'cluster.local', '--keepaliveMaxServerConnectionAge', '30m'],
            ports: [
              { containerPort: 8080, name: 'http-debug', protocol: 'TCP' },
              { containerPort: 15010, name: 'grpc-xds', protocol: 'TCP' },
              { containerPort: 15012, name: 'tls-xds', protocol: 'TCP' },
              { containerPort: 15017, name: 'https-webhooks', protocol: 'TCP' },
              { containerPort: 15014, name: 'http-monitoring', protocol: 'TCP' },
            ],
            readinessProbe: { httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 1, periodSeconds: 3, timeoutSeconds: 5 },
            env: [
              { name: 'REVISION', value: rev },
              { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
              fieldRef('POD_NAME', 'metadata.name'),
              fieldRef('POD_NAMESPACE', 'metadata.namespace'),
              fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
              { name: 'KUBECONFIG', value: '/var/run/secrets/remote/config' },
              { name: 'CA_TRUSTED_NODE_ACCOUNTS', value: `${ns}/ztunnel` },
              { name: 'PILOT_TRACE_SAMPLING', value: String(pilot.traceSampling ?? 1) },
              { name: 'PILOT_ENABLE_ANALYSIS', value: 'false' },
              { name: 'CLUSTER_ID', value: 'Kubernetes' },
              { name: 'PLATFORM', value: asString(asObject(config.values.global).platform) ?? '' },
            ],
            resources: { requests: { cpu: '500m', memory: '2048Mi' }, ...asObject(pilot.resources) },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
          },
        ],
      },
    },
  };
  if (!autoscale) deploymentSpec.replicas = 1;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels: { ...operatorLabels('Pilot', config.revision), app: 'istiod' } } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: suffixed('istio', config.revision), namespace: ns, labels: { ...operatorLabels('Pilot', config.revision), 'istio.io/rev': rev } },
      data: { mesh: meshConfigYaml(config), meshNetworks: 'networks: {}' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: suffixed('istio-sidecar-injector', config.revision), namespace: ns, labels: { ...operatorLabels('Pilot', config.revision), 'istio.io/rev': rev } },
      data: {
        config: stringify({ alwaysInjectSelector: [], defaultTemplates: ['sidecar'], injectedAnnotations: {}, neverInjectSelector: [], policy: 'enabled', templates: { gateway: '', grpc: '', sidecar: '' } }, { sortMapEntries: true }),
        values: JSON.stringify(injectorValues(config)),
      },
    },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels }, spec: deploymentSpec },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels: { ...operatorLabels('Pilot', config.revision), app: 'istiod', istio: 'pilot' } },
      spec: {
        type: 'ClusterIP',
        ports: [
          { name: 'grpc-xds', port: 15010, protocol: 'TCP' },
          { name: 'https-dns', port: 15012, protocol: 'TCP' },
          { name: 'https-webhook', port: 443, protocol: 'TCP', targetPort: 15017 },
          { name: 'http-monitoring', port: 15014, protocol: 'TCP' },
        ],
        selector: config.revision === '' ? { app: 'istiod', istio: 'pilot' } : { app: 'istiod', 'istio.io/rev': rev },
      },
    },
    sidecarInjectorWebhook(config),
    ...validatingWebhooks(config),
  ];
}

interface GatewayShape {
  component: 'IngressGateways' | 'EgressGateways';
  istioLabel: string;
  serviceType: 'LoadBalancer' | 'ClusterIP';
  ports: JsonObject[];
}

function gatewayShape(kind: 'ingress' | 'egress', config: InstallConfig): GatewayShape {
  if (kind === 'egress') {
    return {
      component: 'EgressGateways',
      istioLabel: 'egressgateway',
      serviceType: 'ClusterIP',
      ports: [
        { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
      ],
    };
  }
  const ports: JsonObject[] = [
    { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: 15021 },
    { name: 'http2', port: 80, protocol: 'TCP', targetPort: 8080 },
    { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
  ];
  // base/files/profile-demo.yaml opens the TCP and mTLS passthrough ports as well.
  if (asString(config.values.profile) === 'demo') {
    ports.push({ name: 'tcp', port: 31400, protocol: 'TCP', targetPort: 31400 }, { name: 'tls', port: 15443, protocol: 'TCP', targetPort: 15443 });
  }
  return { component: 'IngressGateways', istioLabel: 'ingressgateway', serviceType: 'LoadBalancer', ports };
}

function gatewayObjects(kind: 'ingress' | 'egress', gateway: GatewaySetting, config: InstallConfig): JsonObject[] {
  const shape = gatewayShape(kind, config);
  const rev = revisionLabel(config.revision);
  const ns = gateway.namespace;
  const appLabels = { app: gateway.name, istio: shape.istioLabel, ...gateway.label };
  const labels = { ...operatorLabels(shape.component, config.revision), ...appLabels, 'app.kubernetes.io/name': gateway.name, 'app.kubernetes.io/part-of': 'istio' };
  const serviceAccount = `${gateway.name}-service-account`;
  const gatewayValues = asObject(asObject(config.values.gateways)[gateway.name]);
  const containerPorts: JsonObject[] = shape.ports.map((port) => ({ containerPort: port.targetPort, protocol: 'TCP' }));
  containerPorts.push({ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' });
  const deploymentSpec: JsonObject = {
    selector: { matchLabels: appLabels },
    strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: '25%' } },
    template: {
      metadata: {
        annotations: { 'istio.io/rev': rev, 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true', 'sidecar.istio.io/inject': 'false' },
        labels: {
          ...labels,
          'sidecar.istio.io/inject': 'false',
          'service.istio.io/canonical-name': gateway.name,
          'service.istio.io/canonical-revision': 'latest',
          chart: 'gateways',
          heritage: 'Tiller',
        },
      },
      spec: {
        serviceAccountName: serviceAccount,
        securityContext: { runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337, fsGroup: 1337 },
        containers: [
          {
            name: 'istio-proxy',
            image: `${config.hub}/proxyv2:${config.tag}`,
            args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
            ports: containerPorts,
            readinessProbe: { failureThreshold: 30, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, initialDelaySeconds: 1, periodSeconds: 2, successThreshold: 1, timeoutSeconds: 1 },
            env: [
              { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
              { name: 'CA_ADDR', value: `${istiodName(config.revision)}.${config.namespace}.svc:15012` },
              fieldRef('NODE_NAME', 'spec.nodeName'),
              fieldRef('POD_NAME', 'metadata.name'),
              fieldRef('POD_NAMESPACE', 'metadata.namespace'),
              fieldRef('INSTANCE_IP', 'status.podIP'),
              fieldRef('HOST_IP', 'status.hostIP'),
              fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
              { name: 'ISTIO_META_WORKLOAD_NAME', value: gateway.name },
              { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/apps/v1/namespaces/${ns}/deployments/${gateway.name}` },
              { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
              { name: 'TRUST_DOMAIN', value: 'cluster.local' },
              { name: 'ISTIO_META_UNPRIVILEGED_POD', value: 'true' },
              { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
            ],
            resources: { limits: { cpu: '2000m', memory: '1024Mi' }, requests: { cpu: '100m', memory: '128Mi' }, ...asObject(gatewayValues.resources) },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true },
          },
        ],
      },
    },
  };
  if (gatewayValues.autoscaleEnabled === false) deploymentSpec.replicas = 1;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount, namespace: ns, labels: { ...operatorLabels(shape.component, config.revision), ...appLabels } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: gateway.name, namespace: ns, labels }, spec: deploymentSpec },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: gateway.name, namespace: ns, labels },
      spec: { type: shape.serviceType, ports: shape.ports, selector: appLabels },
    },
  ];
}

/** Every object the install creates, tagged with the component that owns it, in apply order. */
export function installManifest(config: InstallConfig): InstalledObject[] {
  const out: InstalledObject[] = [];
  if (config.components.base) {
    for (const crd of istioCrds()) out.push({ component: 'Base', object: crd });
    out.push({
      component: 'Base',
      object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'istio-reader-service-account', namespace: config.namespace, labels: { ...operatorLabels('Base', config.revision), app: 'istio-reader' } } },
    });
  }
  if (config.components.pilot) for (const object of istiodObjects(config)) out.push({ component: 'Pilot', object });
  for (const gateway of config.components.egressGateways.filter((g) => g.enabled)) {
    for (const object of gatewayObjects('egress', gateway, config)) out.push({ component: 'EgressGateways', object });
  }
  for (const gateway of config.components.ingressGateways.filter((g) => g.enabled)) {
    for (const object of gatewayObjects('ingress', gateway, config)) out.push({ component: 'IngressGateways', object });
  }
  return out;
}
