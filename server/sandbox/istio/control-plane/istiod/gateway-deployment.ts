// What istiod's gateway deployment controller creates for a Gateway API `Gateway` of class
// `istio` (istio-discovery/files/kube-gateway.yaml, gatewaycommon/deploymentcontroller.go):
// a ServiceAccount, a Deployment running `istio-proxy` as a router, and a Service, all named
// `<gateway>-istio` and owned by the Gateway.
import { asArray, asObject, asString, type JsonObject } from '../../../core/json-object.ts';

export const GATEWAY_CONTROLLER_NAME = 'istio.io/gateway-controller';
export const MANAGED_LABEL = 'gateway.istio.io/managed';
export const MANAGED_VALUE = 'istio.io-gateway-controller';
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
export const GATEWAY_CLASS_LABEL = 'gateway.networking.k8s.io/gateway-class-name';
export const SERVICE_TYPE_ANNOTATION = 'networking.istio.io/service-type';

export interface GatewayDeploymentSettings {
  /** Registry and tag of the proxyv2 image (those of the istiod serving the Gateway). */
  hub: string;
  tag: string;
  /** `istio.io/rev` of that istiod. */
  revision: string;
  /** Namespace and Service of that istiod, for CA_ADDR. */
  istioNamespace: string;
  istiodService: string;
}

/** `<gateway>-<class>`, the name of every generated object. */
export function gatewayDeploymentName(gateway: JsonObject): string {
  return `${asString(asObject(gateway.metadata).name) ?? ''}-${asString(asObject(gateway.spec).gatewayClassName) ?? 'istio'}`;
}

function fieldRef(name: string, path: string): JsonObject {
  return { name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: path } } };
}

/** Lower-cased listener name with characters a Service port name cannot hold replaced. */
function portName(listener: JsonObject, index: number): string {
  const name = (asString(listener.name) ?? '').toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 15).replace(/^-+|-+$/g, '');
  return name === '' ? `${(asString(listener.protocol) ?? 'tcp').toLowerCase()}-${index}` : name;
}

/** The Service ports: status-port, then one per distinct listener port. */
export function gatewayServicePorts(gateway: JsonObject): JsonObject[] {
  const ports: JsonObject[] = [{ name: 'status-port', port: 15021, protocol: 'TCP', appProtocol: 'tcp' }];
  const seen = new Set<number>();
  asArray(asObject(gateway.spec).listeners).map(asObject).forEach((listener, index) => {
    const port = Number(listener.port);
    if (seen.has(port)) return;
    seen.add(port);
    ports.push({ name: portName(listener, index), port, protocol: 'TCP', appProtocol: (asString(listener.protocol) ?? 'TCP').toLowerCase() });
  });
  return ports;
}

/** ServiceAccount, Deployment and Service for a Gateway, in the order istiod applies them. */
export function gatewayDeploymentObjects(gateway: JsonObject, settings: GatewayDeploymentSettings): JsonObject[] {
  const metadata = asObject(gateway.metadata);
  const gatewayName = asString(metadata.name) ?? '';
  const namespace = asString(metadata.namespace) ?? '';
  const className = asString(asObject(gateway.spec).gatewayClassName) ?? 'istio';
  const name = gatewayDeploymentName(gateway);
  const owner: JsonObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: gatewayName, uid: asString(metadata.uid) ?? '' };
  const labels = { [GATEWAY_CLASS_LABEL]: className, [MANAGED_LABEL]: MANAGED_VALUE, [GATEWAY_NAME_LABEL]: gatewayName };
  const objectMeta = (): JsonObject => ({ name, namespace, labels: { ...labels }, ownerReferences: [{ ...owner }] });
  const serviceType = asString(asObject(metadata.annotations)[SERVICE_TYPE_ANNOTATION]) ?? 'LoadBalancer';
  const podLabels = {
    ...labels,
    'istio.io/gateway-name': gatewayName,
    'service.istio.io/canonical-name': name,
    'service.istio.io/canonical-revision': 'latest',
    'sidecar.istio.io/inject': 'false',
  };
  const deployment: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(),
    spec: {
      selector: { matchLabels: { [GATEWAY_NAME_LABEL]: gatewayName } },
      template: {
        metadata: {
          annotations: { 'istio.io/rev': settings.revision, 'prometheus.io/path': '/stats/prometheus', 'prometheus.io/port': '15020', 'prometheus.io/scrape': 'true' },
          labels: podLabels,
        },
        spec: {
          serviceAccountName: name,
          securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
          containers: [
            {
              name: 'istio-proxy',
              image: `${settings.hub}/proxyv2:${settings.tag}`,
              args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel', 'warning', '--proxyComponentLogLevel', 'misc:error', '--log_output_level', 'default:info'],
              env: [
                { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
                { name: 'CA_ADDR', value: `${settings.istiodService}.${settings.istioNamespace}.svc:15012` },
                fieldRef('POD_NAME', 'metadata.name'),
                fieldRef('POD_NAMESPACE', 'metadata.namespace'),
                fieldRef('INSTANCE_IP', 'status.podIP'),
                fieldRef('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
                fieldRef('HOST_IP', 'status.hostIP'),
                { name: 'ISTIO_META_WORKLOAD_NAME', value: name },
                { name: 'ISTIO_META_OWNER', value: `kubernetes://apis/apps/v1/namespaces/${namespace}/deployments/${name}` },
                { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
                { name: 'TRUST_DOMAIN', value: 'cluster.local' },
                { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
              ],
              ports: [
                { containerPort: 15020, name: 'metrics', protocol: 'TCP' },
                { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
                { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
              ],
              readinessProbe: { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 15, successThreshold: 1, timeoutSeconds: 1 },
              resources: { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '100m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337 },
            },
          ],
        },
      },
    },
  };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: objectMeta() },
    deployment,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: objectMeta(),
      spec: { type: serviceType, ports: gatewayServicePorts(gateway), selector: { [GATEWAY_NAME_LABEL]: gatewayName } },
    },
  ];
}
