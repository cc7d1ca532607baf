import assert from 'node:assert/strict';
import { test } from 'node:test';
import { istioSamplesMissing } from '../../../../tests/support/istio-samples.ts';
import { bookinfo } from '../mesh-model/mesh-fixtures.test-support.ts';
import { testPlane } from './data-plane.test-support.ts';

const skip = istioSamplesMissing;

test('productpage answers a ratings pod through the sidecars', { skip }, async () => {
  const t = testPlane(bookinfo().objects());
  const ratings = t.podName('default', 'ratings-v1');
  const result = await t.send({ fromPod: { name: ratings, namespace: 'default' }, url: 'http://productpage:9080/productpage', headers: { 'user-agent': 'curl/8.11.0', accept: '*/*' } });
  assert.equal(result.error, undefined, JSON.stringify(result.trace, null, 1));
  assert.equal(result.response?.status, 200);
  assert.match(result.response?.body ?? '', /<title>Simple Bookstore App<\/title>/);
  assert.equal(result.response?.headers.server, 'istio-envoy');
  assert.match(result.response?.headers['x-envoy-upstream-service-time'] ?? '', /^\d+$/);
});
