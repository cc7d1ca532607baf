import { Buffer } from 'node:buffer';
import type { AppHandler, AppResponse } from './app-handler.ts';

/**
 * What every HTTP server adds around the app's own answer: `date` and `content-length`
 * headers, no body for HEAD, and one access-log entry per request.
 */
export interface ServedAppOptions {
  /**
   * The order the server writes headers in, which a proxy keeps: `go` is net/http's, the
   * handler's headers sorted by name, then the Date and Content-Length it adds itself.
   */
  headerOrder?: 'go';
}

export function servedApp(handler: AppHandler, options: ServedAppOptions = {}): AppHandler {
  return async (request, context) => {
    const started = context.clock.now();
    const method = request.method.toUpperCase();
    // Servers answer HEAD as GET without the body; the app only ever sees GET.
    const response = await handler(method === 'HEAD' ? { ...request, method: 'GET' } : request, context);
    const headers: Record<string, string | readonly string[]> =
      options.headerOrder === 'go' ? Object.fromEntries(Object.entries(response.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : { ...response.headers };
    if (headers['date'] === undefined) headers['date'] = new Date(context.clock.now()).toUTCString();
    if (headers['content-length'] === undefined && !noBodyStatus(response.status)) {
      headers['content-length'] = String(Buffer.byteLength(response.body));
    }
    const finished: AppResponse = { status: response.status, headers, body: method === 'HEAD' ? '' : response.body };
    context.accessLog?.({
      method,
      path: request.path,
      status: finished.status,
      bytes: Buffer.byteLength(finished.body),
      durationMs: context.clock.now() - started,
    });
    return finished;
  };
}

function noBodyStatus(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}
