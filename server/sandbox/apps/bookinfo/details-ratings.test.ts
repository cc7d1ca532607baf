import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppHandler, AppResponse } from '../app-handler.ts';
import { createFakeAppContext } from '../fake-app-context.ts';
import { createDetailsApp } from './details.ts';
import { createRatingsApp } from './ratings.ts';

function caller(app: AppHandler) {
  const fake = createFakeAppContext();
  return (method: string, path: string, body = ''): Promise<AppResponse> => fake.settle(app({ method, path, headers: {}, body }, fake.context));
}

test('details: /details/<id> is compact Ruby JSON, bad ids are 400, /health answers', async () => {
  const call = caller(createDetailsApp());
  const ok = await call('GET', '/details/0');
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['content-type'], 'application/json');
  assert.equal(
    ok.body,
    '{"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}',
  );
  const bad = await call('GET', '/details/abc');
  assert.equal(bad.status, 400);
  assert.equal(bad.body, '{"error":"please provide numeric product id"}');
  assert.equal((await call('GET', '/health')).body, '{"status":"Details is healthy"}');
  assert.equal((await call('GET', '/elsewhere')).status, 404);
});

test('ratings: default ratings, POSTed ratings kept per instance, v2 without its database', async () => {
  const call = caller(createRatingsApp());
  assert.equal((await call('GET', '/ratings/0')).body, '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
  assert.equal((await call('GET', '/ratings/x')).status, 400);
  const posted = await call('POST', '/ratings/1', '{"Reviewer1":1}');
  assert.equal(posted.body, '{"id":1,"ratings":{"Reviewer1":1}}');
  assert.equal((await call('GET', '/ratings/1')).body, '{"id":1,"ratings":{"Reviewer1":1}}');
  assert.equal((await call('POST', '/ratings/1', 'not json')).status, 400);
  assert.equal((await call('GET', '/health')).body, '{"status":"Ratings is healthy"}');
  const other = caller(createRatingsApp());
  assert.equal((await other('GET', '/ratings/1')).body, '{"id":1,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
  const v2 = caller(createRatingsApp('v2'));
  const failed = await v2('GET', '/ratings/0');
  assert.equal(failed.status, 500);
  assert.equal(failed.body, '{"error":"could not connect to ratings database"}');
});
