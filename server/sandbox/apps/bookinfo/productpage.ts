// productpage-v1 (Python/Flask, productpage.py): renders the book page from details and
// reviews, keeps the signed-in user in a signed session cookie, and forwards `end-user`, the
// tracing headers, user-agent, cookie, authorization and jwt on its outbound calls.
//
// Its client behaviour is what the fault-injection task teaches: details and ratings get one
// try with a 3 s timeout; reviews gets two tries of 3 s each (the "bug introduced explicitly"
// in the original), so a 7 s delay behind reviews shows the error after about 6 s. The page
// itself is always HTTP 200; failures are rendered into it.

import type { AppContext, AppHandler, AppRequest, AppResponse } from '../app-handler.ts';
import { callWithTimeout } from '../call-with-timeout.ts';
import { firstHeader, headerValues } from '../header-map.ts';
import { htmlEscape } from '../html-escape.ts';
import { parseRequestTarget } from '../request-target.ts';
import { respond } from '../respond.ts';
import { werkzeugError } from '../werkzeug-error.ts';
import { createFlaskSessionCodec, type SessionData } from './flask-session.ts';
import { renderLandingPage } from './landing-page-html.ts';
import { renderProductPage, type Product } from './product-page-html.ts';
import { pythonJsonDumps } from './python-json.ts';

export const PRODUCTS: readonly Product[] = [
  {
    id: 0,
    title: 'The Comedy of Errors',
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];

export const DETAILS_UNAVAILABLE = 'Sorry, product details are currently unavailable for this book.';
export const REVIEWS_UNAVAILABLE = 'Sorry, product reviews are currently unavailable for this book.';
export const RATINGS_UNAVAILABLE_FOR_BOOK = 'Sorry, product ratings are currently unavailable for this book.';

/** The `requests` timeout productpage passes on every call (seconds 3.0). */
export const PRODUCTPAGE_TIMEOUT_MS = 3_000;
/** Attempts productpage makes at reviews before giving up. */
export const REVIEWS_ATTEMPTS = 2;

/** Incoming headers productpage copies onto its calls to details, reviews and ratings. */
const FORWARDED_HEADERS = [
  'x-request-id',
  'x-ot-span-context',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'traceparent',
  'tracestate',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'sw8',
  'user-agent',
  'cookie',
  'authorization',
  'jwt',
] as const;

/**
 * B3 headers: the original re-injects them from an OpenTracing span that, with
 * one_span_per_rpc, keeps the incoming ids; forwarding them verbatim gives the same values.
 */
const B3_HEADERS = ['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags'] as const;

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json';
const COOKIE_NAME = 'session';

interface Fetched {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export function createProductPageApp(): AppHandler {
  const sessions = createFlaskSessionCodec();

  return async (request, context) => {
    const { pathname } = parseRequestTarget(request.path);
    const method = request.method.toUpperCase();
    const route = (allowed: readonly string[]): AppResponse | undefined => {
      if (method === 'OPTIONS') return respond(200, HTML, '', { allow: [...allowed, 'HEAD', 'OPTIONS'].join(', ') });
      if (!allowed.includes(method)) return werkzeugError(405, { allow: [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ') });
      return undefined;
    };
    const hosts = serviceHosts(context);
    const session = (): SessionData => readSession(request, context, sessions);

    if (pathname === '/' || pathname === '/index.html') {
      return route(['GET']) ?? respond(200, HTML, renderLandingPage(hosts));
    }
    if (pathname === '/health') return route(['GET']) ?? respond(200, HTML, 'Product page is healthy');
    if (pathname === '/login') {
      const refused = route(['POST']);
      if (refused !== undefined) return refused;
      const user = formValue(request, 'username');
      const data = { ...session(), user: user ?? null };
      return redirectBack(request, setSessionCookie(sessions.encode(data, context.clock.now())));
    }
    if (pathname === '/logout') {
      const refused = route(['GET']);
      if (refused !== undefined) return refused;
      const data = session();
      delete data['user'];
      const cookie = Object.keys(data).length === 0 ? deleteSessionCookie() : setSessionCookie(sessions.encode(data, context.clock.now()));
      return redirectBack(request, cookie);
    }
    if (pathname === '/productpage') {
      const refused = route(['GET']);
      if (refused !== undefined) return refused;
      const data = session();
      const headers = forwardHeaders(request, data);
      const details = await fetchDetails('0', headers, hosts, context);
      const reviews = await fetchReviews('0', headers, hosts, context);
      const user = typeof data['user'] === 'string' ? data['user'] : '';
      const product = PRODUCTS[0] as Product;
      const html = renderProductPage({
        product,
        user,
        detailsStatus: details.status,
        details: details.body,
        reviewsStatus: reviews.status,
        reviews: reviews.body,
      });
      return respond(200, HTML, html, { vary: 'Cookie' });
    }
    if (pathname === '/api/v1/products') return route(['GET']) ?? respond(200, JSON_TYPE, pythonJsonDumps(PRODUCTS));
    const api = /^\/api\/v1\/products\/([^/]+)(?:\/(reviews|ratings))?$/.exec(pathname);
    if (api !== null) {
      const refused = route(['GET']);
      if (refused !== undefined) return refused;
      const productId = decodeURIComponent(api[1] ?? '');
      const headers = forwardHeaders(request, session());
      const fetched =
        api[2] === 'reviews'
          ? await fetchReviews(productId, headers, hosts, context)
          : api[2] === 'ratings'
            ? await fetchOnce('ratings', productId, headers, hosts, context, RATINGS_UNAVAILABLE_FOR_BOOK)
            : await fetchDetails(productId, headers, hosts, context);
      return respond(fetched.status, JSON_TYPE, pythonJsonDumps(fetched.body), { vary: 'Cookie' });
    }
    return werkzeugError(404);
  };
}

interface Hosts {
  readonly details: string;
  readonly reviews: string;
  readonly ratings: string;
}

function serviceHosts(context: AppContext): Hosts {
  const env = context.pod.env ?? {};
  const domain = env['SERVICES_DOMAIN'] === undefined ? '' : `.${env['SERVICES_DOMAIN']}`;
  return {
    details: `${env['DETAILS_HOSTNAME'] ?? 'details'}${domain}`,
    reviews: `${env['REVIEWS_HOSTNAME'] ?? 'reviews'}${domain}`,
    ratings: `${env['RATINGS_HOSTNAME'] ?? 'ratings'}${domain}`,
  };
}

function readSession(request: AppRequest, context: AppContext, sessions: ReturnType<typeof createFlaskSessionCodec>): SessionData {
  for (const header of headerValues(request.headers, 'cookie')) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1 || pair.slice(0, eq).trim() !== COOKIE_NAME) continue;
      const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
      const decoded = sessions.decode(value, context.clock.now());
      if (decoded !== undefined) return { ...decoded };
    }
  }
  return {};
}

/** Flask's `request.values`: the query string first, then an urlencoded form body. */
function formValue(request: AppRequest, name: string): string | undefined {
  const fromQuery = parseRequestTarget(request.path).query.get(name);
  if (fromQuery !== null) return fromQuery;
  const type = (firstHeader(request.headers, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(request.body).get(name) ?? undefined;
}

function setSessionCookie(value: string): string {
  return `${COOKIE_NAME}=${value}; HttpOnly; Path=/`;
}

function deleteSessionCookie(): string {
  return `${COOKIE_NAME}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/`;
}

/**
 * `redirect(request.referrer)`. Without a Referer, Werkzeug 3 (Flask 3.1, what the image
 * ships) escapes `None` to the text "None" and sets `Location: None`: still a 302 that
 * carries the session cookie, which is how the docs' own test scripts log in with curl.
 */
function redirectBack(request: AppRequest, cookie: string): AppResponse {
  const referrer = firstHeader(request.headers, 'referer') ?? 'None';
  const target = htmlEscape(referrer);
  const body = `<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href="${target}">${target}</a>. If not, click the link.\n`;
  return respond(302, HTML, body, { location: referrer, vary: 'Cookie', 'set-cookie': cookie });
}

function forwardHeaders(request: AppRequest, session: SessionData): Record<string, string> {
  // What python-requests sends on its own; forwarded values replace them.
  const headers: Record<string, string> = {
    'user-agent': 'python-requests/2.31.0',
    'accept-encoding': 'gzip, deflate',
    accept: '*/*',
  };
  for (const name of B3_HEADERS) {
    const value = firstHeader(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  // requests drops headers whose value is None, so a null user sends no end-user.
  const user = session['user'];
  if (user !== undefined && user !== null) headers['end-user'] = String(user);
  for (const name of FORWARDED_HEADERS) {
    const value = firstHeader(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

async function attempt(
  service: keyof Hosts,
  productId: string,
  headers: Record<string, string>,
  hosts: Hosts,
  context: AppContext,
): Promise<AppResponse | undefined> {
  const host = hosts[service];
  try {
    return await callWithTimeout(
      context,
      { host, port: 9080, method: 'GET', path: `/${service}/${productId}`, headers: { ...headers, host: `${host}:9080` }, body: '' },
      PRODUCTPAGE_TIMEOUT_MS,
    );
  } catch {
    // Connection errors and timeouts alike: `except BaseException: res = None`.
    return undefined;
  }
}

function parsed(response: AppResponse): Readonly<Record<string, unknown>> | undefined {
  try {
    const value: unknown = JSON.parse(response.body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A failed call's status: the answer's own, or 500 when none came. */
function failed(response: AppResponse | undefined, error: string): Fetched {
  return { status: response === undefined ? 500 : response.status, body: { error } };
}

async function fetchOnce(
  service: keyof Hosts,
  productId: string,
  headers: Record<string, string>,
  hosts: Hosts,
  context: AppContext,
  error: string,
): Promise<Fetched> {
  const response = await attempt(service, productId, headers, hosts, context);
  const body = response?.status === 200 ? parsed(response) : undefined;
  // `res.json()` on a 200 that is not JSON raises in the original (500 page); treat as failure.
  return body !== undefined ? { status: 200, body } : failed(response, error);
}

function fetchDetails(productId: string, headers: Record<string, string>, hosts: Hosts, context: AppContext): Promise<Fetched> {
  return fetchOnce('details', productId, headers, hosts, context, DETAILS_UNAVAILABLE);
}

async function fetchReviews(productId: string, headers: Record<string, string>, hosts: Hosts, context: AppContext): Promise<Fetched> {
  let response: AppResponse | undefined;
  for (let tries = 0; tries < REVIEWS_ATTEMPTS; tries++) {
    response = await attempt('reviews', productId, headers, hosts, context);
    const body = response?.status === 200 ? parsed(response) : undefined;
    if (body !== undefined) return { status: 200, body };
  }
  return failed(response, REVIEWS_UNAVAILABLE);
}
