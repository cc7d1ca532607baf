// What a destination sidecar (or gateway) decides before a request reaches the app: the
// port's PeerAuthentication mode (STRICT resets plaintext connections, which the client sees as
// curl exit 56), then AuthorizationPolicy through the mesh model's evaluateAuthorization, with
// the client's principal only when the connection is mTLS.
import { evaluateAuthorization, type AuthorizationDecision } from '../mesh-model/evaluate-authorization.ts';
import type { MtlsMode, ProxyConfig } from '../mesh-model/proxy-config.ts';

export interface InboundConnection {
  mtls: boolean;
  /** The client's SPIFFE identity when it spoke mTLS. */
  clientIdentity?: string;
  sourceIp: string;
}

export interface InboundRequest {
  method: string;
  path: string;
  host: string;
  /** Pod port the request arrived on. */
  port: number;
  headers: Readonly<Record<string, string>>;
}

export type InboundVerdict =
  | { kind: 'reset'; mode: MtlsMode }
  | { kind: 'denied'; mode: MtlsMode; decision: AuthorizationDecision }
  | { kind: 'allowed'; mode: MtlsMode; decision: AuthorizationDecision };

/** The mTLS mode a sidecar enforces on one pod port (port-level PeerAuthentication wins). */
export function inboundMtlsMode(config: ProxyConfig, port: number): MtlsMode {
  for (const listener of config.listeners) for (const inbound of listener.inbound ?? []) if (inbound.port === port) return inbound.mtls.mode;
  return config.mtls.mode;
}

function principalOf(identity: string | undefined): { principal?: string; namespace?: string } {
  if (identity === undefined) return {};
  const principal = identity.replace(/^spiffe:\/\//, '');
  const ns = /\/ns\/([^/]+)\//.exec(principal)?.[1];
  return ns === undefined ? { principal } : { principal, namespace: ns };
}

export function checkInbound(config: ProxyConfig, connection: InboundConnection, request: InboundRequest, options: { enforceMtls: boolean }): InboundVerdict {
  const mode = options.enforceMtls ? inboundMtlsMode(config, request.port) : 'PERMISSIVE';
  if (mode === 'STRICT' && !connection.mtls) return { kind: 'reset', mode };
  const source = { ...principalOf(connection.mtls ? connection.clientIdentity : undefined), ip: connection.sourceIp };
  const decision = evaluateAuthorization(config.authorization, { method: request.method, path: request.path, host: request.host, port: request.port, headers: request.headers, source });
  return decision.allowed ? { kind: 'allowed', mode, decision } : { kind: 'denied', mode, decision };
}
