// reviews v1/v2/v3 (Java/Liberty, LibertyRestEndpoint.java). v1 never calls ratings; v2 and v3
// do, with black and red stars and 10 s and 2.5 s timeouts. The JSON is concatenated by hand in
// the original, so its spacing is reproduced literally.

import type { AppContext, AppHandler, AppResponse } from '../app-handler.ts';
import { callWithTimeout } from '../call-with-timeout.ts';
import { firstHeader } from '../header-map.ts';
import { parseRequestTarget } from '../request-target.ts';
import { respond } from '../respond.ts';

export type ReviewsVersion = 'v1' | 'v2' | 'v3';

/** The image's baked-in environment (Dockerfile build args), per version. */
const IMAGE_ENV: Readonly<Record<ReviewsVersion, Readonly<Record<string, string>>>> = {
  v1: { ENABLE_RATINGS: 'false' },
  v2: { ENABLE_RATINGS: 'true', STAR_COLOR: 'black' },
  v3: { ENABLE_RATINGS: 'true', STAR_COLOR: 'red' },
};

/** Headers reviews copies from its request onto the ratings call. */
const PROPAGATED_HEADERS = [
  'x-request-id',
  'x-ot-span-context',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'traceparent',
  'tracestate',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'end-user',
  'user-agent',
] as const;

export const REVIEW_TEXTS = {
  Reviewer1: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!',
  Reviewer2: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.',
} as const;

export const RATINGS_UNAVAILABLE = 'Ratings service is currently unavailable';

const JAVA_INT = /^[+-]?\d{1,10}$/;

export function createReviewsApp(version: ReviewsVersion): AppHandler {
  return async (request, context) => {
    const { pathname } = parseRequestTarget(request.path);
    const method = request.method.toUpperCase();
    const env = { ...IMAGE_ENV[version], ...context.pod.env };
    if (pathname === '/health') {
      if (method !== 'GET') return respond(405, undefined, '');
      return respond(200, 'application/json', '{"status": "Reviews is healthy"}');
    }
    const match = /^\/reviews\/([^/]+)$/.exec(pathname);
    const id = match?.[1];
    if (id === undefined || !JAVA_INT.test(id) || Math.abs(Number(id)) > 2147483647) {
      return respond(404, 'text/html;charset=ISO-8859-1', `Error 404: java.io.FileNotFoundException: SRVE0190E: File not found: ${pathname}`);
    }
    if (method !== 'GET') return respond(405, undefined, '');
    const productId = String(Number.parseInt(id, 10));
    const ratingsEnabled = (env['ENABLE_RATINGS'] ?? '').toLowerCase() === 'true';
    const starColor = env['STAR_COLOR'] ?? 'black';
    let stars: readonly [number, number] = [-1, -1];
    if (ratingsEnabled) stars = await fetchStars(productId, request.headers, starColor, env, context);
    const body = reviewsJson(productId, context.pod.env?.['HOSTNAME'] ?? context.pod.name, env['CLUSTER_NAME'], ratingsEnabled, starColor, stars);
    return respond(200, 'application/json', body);
  };
}

async function fetchStars(
  productId: string,
  incoming: AppResponse['headers'],
  starColor: string,
  env: Readonly<Record<string, string>>,
  context: AppContext,
): Promise<readonly [number, number]> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const name of PROPAGATED_HEADERS) {
    const value = firstHeader(incoming, name);
    if (value !== undefined) headers[name] = value;
  }
  const domain = env['SERVICES_DOMAIN'] === undefined ? '' : `.${env['SERVICES_DOMAIN']}`;
  const host = `${env['RATINGS_HOSTNAME'] ?? 'ratings'}${domain}`;
  headers['host'] = `${host}:9080`;
  // The original hard-codes its client timeout from the star colour, not the version.
  const timeoutMs = starColor === 'black' ? 10_000 : 2_500;
  try {
    const response = await callWithTimeout(
      context,
      { host, port: 9080, method: 'GET', path: `/ratings/${productId}`, headers, body: '' },
      timeoutMs,
    );
    if (response.status !== 200) return [-1, -1];
    const parsed: unknown = JSON.parse(response.body);
    const ratings = typeof parsed === 'object' && parsed !== null ? (parsed as { ratings?: unknown }).ratings : undefined;
    if (typeof ratings !== 'object' || ratings === null) return [-1, -1];
    const table = ratings as Record<string, unknown>;
    return [starCount(table['Reviewer1']), starCount(table['Reviewer2'])];
  } catch {
    return [-1, -1];
  }
}

function starCount(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : -1;
}

function reviewsJson(
  productId: string,
  podName: string,
  clusterName: string | undefined,
  ratingsEnabled: boolean,
  starColor: string,
  stars: readonly [number, number],
): string {
  const rating = (count: number): string => {
    if (!ratingsEnabled) return '';
    if (count !== -1) return `, "rating": {"stars": ${count}, "color": "${starColor}"}`;
    return `, "rating": {"error": "${RATINGS_UNAVAILABLE}"}`;
  };
  // Java string concatenation prints an unset CLUSTER_NAME as "null"; productpage relies on it.
  return (
    `{"id": "${productId}","podname": "${podName}","clustername": "${clusterName ?? 'null'}","reviews": [` +
    `{  "reviewer": "Reviewer1",  "text": "${REVIEW_TEXTS.Reviewer1}"${rating(stars[0])}},` +
    `{  "reviewer": "Reviewer2",  "text": "${REVIEW_TEXTS.Reviewer2}"${rating(stars[1])}}` +
    ']}'
  );
}
