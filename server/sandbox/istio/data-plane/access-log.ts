// Envoy access logs in Istio's default TEXT format (pilot/pkg/model/telemetry_logging.go,
// EnvoyTextLogFormat), kept per pod so `kubectl logs <pod> -c istio-proxy` can print them:
//
// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
// %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
// "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
// %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
// "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
// %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
// %REQUESTED_SERVER_NAME% %ROUTE_NAME%

export interface AccessLogEntry {
  startMs: number;
  method: string;
  /** The original path (before rewrites), with the query string. */
  path: string;
  protocol: string;
  status: number;
  flags: string;
  details: string;
  /** Why a connection ended, e.g. a network RBAC denial on a TCP port; `-` for most lines. */
  connectionTerminationDetails?: string;
  transportFailureReason?: string;
  bytesReceived: number;
  bytesSent: number;
  durationMs: number;
  upstreamServiceTimeMs?: number;
  forwardedFor?: string;
  userAgent?: string;
  requestId?: string;
  authority?: string;
  upstreamHost?: string;
  upstreamCluster?: string;
  upstreamLocalAddress?: string;
  downstreamLocalAddress: string;
  downstreamRemoteAddress: string;
  requestedServerName?: string;
  routeName?: string;
}

const dash = (value: string | number | undefined): string => (value === undefined || value === '' ? '-' : String(value));

export function formatAccessLogEntry(entry: AccessLogEntry): string {
  return (
    `[${new Date(entry.startMs).toISOString()}] "${entry.method} ${entry.path} ${entry.protocol}" ${entry.status} ${dash(entry.flags)} ${dash(entry.details)} ${dash(entry.connectionTerminationDetails)} ` +
    `"${dash(entry.transportFailureReason)}" ${entry.bytesReceived} ${entry.bytesSent} ${Math.round(entry.durationMs)} ${dash(entry.upstreamServiceTimeMs === undefined ? undefined : Math.round(entry.upstreamServiceTimeMs))} ` +
    `"${dash(entry.forwardedFor)}" "${dash(entry.userAgent)}" "${dash(entry.requestId)}" "${dash(entry.authority)}" "${dash(entry.upstreamHost)}" ` +
    `${dash(entry.upstreamCluster)} ${dash(entry.upstreamLocalAddress)} ${entry.downstreamLocalAddress} ${entry.downstreamRemoteAddress} ${dash(entry.requestedServerName)} ${dash(entry.routeName)}`
  );
}

/**
 * A TCP proxy counts bytes, not requests: an HTTP/1.1 message as it crosses the wire (start
 * line, headers, blank line, body), for the byte columns of a `"- - -"` connection line.
 */
export function httpWireBytes(startLine: string, headers: Readonly<Record<string, string>>, body: string): number {
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.byteLength(`${startLine}\r\n${head}\r\n`) + Buffer.byteLength(body);
}

export interface AccessLogStore {
  append(namespace: string, pod: string, entry: AccessLogEntry): void;
  /** Formatted lines of one pod's istio-proxy container, oldest first. */
  lines(namespace: string, pod: string): string[];
  entries(namespace: string, pod: string): readonly AccessLogEntry[];
}

/** Keeps the newest `limit` entries per pod, as a container log rotates. */
export function createAccessLogStore(limit = 1000): AccessLogStore {
  const byPod = new Map<string, AccessLogEntry[]>();
  const key = (namespace: string, pod: string): string => `${namespace}/${pod}`;
  return {
    append(namespace, pod, entry) {
      const list = byPod.get(key(namespace, pod)) ?? [];
      list.push(entry);
      if (list.length > limit) list.splice(0, list.length - limit);
      byPod.set(key(namespace, pod), list);
    },
    lines: (namespace, pod) => (byPod.get(key(namespace, pod)) ?? []).map(formatAccessLogEntry),
    entries: (namespace, pod) => byPod.get(key(namespace, pod)) ?? [],
  };
}
