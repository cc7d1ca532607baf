// helloworld v1/v2 (Python/Flask under gunicorn, samples/helloworld/src/app.py).

import type { AppHandler } from './app-handler.ts';
import { parseRequestTarget } from './request-target.ts';
import { respond } from './respond.ts';
import { werkzeugError } from './werkzeug-error.ts';

const HTML = 'text/html; charset=utf-8';

/** `version` is the image's SERVICE_VERSION (examples-helloworld-v1 → "v1"). */
export function createHelloworldApp(version: string): AppHandler {
  return async (request, context) => {
    const { pathname } = parseRequestTarget(request.path);
    const method = request.method.toUpperCase();
    if (pathname !== '/hello' && pathname !== '/health') return werkzeugError(404);
    if (method === 'OPTIONS') return respond(200, HTML, '', { allow: 'GET, HEAD, OPTIONS' });
    if (method !== 'GET') return werkzeugError(405, { allow: 'GET, HEAD, OPTIONS' });
    if (pathname === '/health') return respond(200, HTML, 'Helloworld is healthy');
    const env = context.pod.env ?? {};
    const serviceVersion = env['SERVICE_VERSION'] ?? version;
    // HOSTNAME is the pod name in Kubernetes.
    const instance = env['HOSTNAME'] ?? context.pod.name;
    return respond(200, HTML, `Hello version: ${serviceVersion}, instance: ${instance}\n`);
  };
}
