// The seam between the simulated data plane and workload behaviour. A handler is a pure
// function of the request and an injected context: no sockets, no wall clock, no globals, so
// the same request on the same virtual time always gets the same answer.

import type { HeaderMap } from './header-map.ts';

export interface AppRequest {
  readonly method: string;
  /** Path with its query string, as on the request line (`/productpage?u=normal`). */
  readonly path: string;
  /** Lower-case header names; a repeated header is an array of values. */
  readonly headers: HeaderMap;
  readonly body: string;
}

export interface AppResponse {
  readonly status: number;
  /** Lower-case header names, as Envoy and HTTP/2 present them. */
  readonly headers: HeaderMap;
  readonly body: string;
}

export interface AppPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The container image the app was chosen by. */
  readonly image: string;
  readonly serviceAccount: string;
  /** The pod IP, when the data plane knows it. */
  readonly ip?: string;
  /** Container environment (`spec.containers[].env` values); overrides the image defaults. */
  readonly env?: Readonly<Record<string, string>>;
}

/** An outbound call the app makes to another service (`http://<host>:<port><path>`). */
export interface UpstreamRequest {
  readonly host: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: HeaderMap;
  readonly body: string;
  /** The client-side timeout the app itself applies; informational for the data plane. */
  readonly timeoutMs?: number;
  /** Aborted when the app gives up on the call (its own timeout fired). */
  readonly signal?: AbortSignal;
}

/**
 * Supplied by the data plane. Resolves with whatever answer came back (including 5xx from a
 * proxy), or rejects with a network-style error (see AppNetworkError) when no HTTP answer came.
 */
export type Upstream = (request: UpstreamRequest) => Promise<AppResponse>;

export interface AppClock {
  /** Milliseconds since the Unix epoch (virtual in tests). */
  now(): number;
  /** Resolves after `ms` of clock time; rejects with an AbortError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface AppAccessLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly bytes: number;
  readonly durationMs: number;
}

export interface AppContext {
  readonly pod: AppPod;
  readonly upstream: Upstream;
  readonly clock: AppClock;
  /** Address the connection came from, as the app sees it (`127.0.0.6` behind a sidecar). */
  readonly remoteAddress?: string;
  /** Aborted when the caller stops waiting (client gone, proxy timeout). */
  readonly signal?: AbortSignal;
  /** Receives one entry per request the app served, like the container's own access log. */
  readonly accessLog?: (entry: AppAccessLogEntry) => void;
}

export type AppHandler = (request: AppRequest, context: AppContext) => Promise<AppResponse>;
