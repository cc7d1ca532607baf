// Test support: the four Bookinfo apps wired together through a fake upstream on virtual time,
// with optional per-service faults (delay, abort, refuse) like VirtualService fault injection.

import type { AppContext, AppHandler, AppResponse, UpstreamRequest } from '../app-handler.ts';
import { AppNetworkError } from '../app-network-error.ts';
import { createFakeAppContext, fakePod, type FakeAppContext } from '../fake-app-context.ts';
import { createDetailsApp } from './details.ts';
import { createProductPageApp } from './productpage.ts';
import { createRatingsApp } from './ratings.ts';
import { createReviewsApp, type ReviewsVersion } from './reviews.ts';

export type Fault =
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'abort'; readonly status: number }
  | { readonly kind: 'refuse' }
  | { readonly kind: 'hang' };

export interface MeshOptions {
  readonly reviewsVersion?: ReviewsVersion;
  /** Faults per service, applied to every call or only to calls for which `when` holds. */
  readonly faults?: Partial<Record<'details' | 'reviews' | 'ratings', Fault | ((request: UpstreamRequest, attempt: number) => Fault | undefined)>>;
}

export interface BookinfoMesh extends FakeAppContext {
  readonly productpage: AppHandler;
  get(path: string, headers?: Record<string, string>): Promise<AppResponse>;
  /** Upstream calls made to one service, in order. */
  callsTo(service: string): UpstreamRequest[];
}

export const REVIEWS_POD = (version: ReviewsVersion): string => `reviews-${version}-6f85cb9b7c-2hf7c`;

export function createBookinfoMesh(options: MeshOptions = {}): BookinfoMesh {
  const version = options.reviewsVersion ?? 'v1';
  const apps: Record<string, { handler: AppHandler; pod: string }> = {
    details: { handler: createDetailsApp(), pod: 'details-v1-558b8b4b76-2llld' },
    reviews: { handler: createReviewsApp(version), pod: REVIEWS_POD(version) },
    ratings: { handler: createRatingsApp(), pod: 'ratings-v1-7dc98c7588-vzftc' },
  };
  const attempts = new Map<string, number>();
  let context: AppContext | undefined;
  const upstream = async (request: UpstreamRequest): Promise<AppResponse> => {
    const service = request.host.split('.')[0] ?? '';
    const target = apps[service];
    if (target === undefined || context === undefined) throw new AppNetworkError('ENOTFOUND', `no such host ${request.host}`);
    const attempt = (attempts.get(service) ?? 0) + 1;
    attempts.set(service, attempt);
    const rule = options.faults?.[service as 'details' | 'reviews' | 'ratings'];
    const fault = typeof rule === 'function' ? rule(request, attempt) : rule;
    const ctx = context;
    if (fault?.kind === 'refuse') throw new AppNetworkError('ECONNREFUSED', 'connection refused');
    if (fault?.kind === 'abort') return { status: fault.status, headers: { 'content-type': 'text/plain' }, body: 'fault filter abort' };
    if (fault?.kind === 'hang') return new Promise<AppResponse>(() => undefined);
    if (fault?.kind === 'delay') await ctx.clock.sleep(fault.ms);
    return target.handler(
      { method: request.method, path: request.path, headers: request.headers, body: request.body },
      { ...ctx, pod: fakePod({ name: target.pod, image: `docker.io/istio/examples-bookinfo-${service}-${service === 'reviews' ? version : 'v1'}:1.20.3` }) },
    );
  };
  const fake = createFakeAppContext({ pod: fakePod({ name: 'productpage-v1-6987489c74-lpkgl' }), upstream });
  context = fake.context;
  const productpage = createProductPageApp();
  return {
    ...fake,
    productpage,
    get: (path, headers = {}) => fake.settle(productpage({ method: 'GET', path, headers, body: '' }, fake.context)),
    callsTo: (service) => fake.calls.filter((call) => call.host.split('.')[0] === service),
  };
}

export function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
