// Istio's standard request metrics as each proxy keeps them: `istio_requests_total` and the
// `istio_request_duration_milliseconds` histogram, counted per proxy from its own point of view
// (a client sidecar or a gateway reports `reporter="source"`, a server sidecar
// `reporter="destination"`), printed in Envoy's Prometheus text format with the label set and
// order of Istio's stats extension, so `pilot-agent request GET stats/prometheus` reads as on a
// real cluster. A request that never reached its destination (a fault abort, no healthy
// upstream) is counted only by its source: that difference is what tells a learner which hop
// failed.
import { resolveTargetPort, type ClusterNetwork, type NetworkPod } from '../../network/cluster-network.ts';

/** One side of a request as Istio's peer metadata describes it. */
export interface IstioPeer {
  workload: string;
  namespace: string;
  principal: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  cluster: string;
}

export interface IstioDestinationService {
  /** `reviews.default.svc.cluster.local`, or a ServiceEntry host. */
  host: string;
  name: string;
  namespace: string;
}

export interface IstioRequestRecord {
  reporter: 'source' | 'destination';
  source?: IstioPeer;
  destination?: IstioPeer;
  service?: IstioDestinationService;
  responseCode: number;
  /** Envoy response flags, `-` when none. */
  responseFlags: string;
  /** `mutual_tls` or `none` on the destination side; the source side reports `unknown`. */
  connectionSecurityPolicy: 'mutual_tls' | 'none' | 'unknown';
  durationMs: number;
}

/** One TCP connection through a proxy, as Istio's TCP metrics count it when it closes. */
export interface IstioTcpRecord {
  reporter: 'source' | 'destination';
  source?: IstioPeer;
  destination?: IstioPeer;
  service?: IstioDestinationService;
  /** Envoy response flags (`UF`, `UH`, `-` when none). */
  responseFlags: string;
  connectionSecurityPolicy: 'mutual_tls' | 'none' | 'unknown';
  /** Bytes the client sent (Istio's `istio_tcp_received_bytes_total`: received during the request). */
  receivedBytes: number;
  /** Bytes the server answered (Istio's `istio_tcp_sent_bytes_total`: sent during the response). */
  sentBytes: number;
}

/** One metric as Envoy's Prometheus page prints it: a `# TYPE` line, then its series. */
export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** The series lines, without the `# TYPE` line. */
  lines: string[];
}

export interface IstioRequestMetrics {
  /** Counts one request on the proxy `<pod>.<namespace>`. */
  record(proxyId: string, request: IstioRequestRecord): void;
  /** Counts one TCP connection (opened and closed) on the proxy `<pod>.<namespace>`. */
  recordTcp(proxyId: string, connection: IstioTcpRecord): void;
  /** The proxy's Istio metrics (none when it has counted nothing). */
  families(proxyId: string): MetricFamily[];
}

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const DURATION_BUCKETS_MS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000] as const;

const UNKNOWN_PEER: IstioPeer = { workload: 'unknown', namespace: 'unknown', principal: 'unknown', app: 'unknown', version: 'unknown', canonicalService: 'unknown', canonicalRevision: 'latest', cluster: 'unknown' };

/**
 * A pod as its proxy's metadata names it: the workload is the Deployment (the pod name without
 * its ReplicaSet hash and suffix), the canonical service and revision come from the injector's
 * labels or `app`/`version`, and the principal is known only on an mTLS connection.
 */
export function istioPeer(pod: NetworkPod, mtls: boolean): IstioPeer {
  const workload = /^(.*)-[a-z0-9]{6,10}-[a-z0-9]{3,5}$/.exec(pod.name)?.[1] ?? /^(.*)-\d+$/.exec(pod.name)?.[1] ?? pod.name;
  const labels = pod.labels;
  return {
    workload,
    namespace: pod.namespace,
    principal: mtls ? `spiffe://cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount}` : 'unknown',
    app: labels.app ?? 'unknown',
    version: labels.version ?? 'unknown',
    canonicalService: labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels.app ?? workload,
    canonicalRevision: labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest',
    cluster: 'Kubernetes',
  };
}

/** The destination service of an outbound cluster name, `outbound|9080|v1|reviews.default.svc.cluster.local`. */
export function serviceOfCluster(cluster: string | undefined): IstioDestinationService | undefined {
  const host = cluster?.split('|')[3];
  if (host === undefined || host === '') return undefined;
  const inCluster = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  return inCluster === null ? { host, name: host, namespace: 'unknown' } : { host, name: inCluster[1] ?? host, namespace: inCluster[2] ?? 'unknown' };
}

/**
 * The service a server sidecar counts a request against: the one named in the client's mTLS
 * SNI (`outbound_.9080_.v1_.reviews.default.svc.cluster.local`), else a Service of the pod's
 * namespace that selects the pod on this port.
 */
export function inboundService(network: ClusterNetwork, pod: NetworkPod, port: number, sni: string | undefined): IstioDestinationService | undefined {
  const fromSni = sni === undefined ? undefined : serviceOfCluster(sni.split('_.').join('|'));
  if (fromSni !== undefined) return fromSni;
  const service = network.services.find(
    (s) =>
      s.namespace === pod.namespace &&
      s.selector !== undefined &&
      Object.entries(s.selector).every(([key, value]) => pod.labels[key] === value) &&
      s.ports.some((p) => resolveTargetPort(p, pod) === port),
  );
  return service === undefined ? undefined : { host: `${service.name}.${service.namespace}.svc.cluster.local`, name: service.name, namespace: service.namespace };
}

function labelSet(request: IstioRequestRecord): string {
  return formatLabels(peerLabels(request, 'http'), [
    ['response_code', String(request.responseCode)],
    ['grpc_response_status', ''],
    ['response_flags', request.responseFlags === '' ? '-' : request.responseFlags],
    ['connection_security_policy', request.connectionSecurityPolicy],
  ]);
}

// Istio's TCP metrics carry the same peer labels with `request_protocol="tcp"`, and neither a
// response code nor a gRPC status.
function tcpLabelSet(connection: IstioTcpRecord): string {
  return formatLabels(peerLabels(connection, 'tcp'), [
    ['response_flags', connection.responseFlags === '' ? '-' : connection.responseFlags],
    ['connection_security_policy', connection.connectionSecurityPolicy],
  ]);
}

function formatLabels(first: [string, string][], rest: [string, string][]): string {
  return [...first, ...rest].map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',');
}

function peerLabels(request: Pick<IstioRequestRecord, 'reporter' | 'source' | 'destination' | 'service'>, protocol: 'http' | 'tcp'): [string, string][] {
  const source = request.source ?? UNKNOWN_PEER;
  const destination = request.destination ?? UNKNOWN_PEER;
  const service = request.service ?? { host: 'unknown', name: 'unknown', namespace: 'unknown' };
  const pairs: [string, string][] = [
    ['reporter', request.reporter],
    ['source_workload', source.workload],
    ['source_canonical_service', source.canonicalService],
    ['source_canonical_revision', source.canonicalRevision],
    ['source_workload_namespace', source.namespace],
    ['source_principal', source.principal],
    ['source_app', source.app],
    ['source_version', source.version],
    ['source_cluster', source.cluster],
    ['destination_workload', destination.workload],
    ['destination_workload_namespace', destination.namespace],
    ['destination_principal', destination.principal],
    ['destination_app', destination.app],
    ['destination_version', destination.version],
    ['destination_service', service.host],
    ['destination_canonical_service', destination.canonicalService],
    ['destination_canonical_revision', destination.canonicalRevision],
    ['destination_service_name', service.name],
    ['destination_service_namespace', service.namespace],
    ['destination_cluster', destination.cluster],
    ['request_protocol', protocol],
  ];
  return pairs;
}

interface Series {
  labels: string;
  count: number;
  sumMs: number;
  /** Cumulative counts per bucket of DURATION_BUCKETS_MS. */
  buckets: number[];
}

interface TcpSeries {
  labels: string;
  opened: number;
  closed: number;
  receivedBytes: number;
  sentBytes: number;
}

/** A proxy's series for one label set, made empty the first time it is asked for. */
function seriesOf<T>(byProxy: Map<string, Map<string, T>>, proxyId: string, labels: string, empty: () => T): T {
  let series = byProxy.get(proxyId);
  if (series === undefined) {
    series = new Map();
    byProxy.set(proxyId, series);
  }
  let one = series.get(labels);
  if (one === undefined) {
    one = empty();
    series.set(labels, one);
  }
  return one;
}

export function createIstioRequestMetrics(): IstioRequestMetrics {
  const byProxy = new Map<string, Map<string, Series>>();
  const tcpByProxy = new Map<string, Map<string, TcpSeries>>();
  return {
    recordTcp(proxyId, connection) {
      const labels = tcpLabelSet(connection);
      const one = seriesOf(tcpByProxy, proxyId, labels, () => ({ labels, opened: 0, closed: 0, receivedBytes: 0, sentBytes: 0 }));
      // The sandbox's connections carry one exchange and close when it ends.
      one.opened += 1;
      one.closed += 1;
      one.receivedBytes += connection.receivedBytes;
      one.sentBytes += connection.sentBytes;
    },
    record(proxyId, request) {
      const labels = labelSet(request);
      const one = seriesOf(byProxy, proxyId, labels, () => ({ labels, count: 0, sumMs: 0, buckets: DURATION_BUCKETS_MS.map(() => 0) }));
      one.count += 1;
      one.sumMs += request.durationMs;
      DURATION_BUCKETS_MS.forEach((bound, index) => {
        if (request.durationMs <= bound && one !== undefined) one.buckets[index] = (one.buckets[index] ?? 0) + 1;
      });
    },
    families(proxyId) {
      const tcp = [...(tcpByProxy.get(proxyId)?.values() ?? [])];
      const tcpFamilies: MetricFamily[] =
        tcp.length === 0
          ? []
          : [
              { name: 'istio_tcp_connections_opened_total', type: 'counter', lines: tcp.map((one) => `istio_tcp_connections_opened_total{${one.labels}} ${one.opened}`) },
              { name: 'istio_tcp_connections_closed_total', type: 'counter', lines: tcp.map((one) => `istio_tcp_connections_closed_total{${one.labels}} ${one.closed}`) },
              { name: 'istio_tcp_received_bytes_total', type: 'counter', lines: tcp.map((one) => `istio_tcp_received_bytes_total{${one.labels}} ${one.receivedBytes}`) },
              { name: 'istio_tcp_sent_bytes_total', type: 'counter', lines: tcp.map((one) => `istio_tcp_sent_bytes_total{${one.labels}} ${one.sentBytes}`) },
            ];
      const series = [...(byProxy.get(proxyId)?.values() ?? [])];
      if (series.length === 0) return tcpFamilies;
      const durations: string[] = [];
      for (const one of series) {
        DURATION_BUCKETS_MS.forEach((bound, index) => durations.push(`istio_request_duration_milliseconds_bucket{${one.labels},le="${bound}"} ${one.buckets[index] ?? 0}`));
        durations.push(`istio_request_duration_milliseconds_bucket{${one.labels},le="+Inf"} ${one.count}`);
        durations.push(`istio_request_duration_milliseconds_sum{${one.labels}} ${one.sumMs}`);
        durations.push(`istio_request_duration_milliseconds_count{${one.labels}} ${one.count}`);
      }
      return [
        { name: 'istio_requests_total', type: 'counter', lines: series.map((one) => `istio_requests_total{${one.labels}} ${one.count}`) },
        { name: 'istio_request_duration_milliseconds', type: 'histogram', lines: durations },
        ...tcpFamilies,
      ];
    },
  };
}
