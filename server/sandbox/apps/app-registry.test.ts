import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appForImage, describeImage, parseImageReference } from './app-registry.ts';
import { AppNetworkError } from './app-network-error.ts';
import { createFakeAppContext, fakePod } from './fake-app-context.ts';

test('image references lose registry, tag and digest', () => {
  assert.deepEqual(parseImageReference('registry.istio.io/release/examples-bookinfo-reviews-v2:1.20.3'), {
    repository: 'release/examples-bookinfo-reviews-v2',
    name: 'examples-bookinfo-reviews-v2',
    tag: '1.20.3',
  });
  assert.deepEqual(parseImageReference('localhost:5000/nginx@sha256:abc'), { repository: 'nginx', name: 'nginx' });
  assert.deepEqual(parseImageReference('curlimages/curl'), { repository: 'curlimages/curl', name: 'curl' });
});

test('the images of the Istio samples map to their apps', () => {
  const cases: readonly (readonly [string, string, string | undefined, boolean])[] = [
    ['registry.istio.io/release/examples-bookinfo-productpage-v1:1.20.3', 'productpage', 'v1', true],
    ['docker.io/istio/examples-bookinfo-productpage-v1:1.20.2', 'productpage', 'v1', true],
    ['registry.istio.io/release/examples-bookinfo-details-v1:1.20.3', 'details', 'v1', true],
    ['registry.istio.io/release/examples-bookinfo-reviews-v1:1.20.3', 'reviews', 'v1', true],
    ['registry.istio.io/release/examples-bookinfo-reviews-v2:1.20.3', 'reviews', 'v2', true],
    ['docker.io/istio/examples-bookinfo-reviews-v3:1.20.3', 'reviews', 'v3', true],
    ['registry.istio.io/release/examples-bookinfo-ratings-v1:1.20.3', 'ratings', 'v1', true],
    ['docker.io/mccutchen/go-httpbin:v2.15.0', 'httpbin', 'go', true],
    ['docker.io/kong/httpbin', 'httpbin', 'python', true],
    ['kennethreitz/httpbin', 'httpbin', 'python', true],
    ['registry.istio.io/release/examples-helloworld-v1:1.0', 'helloworld', 'v1', true],
    ['docker.io/istio/examples-helloworld-v2', 'helloworld', 'v2', true],
    ['docker.io/curlimages/curl:8.16.0', 'client', undefined, false],
    ['curl', 'client', undefined, false],
    ['busybox:1.36', 'client', undefined, false],
    ['governmentpaas/sleep', 'client', undefined, false],
    ['fortio/fortio:latest_release', 'fortio', undefined, true],
    ['nginx', 'nginx', undefined, true],
    ['nginx:1.27.0-alpine', 'nginx', '1.27.0', true],
    ['httpd:2.4', 'httpd', undefined, true],
    ['ghcr.io/acme/shop:2', 'web-server', undefined, true],
  ];
  for (const [image, app, version, servesHttp] of cases) {
    const descriptor = describeImage(image);
    assert.equal(descriptor.app, app, image);
    assert.equal(descriptor.version, version, image);
    assert.equal(descriptor.servesHttp, servesHttp, image);
  }
  assert.deepEqual(describeImage('docker.io/mccutchen/go-httpbin:v2.15.0').ports, [8080]);
  assert.deepEqual(describeImage('registry.istio.io/release/examples-helloworld-v1:1.0').ports, [5000]);
  assert.deepEqual(describeImage('curlimages/curl').ports, []);
  assert.deepEqual(describeImage('fortio/fortio:1.69.0').ports, [8080]);
});

test('appForImage gives working, independent handlers', async () => {
  const fake = createFakeAppContext({ pod: fakePod({ name: 'helloworld-v1-abc' }) });
  const hello = await appForImage('registry.istio.io/release/examples-helloworld-v1:1.0')({ method: 'GET', path: '/hello', headers: {}, body: '' }, fake.context);
  assert.equal(hello.body, 'Hello version: v1, instance: helloworld-v1-abc\n');
  assert.equal(hello.headers['content-length'], String(hello.body.length));

  const page = await appForImage('nginx')({ method: 'GET', path: '/', headers: {}, body: '' }, fake.context);
  assert.match(page.body, /Welcome to nginx!/);

  const health = await appForImage('docker.io/istio/examples-bookinfo-productpage-v1:1.20.2')({ method: 'GET', path: '/health', headers: {}, body: '' }, fake.context);
  assert.equal(health.body, 'Product page is healthy');

  await assert.rejects(
    appForImage('docker.io/curlimages/curl:8.16.0')({ method: 'GET', path: '/', headers: {}, body: '' }, fake.context),
    (error: unknown) => error instanceof AppNetworkError && error.code === 'ECONNREFUSED',
  );

  const image = 'registry.istio.io/release/examples-bookinfo-ratings-v1:1.20.3';
  const first = appForImage(image);
  const second = appForImage(image);
  await first({ method: 'POST', path: '/ratings/0', headers: {}, body: '{"Reviewer1":1}' }, fake.context);
  const untouched = await second({ method: 'GET', path: '/ratings/0', headers: {}, body: '' }, fake.context);
  assert.equal(untouched.body, '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
});

test('go-httpbin answers with net/http header order: its own sorted, then Date and Content-Length', async () => {
  const fake = createFakeAppContext({ pod: fakePod({ name: 'httpbin-7b9c-x2k4j' }) });
  const status = await appForImage('docker.io/mccutchen/go-httpbin:v2.15.0')({ method: 'HEAD', path: '/status/200', headers: {}, body: '' }, fake.context);
  assert.deepEqual(Object.keys(status.headers), ['access-control-allow-credentials', 'access-control-allow-origin', 'content-type', 'date', 'content-length']);
  assert.equal(status.headers['content-length'], '0');
});
