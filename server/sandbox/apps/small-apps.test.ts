import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppNetworkError } from './app-network-error.ts';
import { createClientApp } from './client-app.ts';
import { createFakeAppContext, fakePod } from './fake-app-context.ts';
import { createFortioServerApp } from './fortio-server.ts';
import { createHelloworldApp } from './helloworld.ts';
import { servedApp } from './served-app.ts';
import { createWebServerApp, NGINX_WELCOME_PAGE } from './web-server.ts';

test('helloworld /hello names its version and pod', async () => {
  const fake = createFakeAppContext({ pod: fakePod({ name: 'helloworld-v2-7d4b9c8f5-x7k2p' }) });
  const app = createHelloworldApp('v2');
  const hello = await fake.settle(app({ method: 'GET', path: '/hello', headers: {}, body: '' }, fake.context));
  assert.equal(hello.status, 200);
  assert.equal(hello.body, 'Hello version: v2, instance: helloworld-v2-7d4b9c8f5-x7k2p\n');
  assert.equal(hello.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal((await app({ method: 'GET', path: '/health', headers: {}, body: '' }, fake.context)).body, 'Helloworld is healthy');
  assert.equal((await app({ method: 'GET', path: '/', headers: {}, body: '' }, fake.context)).status, 404);
});

test('client images refuse connections with ECONNREFUSED', async () => {
  const fake = createFakeAppContext();
  await assert.rejects(createClientApp()({ method: 'GET', path: '/', headers: {}, body: '' }, fake.context), (error: unknown) => {
    return error instanceof AppNetworkError && error.code === 'ECONNREFUSED';
  });
});

test('nginx serves its 615-byte welcome page at / and its 404 page elsewhere', async () => {
  const fake = createFakeAppContext();
  const app = servedApp(createWebServerApp('nginx', 'nginx:1.27.0', '1.27.0'));
  const page = await app({ method: 'GET', path: '/', headers: {}, body: '' }, fake.context);
  assert.equal(page.body, NGINX_WELCOME_PAGE);
  assert.equal(page.headers['content-length'], '615');
  assert.equal(page.headers['server'], 'nginx/1.27.0');
  assert.match(page.body, /<title>Welcome to nginx!<\/title>/);
  const missing = await app({ method: 'GET', path: '/x', headers: {}, body: '' }, fake.context);
  assert.equal(missing.status, 404);
  assert.ok(missing.body.includes('<hr><center>nginx/1.27.0</center>'));
});

test('served apps add date and content-length, drop HEAD bodies and log each request', async () => {
  const fake = createFakeAppContext();
  const app = servedApp(createWebServerApp('plain', 'ghcr.io/acme/shop:2'));
  const head = await app({ method: 'HEAD', path: '/', headers: {}, body: '' }, fake.context);
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
  assert.ok(Number(head.headers['content-length']) > 0);
  assert.equal(head.headers['date'], 'Thu, 01 Jan 2026 00:00:00 GMT');
  assert.deepEqual(fake.accessLog, [{ method: 'HEAD', path: '/', status: 200, bytes: 0, durationMs: 0 }]);
  const get = await app({ method: 'GET', path: '/', headers: {}, body: '' }, fake.context);
  assert.ok(get.body.includes('ghcr.io/acme/shop:2'));
});

test('fortio server echoes the body, answers the code ?status= asks for and waits out ?delay=', async () => {
  const fake = createFakeAppContext({ pod: fakePod({ name: 'fortio-deploy-abc' }) });
  const app = servedApp(createFortioServerApp());
  const echo = await fake.settle(app({ method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain' }, body: 'ping' }, fake.context));
  assert.deepEqual([echo.status, echo.body, echo.headers['content-type']], [200, 'ping', 'text/plain']);
  const failing = await fake.settle(app({ method: 'GET', path: '/?status=503', headers: {}, body: '' }, fake.context));
  assert.equal(failing.status, 503);
  const started = fake.context.clock.now();
  const slow = await fake.settle(app({ method: 'GET', path: '/?delay=250ms', headers: {}, body: '' }, fake.context), { stepMs: 10 });
  assert.equal(slow.status, 200);
  assert.equal(fake.context.clock.now() - started, 250);
  const debug = await fake.settle(app({ method: 'GET', path: '/debug', headers: { 'user-agent': 'curl/8.16.0' }, body: '' }, fake.context));
  assert.match(debug.body, /^Φορτίο version \S+ echo debug server on fortio-deploy-abc/);
  assert.match(debug.body, /\nGET \/debug HTTP\/1\.1\n\nheaders:\n\nUser-Agent: curl\/8\.16\.0\n/);
});
