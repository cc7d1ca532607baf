// Images that serve HTTP but have no behaviour of their own in the sandbox: nginx answers
// with its stock welcome page, httpd with Apache's "It works!", anything else with a plain
// default page naming the image.

import type { AppHandler, AppResponse } from './app-handler.ts';
import { htmlEscape } from './html-escape.ts';
import { parseRequestTarget } from './request-target.ts';
import { respond } from './respond.ts';

export type WebServerFlavor = 'nginx' | 'httpd' | 'plain';

export const NGINX_WELCOME_PAGE = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const HTTPD_DEFAULT_PAGE = '<html><body><h1>It works!</h1></body></html>\n';

/**
 * `version` is the image tag when it names a release (nginx:1.27.0), shown in nginx's
 * `server` header and error pages.
 */
export function createWebServerApp(flavor: WebServerFlavor, image: string, version?: string): AppHandler {
  const server = flavor === 'nginx' ? (version === undefined ? 'nginx' : `nginx/${version}`) : flavor === 'httpd' ? 'Apache' : undefined;
  const page = flavor === 'nginx' ? NGINX_WELCOME_PAGE : flavor === 'httpd' ? HTTPD_DEFAULT_PAGE : plainPage(image);
  const withServer = (response: AppResponse): AppResponse =>
    server === undefined ? response : { ...response, headers: { server, ...response.headers } };

  return async (request) => {
    const { pathname } = parseRequestTarget(request.path);
    const method = request.method.toUpperCase();
    const isIndex = pathname === '/' || pathname === '/index.html';
    if (!isIndex) return withServer(errorPage(flavor, server, 404, 'Not Found', pathname));
    if (method !== 'GET') return withServer(errorPage(flavor, server, 405, flavor === 'nginx' ? 'Not Allowed' : 'Method Not Allowed', pathname));
    return withServer(respond(200, flavor === 'plain' ? 'text/html; charset=utf-8' : 'text/html', page, flavor === 'plain' ? {} : { 'accept-ranges': 'bytes' }));
  };
}

function plainPage(image: string): string {
  const name = htmlEscape(image);
  return `<!DOCTYPE html>\n<html>\n<head><title>${name}</title></head>\n<body>\n<h1>${name}</h1>\n<p>This container answers HTTP with a default page.</p>\n</body>\n</html>\n`;
}

function errorPage(flavor: WebServerFlavor, server: string | undefined, status: number, reason: string, pathname: string): AppResponse {
  if (flavor === 'nginx') {
    return respond(status, 'text/html', `<html>\n<head><title>${status} ${reason}</title></head>\n<body>\n<center><h1>${status} ${reason}</h1></center>\n<hr><center>${server ?? 'nginx'}</center>\n</body>\n</html>\n`);
  }
  if (flavor === 'httpd') {
    const detail = status === 404 ? 'The requested URL was not found on this server.' : `The requested method is not allowed for the URL ${htmlEscape(pathname)}.`;
    return respond(status, 'text/html; charset=iso-8859-1', `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${reason}</title>\n</head><body>\n<h1>${reason}</h1>\n<p>${detail}</p>\n</body></html>\n`);
  }
  return respond(status, 'text/plain; charset=utf-8', `${status} ${reason}\n`);
}
