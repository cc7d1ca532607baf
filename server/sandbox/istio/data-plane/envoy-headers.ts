// Headers Envoy adds on the way through: `x-request-id` (a UUID when absent), Zipkin B3 trace
// headers (Istio's default tracer propagates them; an existing trace is continued with a new
// span), `x-forwarded-proto`, `x-envoy-attempt-count` per upstream try, and on mTLS inbound hops
// `x-forwarded-client-cert` naming the server (By) and the client (URI) SPIFFE identities.
import { createHash } from 'node:crypto';
import type { Rng } from '../../core/rng.ts';

export type Headers = Record<string, string>;

/** Request headers as the first proxy on the path decorates them. */
export function withTraceHeaders(headers: Headers, rng: Rng): Headers {
  const out: Headers = { ...headers };
  out['x-request-id'] ??= rng.uid();
  out['x-forwarded-proto'] ??= 'http';
  const parentSpan = out['x-b3-spanid'];
  out['x-b3-traceid'] ??= rng.hex(32);
  out['x-b3-spanid'] = rng.hex(16);
  if (parentSpan !== undefined) out['x-b3-parentspanid'] = parentSpan;
  else delete out['x-b3-parentspanid'];
  out['x-b3-sampled'] ??= '1';
  return out;
}

/** `By=<server>;Hash=<client cert hash>;Subject="";URI=<client>`, as Envoy sets it on mTLS inbound requests. */
export function forwardedClientCert(serverIdentity: string, clientIdentity: string): string {
  const hash = createHash('sha256').update(`cert:${clientIdentity}`).digest('hex');
  return `By=${serverIdentity};Hash=${hash};Subject="";URI=${clientIdentity}`;
}

/** Applies a route's header operations (set, add, remove) to a header map. */
export function applyHeaderMutation(headers: Headers, mutation: { set: Record<string, string>; add: Record<string, string>; remove: string[] }): Headers {
  const out: Headers = { ...headers };
  for (const [name, value] of Object.entries(mutation.set)) out[name.toLowerCase()] = value;
  for (const [name, value] of Object.entries(mutation.add)) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]},${value}`;
  }
  for (const name of mutation.remove) delete out[name.toLowerCase()];
  return out;
}
