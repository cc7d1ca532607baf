// The workstation's network: `curl` in the learner shell runs in the interpreter worker, but
// the sandbox network (the data plane) lives with the cluster on the main thread. Requests
// cross over as plain messages; the host always sends them from the workstation, so nothing
// typed in the shell can borrow another pod's identity.
import type { MessagePort } from "node:worker_threads";
import type { DataPlane, DataPlaneRequest, DataPlaneResult, HttpResponse } from "../istio/data-plane/create-data-plane.ts";
import type { RequestTrace } from "../istio/data-plane/request-trace.ts";
import { NetworkError, type NetworkErrorCode } from "../network/network-error.ts";

/** What curl asks for, minus where it comes from (the host decides) and its abort signal. */
export type WireHttpRequest = Omit<DataPlaneRequest, "signal" | "fromPod" | "fromWorkstation">;

export interface WireNetworkError {
  code: NetworkErrorCode;
  host: string;
  port: number;
  phase: "resolve" | "connect" | "transfer";
  elapsedMs: number;
  message: string;
  timeout?: "total" | "connect" | "system";
}

export interface WireHttpResult {
  response?: HttpResponse;
  error?: WireNetworkError;
  trace: RequestTrace;
  elapsedMs: number;
}

/** Host side: sends one request from the workstation onto the sandbox network. */
export type WorkstationNetwork = (request: WireHttpRequest, signal: AbortSignal) => Promise<WireHttpResult>;

export function toWireResult(result: DataPlaneResult): WireHttpResult {
  const wire: WireHttpResult = { trace: result.trace, elapsedMs: result.elapsedMs };
  if (result.response !== undefined) wire.response = result.response;
  const error = result.error;
  if (error !== undefined) {
    wire.error = { code: error.code, host: error.host, port: error.port, phase: error.phase, elapsedMs: error.elapsedMs, message: error.message };
    if (error.timeout !== undefined) wire.error.timeout = error.timeout;
  }
  return wire;
}

function fromWireResult(wire: WireHttpResult): DataPlaneResult {
  const result: DataPlaneResult = { trace: wire.trace, elapsedMs: wire.elapsedMs };
  if (wire.response !== undefined) result.response = wire.response;
  if (wire.error !== undefined) {
    const { code, ...details } = wire.error;
    result.error = new NetworkError(code, details);
  }
  return result;
}

/** A network with nothing on it: every name fails to resolve, as on a host without DNS. */
function unreachable(request: WireHttpRequest): DataPlaneResult {
  let host = request.url;
  try {
    host = new URL(/^[a-z]+:\/\//i.test(request.url) ? request.url : `http://${request.url}`).hostname;
  } catch {
    // curl has already rejected URLs it cannot parse.
  }
  return { trace: { hops: [] }, elapsedMs: 0, error: new NetworkError("ENOTFOUND", { host, port: 80, phase: "resolve", elapsedMs: 0 }) };
}

/**
 * Worker side: a data plane whose `send` asks the host. With `connected` false there is no
 * network at all (a shell without a cluster).
 */
export function createWorkerNetwork(port: MessagePort, connected: boolean): {
  plane: Pick<DataPlane, "send">;
  /** Feed every `http-result` message here. */
  settle(id: number, result: WireHttpResult): void;
} {
  const pending = new Map<number, (result: WireHttpResult) => void>();
  let nextId = 1;
  return {
    plane: {
      send(request) {
        const { signal, fromPod: _fromPod, fromWorkstation: _fromWorkstation, ...wire } = request;
        if (!connected) return Promise.resolve(unreachable(wire));
        if (signal?.aborted === true) return Promise.reject(signal.reason);
        const id = nextId++;
        return new Promise<DataPlaneResult>((resolve, reject) => {
          const onAbort = (): void => {
            pending.delete(id);
            port.postMessage({ type: "http-abort", id });
            reject(signal?.reason);
          };
          signal?.addEventListener("abort", onAbort, { once: true });
          pending.set(id, (result) => {
            signal?.removeEventListener("abort", onAbort);
            resolve(fromWireResult(result));
          });
          port.postMessage({ type: "http-request", id, request: wire });
        });
      },
    },
    settle(id, result) {
      const resolve = pending.get(id);
      pending.delete(id);
      resolve?.(result);
    },
  };
}
