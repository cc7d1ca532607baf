// The story of one request, hop by hop: which listener, virtual host, route and cluster a
// proxy chose, which fault, retry, timeout or policy acted, and how long each hop took. Calls
// the apps make while serving it are recorded in the same trace one level deeper.

export type TraceHopKind = 'dns' | 'connect' | 'sidecar-outbound' | 'gateway' | 'sidecar-inbound' | 'app';

export interface TraceHop {
  /** 0 for the caller's request, 1 for calls the first app made, and so on. */
  depth: number;
  kind: TraceHopKind;
  /** Proxy id (`<pod>.<namespace>`), pod, or `client`. */
  at: string;
  startMs: number;
  endMs?: number;
  status?: number;
  flags?: string;
  listener?: string;
  virtualHost?: string;
  route?: string;
  /** The object the route came from (`VirtualService reviews.default`). */
  routeSource?: string;
  cluster?: string;
  subset?: string;
  endpoint?: string;
  mtls?: boolean;
  fault?: string;
  attempts?: number;
  /** Each upstream try: `10.244.0.12:9080 mTLS → 503`. */
  tries?: string[];
  timedOut?: boolean;
  authorization?: string;
  /** Free text: what happened here, in words a learner can follow. */
  note?: string;
}

export interface RequestTrace {
  requestId?: string;
  hops: TraceHop[];
}

export interface TraceRecorder {
  readonly trace: RequestTrace;
  begin(hop: Omit<TraceHop, 'startMs'>): TraceHop;
}

export function createTraceRecorder(now: () => number): TraceRecorder {
  const trace: RequestTrace = { hops: [] };
  return {
    trace,
    begin(hop) {
      const full: TraceHop = { ...hop, startMs: now() };
      trace.hops.push(full);
      return full;
    },
  };
}
