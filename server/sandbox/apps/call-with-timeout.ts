import type { AppContext, AppResponse, UpstreamRequest } from './app-handler.ts';
import { AppNetworkError } from './app-network-error.ts';

/**
 * Calls another service the way an HTTP client library with a timeout does: the answer if it
 * comes within `timeoutMs` of clock time, else an ETIMEDOUT AppNetworkError. On timeout the
 * call's signal is aborted so the data plane can drop the abandoned request.
 */
export function callWithTimeout(context: AppContext, request: UpstreamRequest, timeoutMs: number): Promise<AppResponse> {
  return new Promise<AppResponse>((resolve, reject) => {
    const call = new AbortController();
    const timer = new AbortController();
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      timer.abort();
      finish();
    };
    context.clock.sleep(timeoutMs, timer.signal).then(
      () =>
        settle(() => {
          call.abort();
          reject(new AppNetworkError('ETIMEDOUT', `timed out after ${timeoutMs} ms calling ${request.host}:${request.port}${request.path}`));
        }),
      () => undefined,
    );
    let pending: Promise<AppResponse>;
    try {
      pending = context.upstream({ ...request, timeoutMs, signal: call.signal });
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (response) => settle(() => resolve(response)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
