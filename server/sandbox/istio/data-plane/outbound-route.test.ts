import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Route, RouteConfig, RouteMatch } from '../mesh-model/proxy-config.ts';
import { defaultRoute } from '../mesh-model/virtual-service-routes.ts';
import { routeMatches, selectRoute, selectVirtualHost } from './outbound-route.ts';

const base: RouteMatch = { path: { kind: 'prefix', value: '/' }, ignoreCase: false, headers: [], queryParams: [] };
const named = (name: string, match: Partial<RouteMatch> = {}): Route => ({ ...defaultRoute(`c-${name}`, 'h', 80), name, match: { ...base, ...match } });

const config: RouteConfig = {
  name: '9080',
  virtualHosts: [
    { name: 'reviews.default.svc.cluster.local:9080', domains: ['reviews.default.svc.cluster.local', 'reviews', 'reviews:9080', '10.96.0.13:9080'], routes: [named('jason', { headers: [{ name: 'end-user', match: { kind: 'exact', value: 'jason' }, invert: false }] }), named('rest')] },
    { name: 'wild', domains: ['*.example.com', '*.example.com:*'], routes: [named('wild')] },
    { name: 'allow_any', domains: ['*'], routes: [named('any')] },
  ],
};

test('virtual hosts by Host header: exact (with or without port), then wildcards, then *', () => {
  assert.equal(selectVirtualHost(config, 'reviews:9080')?.name, 'reviews.default.svc.cluster.local:9080');
  assert.equal(selectVirtualHost(config, 'REVIEWS')?.name, 'reviews.default.svc.cluster.local:9080');
  assert.equal(selectVirtualHost(config, 'httpbin.example.com:8080')?.name, 'wild');
  assert.equal(selectVirtualHost(config, 'istio.io')?.name, 'allow_any');
  assert.equal(selectVirtualHost({ name: 'x', virtualHosts: [{ name: 'only', domains: ['a.com', 'a.com:*'], routes: [] }] }, 'b.com'), undefined);
});

test('first matching route wins; header matches and their inversion', () => {
  const request = { method: 'GET', path: '/reviews/0', host: 'reviews:9080', headers: { 'end-user': 'jason' } };
  const jason = selectRoute(config, request);
  assert.equal(jason.kind === 'matched' ? jason.route.name : '', 'jason');
  const other = selectRoute(config, { ...request, headers: {} });
  assert.equal(other.kind === 'matched' ? other.route.name : '', 'rest');
  assert.ok(routeMatches({ ...base, headers: [{ name: 'x', match: { kind: 'present' }, invert: true }] }, { ...request, headers: {} }));
});

test('path matching: exact, prefix, segment-aware prefix, anchored regex, ignoreCase, query params, method', () => {
  const r = (path: string, method = 'GET') => ({ method, path, host: 'h', headers: {} });
  assert.ok(routeMatches({ ...base, path: { kind: 'exact', value: '/productpage' } }, r('/productpage?u=normal')));
  assert.ok(!routeMatches({ ...base, path: { kind: 'exact', value: '/productpage' } }, r('/productpage/x')));
  assert.ok(routeMatches({ ...base, path: { kind: 'pathPrefix', value: '/static' } }, r('/static/a.css')));
  assert.ok(!routeMatches({ ...base, path: { kind: 'pathPrefix', value: '/static' } }, r('/staticx')));
  assert.ok(routeMatches({ ...base, path: { kind: 'prefix', value: '/static' } }, r('/staticx')));
  assert.ok(routeMatches({ ...base, path: { kind: 'regex', value: '/api/v[0-9]+/.*' } }, r('/api/v1/products')));
  assert.ok(!routeMatches({ ...base, path: { kind: 'regex', value: '/api' } }, r('/api/v1')));
  assert.ok(routeMatches({ ...base, path: { kind: 'exact', value: '/Login' }, ignoreCase: true }, r('/login')));
  assert.ok(routeMatches({ ...base, queryParams: [{ name: 'u', match: { kind: 'exact', value: 'test' }, invert: false }] }, r('/p?u=test')));
  assert.ok(!routeMatches({ ...base, queryParams: [{ name: 'u', match: { kind: 'exact', value: 'test' }, invert: false }] }, r('/p?u=normal')));
  assert.ok(!routeMatches({ ...base, method: { kind: 'exact', value: 'POST' } }, r('/')));
  const none = selectRoute({ name: 'x', virtualHosts: [{ name: 'v', domains: ['*'], routes: [named('only', { path: { kind: 'exact', value: '/a' } })] }] }, r('/b'));
  assert.equal(none.kind, 'no-route');
  assert.equal(none.kind === 'no-route' ? none.virtualHost?.name : '', 'v');
});
