// Envoy's own answers (local replies), with the body text, response flag and response code
// details Envoy uses, so curl output and access logs read as on a real mesh.

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface LocalReply {
  response: HttpResponse;
  /** Envoy response flag(s) for the access log (`NR`, `FI`, `UH`, …). */
  flags: string;
  /** `%RESPONSE_CODE_DETAILS%`. */
  details: string;
}

export type UpstreamFailure = 'connect-failure' | 'connection-termination' | 'overflow';

function localReply(status: number, body: string, flags: string, details: string): LocalReply {
  const headers: Record<string, string> = {};
  if (body !== '') {
    headers['content-length'] = String(Buffer.byteLength(body));
    headers['content-type'] = 'text/plain';
  }
  return { response: { status, headers, body }, flags, details };
}

export const envoyResponses = {
  /** No virtual host or route matched. */
  noRoute: (): LocalReply => localReply(404, '', 'NR', 'route_not_found'),
  /** The route's cluster is unknown to the proxy (e.g. a subset without a DestinationRule). */
  noCluster: (): LocalReply => localReply(503, '', 'NC', 'cluster_not_found'),
  noHealthyUpstream: (): LocalReply => localReply(503, 'no healthy upstream', 'UH', 'no_healthy_upstream'),
  faultAbort: (status: number): LocalReply => localReply(status, 'fault filter abort', 'FI', 'fault_filter_abort'),
  upstreamTimeout: (): LocalReply => localReply(504, 'upstream request timeout', 'UT', 'upstream_response_timeout'),
  rbacDenied: (policy: string | undefined): LocalReply => localReply(403, 'RBAC: access denied', 'RBAC', policy === undefined ? 'rbac_access_denied_matched_policy[none]' : `rbac_access_denied_matched_policy[${policy}]`),
  directResponse: (status: number, body: string): LocalReply => localReply(status, body, '-', 'direct_response'),
  /** Connection failures and resets before the upstream answered. */
  upstreamFailure(failure: UpstreamFailure, retried: boolean): LocalReply {
    const reason =
      failure === 'connect-failure'
        ? 'remote connection failure, transport failure reason: delayed connect error: 111'
        : failure === 'overflow'
          ? 'overflow'
          : 'connection termination';
    const body = `upstream connect error or disconnect/reset before headers. ${retried ? 'retried and the latest reset reason' : 'reset reason'}: ${reason}`;
    const flag = failure === 'connect-failure' ? 'UF' : failure === 'overflow' ? 'UO' : 'UC';
    const details =
      failure === 'connect-failure'
        ? 'upstream_reset_before_response_started{remote_connection_failure|delayed_connect_error:_111}'
        : failure === 'overflow'
          ? 'upstream_reset_before_response_started{overflow}'
          : 'upstream_reset_before_response_started{connection_termination}';
    return localReply(503, body, retried ? `${flag},URX` : flag, details);
  },
};
