import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppResponse } from '../app-handler.ts';
import { AppNetworkError } from '../app-network-error.ts';
import { createFakeAppContext, fakePod } from '../fake-app-context.ts';
import { createReviewsApp } from './reviews.ts';

const POD = fakePod({ name: 'reviews-v1-7f99cc4496-gdxfn' });
const RATINGS_OK: AppResponse = { status: 200, headers: {}, body: '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}' };

test('v1 answers the literal JSON of the Java service and never calls ratings', async () => {
  const fake = createFakeAppContext({ pod: POD });
  const response = await fake.settle(createReviewsApp('v1')({ method: 'GET', path: '/reviews/0', headers: {}, body: '' }, fake.context));
  assert.equal(response.status, 200);
  assert.equal(response.headers['content-type'], 'application/json');
  assert.equal(
    response.body,
    '{"id": "0","podname": "reviews-v1-7f99cc4496-gdxfn","clustername": "null","reviews": [{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"},{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."}]}',
  );
  assert.equal(fake.calls.length, 0);
});

test('v2 asks ratings with a 10 s timeout, propagating tracing headers and end-user only', async () => {
  const fake = createFakeAppContext({ pod: POD, upstream: async () => RATINGS_OK });
  const headers = { 'end-user': 'jason', 'x-request-id': 'r1', traceparent: 't', cookie: 'session=x', authorization: 'Bearer y' };
  const response = await fake.settle(createReviewsApp('v2')({ method: 'GET', path: '/reviews/0', headers, body: '' }, fake.context));
  const body = JSON.parse(response.body) as { reviews: { rating: unknown }[] };
  assert.deepEqual(body.reviews.map((review) => review.rating), [{ stars: 5, color: 'black' }, { stars: 4, color: 'black' }]);
  const call = fake.calls[0];
  assert.equal(call?.host, 'ratings');
  assert.equal(call?.port, 9080);
  assert.equal(call?.path, '/ratings/0');
  assert.equal(call?.timeoutMs, 10_000);
  assert.deepEqual(call?.headers, { accept: 'application/json', 'x-request-id': 'r1', traceparent: 't', 'end-user': 'jason', host: 'ratings:9080' });
});

test('v3 uses red stars and a 2.5 s timeout; failures become the ratings error, still 200', async () => {
  const fake = createFakeAppContext({ pod: POD, upstream: async () => Promise.reject(new AppNetworkError('ECONNRESET', 'reset')) });
  const response = await fake.settle(createReviewsApp('v3')({ method: 'GET', path: '/reviews/0', headers: {}, body: '' }, fake.context));
  assert.equal(response.status, 200);
  assert.equal(fake.calls[0]?.timeoutMs, 2500);
  assert.equal((response.body.match(/"rating": \{"error": "Ratings service is currently unavailable"\}/g) ?? []).length, 2);
  const red = createFakeAppContext({ pod: POD, upstream: async () => RATINGS_OK });
  const ok = await red.settle(createReviewsApp('v3')({ method: 'GET', path: '/reviews/0', headers: {}, body: '' }, red.context));
  assert.ok(ok.body.includes('"rating": {"stars": 5, "color": "red"}'));
});

test('pod environment overrides the image: CLUSTER_NAME and RATINGS_HOSTNAME', async () => {
  const fake = createFakeAppContext({ pod: fakePod({ name: 'r', env: { CLUSTER_NAME: 'east', RATINGS_HOSTNAME: 'ratings-v1' } }), upstream: async () => RATINGS_OK });
  const response = await fake.settle(createReviewsApp('v2')({ method: 'GET', path: '/reviews/7', headers: {}, body: '' }, fake.context));
  assert.ok(response.body.startsWith('{"id": "7","podname": "r","clustername": "east",'));
  assert.equal(fake.calls[0]?.host, 'ratings-v1');
});

test('health, non-numeric ids and unknown paths', async () => {
  const fake = createFakeAppContext({ pod: POD });
  const app = createReviewsApp('v1');
  const get = (path: string): Promise<AppResponse> => fake.settle(app({ method: 'GET', path, headers: {}, body: '' }, fake.context));
  assert.equal((await get('/health')).body, '{"status": "Reviews is healthy"}');
  assert.equal((await get('/reviews/abc')).status, 404);
  assert.equal((await get('/other')).status, 404);
});
