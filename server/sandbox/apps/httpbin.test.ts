import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppResponse } from './app-handler.ts';
import { createFakeAppContext } from './fake-app-context.ts';
import { canonicalHeaderKey, createHttpbinApp, type HttpbinFlavor } from './httpbin.ts';
import type { HeaderMap } from './header-map.ts';

function httpbin(flavor: HttpbinFlavor = 'go', remoteAddress = '127.0.0.6:41234') {
  const fake = createFakeAppContext({ remoteAddress });
  const app = createHttpbinApp(flavor);
  const call = (method: string, path: string, headers: HeaderMap = { host: 'httpbin.foo:8000' }, body = ''): Promise<AppResponse> =>
    fake.settle(app({ method, path, headers, body }, fake.context));
  return { fake, call };
}

test('go /headers lists every header as an array under its canonical name, sorted, with Host', async () => {
  const { call } = httpbin();
  const response = await call('GET', '/headers', {
    host: 'httpbin.foo:8000',
    'user-agent': 'curl/8.16.0',
    accept: '*/*',
    'x-b3-traceid': 'abc',
    'x-forwarded-client-cert': 'By=spiffe://cluster.local/ns/foo/sa/httpbin;Hash=1;Subject="";URI=spiffe://cluster.local/ns/foo/sa/curl',
    'x-multi': ['a', 'b'],
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(
    response.body,
    `${JSON.stringify(
      {
        headers: {
          Accept: ['*/*'],
          Host: ['httpbin.foo:8000'],
          'User-Agent': ['curl/8.16.0'],
          'X-B3-Traceid': ['abc'],
          'X-Forwarded-Client-Cert': ['By=spiffe://cluster.local/ns/foo/sa/httpbin;Hash=1;Subject="";URI=spiffe://cluster.local/ns/foo/sa/curl'],
          'X-Multi': ['a', 'b'],
        },
      },
      null,
      2,
    )}\n`,
  );
  assert.equal(canonicalHeaderKey('x-request-id'), 'X-Request-Id');
});

test('python /headers gives one string per header', async () => {
  const { call } = httpbin('python');
  const response = await call('GET', '/headers', { host: 'httpbin', accept: '*/*' });
  assert.deepEqual(JSON.parse(response.body), { headers: { Accept: '*/*', Host: 'httpbin' } });
  assert.equal(response.headers['content-type'], 'application/json');
});

test('/status/N answers N; 418 is the teapot', async () => {
  const { call } = httpbin();
  const ok = await call('GET', '/status/200');
  assert.equal(ok.status, 200);
  assert.equal(ok.body, '');
  assert.equal((await call('POST', '/status/503')).status, 503);
  const teapot = await call('GET', '/status/418');
  assert.equal(teapot.status, 418);
  assert.equal(teapot.body, "I'm a teapot!");
  assert.equal(teapot.headers['x-more-info'], 'http://tools.ietf.org/html/rfc2324');
  const bad = await call('GET', '/status/999');
  assert.equal(bad.status, 400);
  assert.deepEqual(JSON.parse(bad.body), { status_code: 400, error: 'Bad Request', detail: 'invalid status code: 999 not in range [100, 599]' });
  const pythonTeapot = await httpbin('python').call('GET', '/status/418');
  assert.ok(pythonTeapot.body.includes('-=[ teapot ]=-'));
});

test('/delay/N waits N seconds of clock time, then echoes; over 10 s is refused', async () => {
  const { fake, call } = httpbin();
  const started = fake.clock.now();
  const response = await call('GET', '/delay/2?x=1');
  assert.equal(response.status, 200);
  const waited = fake.clock.now() - started;
  assert.ok(waited >= 2000 && waited < 2200, `waited ${waited}`);
  const body = JSON.parse(response.body) as { args: unknown; url: string; method: string };
  assert.deepEqual(body.args, { x: ['1'] });
  assert.equal(body.url, 'http://httpbin.foo:8000/delay/2?x=1');
  assert.equal(response.headers['server-timing'], 'initial_delay;dur=2000.00;desc="initial delay"');
  const tooLong = await call('GET', '/delay/11');
  assert.equal(tooLong.status, 400);
  assert.equal(JSON.parse(tooLong.body).detail, 'invalid duration: duration 11s longer than 10s');
  const goSyntax = await call('GET', '/delay/500ms');
  assert.equal(goSyntax.status, 200);
});

test('/ip and /get report the client address: X-Forwarded-For first, else the peer', async () => {
  const { call } = httpbin('go', '10.244.0.7:5555');
  assert.equal((await call('GET', '/ip')).body, '{\n  "origin": "10.244.0.7"\n}\n');
  const forwarded = await call('GET', '/get?a=1&a=2', { host: 'h', 'x-forwarded-for': '203.0.113.9, 10.0.0.1', 'x-forwarded-proto': 'https' });
  const body = JSON.parse(forwarded.body) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['args', 'headers', 'method', 'origin', 'url']);
  assert.equal(body['origin'], '203.0.113.9');
  assert.deepEqual(body['args'], { a: ['1', '2'] });
  assert.equal(body['url'], 'https://h/get?a=1&a=2');
});

test('/anything echoes method, form and JSON bodies', async () => {
  const { call } = httpbin();
  const json = await call('PUT', '/anything/x', { host: 'h', 'content-type': 'application/json' }, '{"a":1}');
  const body = JSON.parse(json.body) as Record<string, unknown>;
  assert.equal(body['method'], 'PUT');
  assert.equal(body['data'], '{"a":1}');
  assert.deepEqual(body['json'], { a: 1 });
  const form = await call('POST', '/post', { host: 'h', 'content-type': 'application/x-www-form-urlencoded' }, 'k=v');
  assert.deepEqual((JSON.parse(form.body) as Record<string, unknown>)['form'], { k: ['v'] });
});

test('index page, 404 as JSON, 405 from the router', async () => {
  const { call } = httpbin();
  const index = await call('GET', '/');
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(index.body, /<title>go-httpbin\(1\): HTTP Client Testing Service<\/title>/);
  const missing = await call('GET', '/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.body, '{\n  "status_code": 404,\n  "error": "Not Found"\n}\n');
  const wrong = await call('POST', '/get');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.body, 'Method Not Allowed\n');
  assert.equal(wrong.headers['allow'], 'GET, HEAD');
});
