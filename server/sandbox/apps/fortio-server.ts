// `fortio server`, what the fortio/fortio image runs by default, on its HTTP port 8080: the
// echo handler (any path; `?status=` picks the answer's code, `?delay=` waits on the clock)
// and `/debug`, which prints the request back as text.
import { parseGoDuration } from './go-duration.ts';
import type { AppHandler } from './app-handler.ts';
import { FORTIO_VERSION } from './fortio-command.ts';
import { parseRequestTarget } from './request-target.ts';
import { respond } from './respond.ts';

/** Fortio caps `?delay=` at 1.5 s unless started with a larger -maxdelay. */
const MAX_DELAY_MS = 1500;

export function createFortioServerApp(): AppHandler {
  return async (request, context) => {
    const { pathname, query } = parseRequestTarget(request.path);
    if (pathname === '/debug') {
      const lines = [`Φορτίο version ${FORTIO_VERSION} echo debug server on ${context.pod.name} - request from ${context.remoteAddress ?? ''}`, '', `${request.method} ${request.path} HTTP/1.1`, '', 'headers:', ''];
      for (const [name, value] of Object.entries(request.headers)) lines.push(`${name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())}: ${typeof value === 'string' ? value : value.join(', ')}`);
      lines.push('', 'body:', '', request.body);
      return respond(200, 'text/plain; charset=UTF-8', `${lines.join('\n')}\n`);
    }
    const delay = query.get('delay');
    const delayMs = delay === null ? 0 : Math.min(MAX_DELAY_MS, parseGoDuration(delay) ?? 0);
    if (delayMs > 0) await context.clock.sleep(delayMs, context.signal);
    const status = Number(query.get('status') ?? '200');
    const code = Number.isInteger(status) && status >= 100 && status <= 999 ? status : 400;
    const contentType = request.headers['content-type'];
    return respond(code, typeof contentType === 'string' ? contentType : request.body === '' ? undefined : 'application/octet-stream', request.body);
  };
}
