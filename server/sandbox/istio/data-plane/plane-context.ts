// What every hop of the data plane shares: the snapshot in force for the request (World), who
// is sending (Source), the connection a pod receives, the plane's services (clock, rng,
// endpoint picker, apps, access logs, edge metrics) and the hops themselves, wired together by
// createDataPlane so that each hop lives in its own module.
import type { AppAccessLogEntry, AppClock, AppResponse } from '../../apps/app-handler.ts';
import type { Clock } from '../../core/clock.ts';
import type { JsonObject } from '../../core/json-object.ts';
import type { Rng } from '../../core/rng.ts';
import type { ClusterNetwork, NetworkPod } from '../../network/cluster-network.ts';
import type { EndpointPicker } from '../../network/endpoint-picker.ts';
import type { MeshModel } from '../mesh-model/build-mesh-model.ts';
import type { ProxyConfig } from '../mesh-model/proxy-config.ts';
import type { AccessLogEntry } from './access-log.ts';
import type { ClusterCircuits } from './cluster-circuits.ts';
import type { callApp } from './app-call.ts';
import type { clientRequest, connectFrom } from './client-request.ts';
import type { deliverToPod } from './deliver-to-pod.ts';
import type { directConnect } from './direct-connect.ts';
import type { Headers } from './envoy-headers.ts';
import type { HttpResponse, LocalReply } from './envoy-responses.ts';
import type { IstioRequestMetrics } from './istio-request-metrics.ts';
import type { gatewayInbound } from './gateway-inbound.ts';
import type { MeshSettings } from './mesh-settings.ts';
import type { PodApps } from './pod-apps.ts';
import type { proxyRoute, routerDeps } from './proxy-route.ts';
import type { sidecarInbound } from './sidecar-inbound.ts';
import type { sidecarOutbound } from './sidecar-outbound.ts';

/** One consistent view of the cluster for a request, from start to end. */
export interface World {
  objects: readonly JsonObject[];
  model: MeshModel;
  network: ClusterNetwork;
  settings: MeshSettings;
}

export interface Source {
  pod?: NetworkPod;
  namespace?: string;
  ip: string;
}

export interface Connection {
  mtls: boolean;
  clientIdentity?: string;
  sourceIp: string;
  sourcePort: number;
  /** The address the client dialled (for access logs' downstream local address). */
  dialled: string;
  /** SNI the client proxy sent on mTLS connections. */
  sni?: string;
  /** The client itself speaks TLS (an `https://` URL), as toward a gateway's HTTPS server. */
  clientTls?: boolean;
}

/** A hop function without its leading context parameter. */
type Hop<F> = F extends (ctx: PlaneContext, ...args: infer A) => infer R ? (...args: A) => R : never;

export interface PlaneContext {
  clock: Clock;
  appClock: AppClock;
  rng: Rng;
  picker: EndpointPicker;
  podApps: PodApps;
  appLogs: Map<string, AppAccessLogEntry[]>;
  /** Connection pools and outlier detectors per proxy and upstream cluster. */
  circuits: ClusterCircuits;
  ephemeralPort(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  proxyOf(w: World, pod: NetworkPod): ProxyConfig | undefined;
  /** Appends to the pod's istio-proxy log when the mesh config asks for access logs. */
  log(w: World, pod: NetworkPod, entry: AccessLogEntry): void;
  /** `server: istio-envoy`, `x-envoy-upstream-service-time` and a date on an answer through a proxy. */
  withEnvoyServer(response: HttpResponse, serviceTimeMs: number | undefined): HttpResponse;
  localReply(reply: LocalReply): HttpResponse;
  recordEdge(source: Source, destination: NetworkPod | undefined, service: string, status: number, mtls: boolean, flags: string, latencyMs: number): void;
  /** One connection through a TCP proxy on the mesh graph's edge: bytes the client sent (received) and the server answered (sent). */
  recordTcpEdge(source: Source, destination: NetworkPod | undefined, service: string, mtls: boolean, flags: string, bytes: { received: number; sent: number }): void;
  /** Istio's standard request metrics, kept per proxy (`pilot-agent request GET stats/prometheus`). */
  requestMetrics: IstioRequestMetrics;
  callApp: Hop<typeof callApp>;
  deliverToPod: Hop<typeof deliverToPod>;
  sidecarInbound: Hop<typeof sidecarInbound>;
  gatewayInbound: Hop<typeof gatewayInbound>;
  routerDeps: Hop<typeof routerDeps>;
  proxyRoute: Hop<typeof proxyRoute>;
  sidecarOutbound: Hop<typeof sidecarOutbound>;
  directConnect: Hop<typeof directConnect>;
  clientRequest: Hop<typeof clientRequest>;
  connectFrom: Hop<typeof connectFrom>;
}

/** Loopback address the sidecar uses toward the app (Istio's inbound passthrough source). */
export const INBOUND_PASSTHROUGH_IP = '127.0.0.6';
/** Linux gives up on an unanswered SYN after about 130 s (tcp_syn_retries = 6). */
export const KERNEL_CONNECT_TIMEOUT_MS = 130_000;

export function toHeaders(headers: AppResponse['headers']): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  return out;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
