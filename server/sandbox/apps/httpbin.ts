// httpbin: go-httpbin (mccutchen/go-httpbin, the image in Istio's samples) and the original
// Python httpbin (kennethreitz/httpbin, kong/httpbin). The endpoints the Istio tasks use are
// reproduced with each server's JSON shape: go-httpbin lists every header as an array of
// values (`.headers["X-Forwarded-Client-Cert"][0]`), Python httpbin as one string.

import { Buffer } from 'node:buffer';
import type { AppContext, AppHandler, AppRequest, AppResponse } from './app-handler.ts';
import { firstHeader, type HeaderMap } from './header-map.ts';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';
import { parseRequestTarget } from './request-target.ts';
import { respond } from './respond.ts';
import { werkzeugError } from './werkzeug-error.ts';

export type HttpbinFlavor = 'go' | 'python';

/** go-httpbin's default -max-duration; Python httpbin caps /delay at 10 s as well. */
export const HTTPBIN_MAX_DELAY_MS = 10_000;

const GO_JSON = 'application/json; charset=utf-8';
const GO_TEXT = 'text/plain; charset=utf-8';
const GO_HTML = 'text/html; charset=utf-8';

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

const PYTHON_TEAPOT = `
    -=[ teapot ]=-

       _...._
     .'  _ _ \`.
    | ."\` ^ \`". _,
    \\_;\`"---"\`|//
      |       ;/
      \\_     _/
        \`"""\`
`;

export function createHttpbinApp(flavor: HttpbinFlavor = 'go'): AppHandler {
  return async (request, context) => {
    const { pathname } = parseRequestTarget(request.path);
    const method = request.method.toUpperCase();
    const only = (...methods: string[]): AppResponse | undefined => (methods.includes(method) ? undefined : methodNotAllowed(flavor, methods));

    if (pathname === '/') return only('GET') ?? indexPage(flavor);
    if (pathname === '/get') return only('GET') ?? json(flavor, 200, echo(flavor, request, context));
    if (pathname === '/headers') return only('GET') ?? json(flavor, 200, { headers: requestHeaders(flavor, request) });
    if (pathname === '/ip') return only('GET') ?? json(flavor, 200, { origin: clientIp(request, context) });
    if (pathname === '/user-agent') return only('GET') ?? json(flavor, 200, { 'user-agent': firstHeader(request.headers, 'user-agent') ?? '' });
    if (pathname === '/hostname' && flavor === 'go') return only('GET') ?? json(flavor, 200, { hostname: 'go-httpbin' });
    const bodyRoute = /^\/(post|put|patch|delete)$/.exec(pathname)?.[1];
    if (bodyRoute !== undefined) return only(bodyRoute.toUpperCase()) ?? echoWithBody(flavor, request, context);
    if (pathname === '/anything' || pathname.startsWith('/anything/')) return echoWithBody(flavor, request, context);
    const status = /^\/status\/([^/]+)$/.exec(pathname)?.[1];
    if (status !== undefined) return statusResponse(flavor, decodeURIComponent(status));
    const delay = /^\/delay\/([^/]+)$/.exec(pathname)?.[1];
    if (delay !== undefined) return delayed(flavor, decodeURIComponent(delay), request, context);
    return notFound(flavor);
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function json(flavor: HttpbinFlavor, status: number, value: Json, extra: HeaderMap = {}): AppResponse {
  // go-httpbin indents with two spaces and ends with a newline, struct fields in declaration
  // order (maps are sorted where they are built); Flask's jsonify (Python httpbin) sorts all keys.
  const ordered = flavor === 'python' ? sortKeys(value) : value;
  return respond(status, flavor === 'go' ? GO_JSON : 'application/json', `${JSON.stringify(ordered, null, 2)}\n`, {
    ...cors(),
    ...extra,
  });
}

/** Key order of a Go map (or a sort_keys dump): sorted by byte value, recursively. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort(byBytes)) out[key] = sortKeys(value[key] as Json);
  return out;
}

function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cors(): HeaderMap {
  return { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' };
}

function error(flavor: HttpbinFlavor, status: number, detail?: string): AppResponse {
  if (flavor === 'python') return status === 404 ? werkzeugError(404) : werkzeugError(400);
  return json(flavor, status, { status_code: status, error: STATUS_TEXT[status] ?? 'Error', ...(detail === undefined ? {} : { detail }) });
}

function notFound(flavor: HttpbinFlavor): AppResponse {
  return error(flavor, 404);
}

function methodNotAllowed(flavor: HttpbinFlavor, methods: readonly string[]): AppResponse {
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
  if (flavor === 'python') return werkzeugError(405, { allow: [...allow.split(', '), 'OPTIONS'].join(', ') });
  // Go's ServeMux answer for a path registered with other methods.
  return respond(405, GO_TEXT, 'Method Not Allowed\n', { allow, 'x-content-type-options': 'nosniff' });
}

/** Go's textproto.CanonicalMIMEHeaderKey ("x-b3-traceid" → "X-B3-Traceid"). */
export function canonicalHeaderKey(name: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}

function requestHeaders(flavor: HttpbinFlavor, request: AppRequest): { [key: string]: Json } {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(':')) continue;
    const key = canonicalHeaderKey(name);
    const list = grouped.get(key) ?? [];
    list.push(...(typeof value === 'string' ? [value] : value));
    grouped.set(key, list);
  }
  // Go reads Host off the request line/authority, never as an ordinary header.
  const host = firstHeader(request.headers, 'host') ?? firstHeader(request.headers, ':authority');
  if (host !== undefined) grouped.set('Host', [host]);
  const out: { [key: string]: Json } = {};
  for (const key of [...grouped.keys()].sort(byBytes)) {
    const values = grouped.get(key) ?? [];
    out[key] = flavor === 'go' ? values : values.join(',');
  }
  return out;
}

/** go-httpbin's getClientIP: the first X-Forwarded-For entry, else the peer address. */
function clientIp(request: AppRequest, context: AppContext): string {
  const forwarded = firstHeader(request.headers, 'x-forwarded-for');
  if (forwarded !== undefined && forwarded !== '') return (forwarded.split(',')[0] ?? '').trim();
  const remote = context.remoteAddress ?? '127.0.0.1';
  const portAt = remote.lastIndexOf(':');
  return portAt > 0 && remote.indexOf(':') === portAt ? remote.slice(0, portAt) : remote.replace(/^\[(.*)\]:\d+$/, '$1');
}

function requestUrl(request: AppRequest): string {
  const scheme = firstHeader(request.headers, 'x-forwarded-proto') ?? 'http';
  const host = firstHeader(request.headers, 'host') ?? firstHeader(request.headers, ':authority') ?? '';
  return `${scheme}://${host}${request.path}`;
}

function args(flavor: HttpbinFlavor, query: URLSearchParams): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key of [...new Set(query.keys())].sort(byBytes)) {
    const values = query.getAll(key);
    out[key] = flavor === 'go' || values.length > 1 ? values : (values[0] ?? '');
  }
  return out;
}

function echo(flavor: HttpbinFlavor, request: AppRequest, context: AppContext): { [key: string]: Json } {
  const { query } = parseRequestTarget(request.path);
  const common: { [key: string]: Json } = {
    args: args(flavor, query),
    headers: requestHeaders(flavor, request),
    origin: clientIp(request, context),
    url: requestUrl(request),
  };
  return flavor === 'go' ? { args: common['args'] ?? {}, headers: common['headers'] ?? {}, method: request.method.toUpperCase(), origin: common['origin'] ?? '', url: common['url'] ?? '' } : common;
}

function echoWithBody(flavor: HttpbinFlavor, request: AppRequest, context: AppContext): AppResponse {
  const base = echo(flavor, request, context);
  const type = (firstHeader(request.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let data = request.body;
  let form: { [key: string]: Json } = {};
  let parsed: Json = null;
  if (request.body !== '') {
    if (type === 'application/x-www-form-urlencoded') {
      form = args(flavor, new URLSearchParams(request.body));
    } else if (type === 'application/json') {
      try {
        parsed = sortKeys(JSON.parse(request.body) as Json);
      } catch (cause) {
        return error(flavor, 400, `error parsing request body: ${cause instanceof Error ? cause.message : String(cause)}`);
      }
    } else if (type !== 'text/plain' && type !== 'text/html' && flavor === 'go') {
      data = `data:${type === '' ? 'application/octet-stream' : type};base64,${Buffer.from(request.body).toString('base64url')}`;
    }
  }
  return json(flavor, 200, { ...base, data, files: {}, form, json: parsed });
}

function statusResponse(flavor: HttpbinFlavor, raw: string): AppResponse {
  const code = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(code >= 100 && code <= 599)) {
    return error(flavor, 400, Number.isNaN(code) ? `invalid status code: "${raw}": strconv.Atoi: parsing "${raw}": invalid syntax` : `invalid status code: ${code} not in range [100, 599]`);
  }
  const type = flavor === 'go' ? GO_TEXT : 'text/html; charset=utf-8';
  if (code === 418) {
    return respond(418, type, flavor === 'go' ? "I'm a teapot!" : PYTHON_TEAPOT, { ...cors(), 'x-more-info': 'http://tools.ietf.org/html/rfc2324' });
  }
  if (code === 401) return respond(401, type, '', { ...cors(), 'www-authenticate': 'Basic realm="Fake Realm"' });
  if ([301, 302, 303, 305, 307].includes(code)) return respond(code, type, '', { ...cors(), location: '/redirect/1' });
  return respond(code, type, '', cors());
}

async function delayed(flavor: HttpbinFlavor, raw: string, request: AppRequest, context: AppContext): Promise<AppResponse> {
  const goMs = parseGoDuration(raw);
  const ms = goMs ?? (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw) ? Math.round(Number(raw) * 1000) : undefined);
  if (ms === undefined) return error(flavor, 400, `invalid duration: time: invalid duration "${raw}"`);
  if (ms < 0) return error(flavor, 400, `invalid duration: duration ${formatGoDuration(ms)} shorter than 0s`);
  // Python httpbin clamps to its maximum instead of refusing.
  if (ms > HTTPBIN_MAX_DELAY_MS && flavor === 'go') {
    return error(flavor, 400, `invalid duration: duration ${formatGoDuration(ms)} longer than ${formatGoDuration(HTTPBIN_MAX_DELAY_MS)}`);
  }
  const waitMs = Math.min(ms, HTTPBIN_MAX_DELAY_MS);
  try {
    await context.clock.sleep(waitMs, context.signal);
  } catch {
    // The client went away first: go-httpbin records 499 and writes nothing.
    return respond(499, undefined, '');
  }
  const answer = echoWithBody(flavor, request, context);
  if (flavor === 'python') return answer;
  return { ...answer, headers: { ...answer.headers, 'server-timing': `initial_delay;dur=${waitMs.toFixed(2)};desc="initial delay"` } };
}

function indexPage(flavor: HttpbinFlavor): AppResponse {
  const title = flavor === 'go' ? 'go-httpbin(1): HTTP Client Testing Service' : 'httpbin.org';
  const endpoints: readonly (readonly [string, string])[] = [
    ['/anything', 'Returns anything that is passed to request.'],
    ['/delay/:n', 'Delays responding for min(n, 10) seconds.'],
    ['/get', 'Returns GET data.'],
    ['/headers', "Returns request header dict."],
    ['/ip', "Returns origin IP."],
    ['/post', 'Returns POST data.'],
    ['/status/:code', 'Returns given HTTP Status code.'],
    ['/user-agent', "Returns user-agent."],
  ];
  const items = endpoints.map(([path, text]) => `<li><a href="${path}"><code>${path}</code></a> ${text}</li>`).join('\n');
  const body = `<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="content-type" value="text/html;charset=utf8">\n<title>${title}</title>\n</head>\n<body>\n<h1>${title}</h1>\n<h2>ENDPOINTS</h2>\n<ul>\n${items}\n</ul>\n</body>\n</html>\n`;
  const csp: HeaderMap = flavor === 'go' ? { 'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' camo.githubusercontent.com" } : {};
  return respond(200, GO_HTML, body, { ...cors(), ...csp });
}
