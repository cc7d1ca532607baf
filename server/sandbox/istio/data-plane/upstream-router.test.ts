import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appClockFrom } from '../../apps/app-clock.ts';
import { ManualClock } from '../../core/manual-clock.ts';
import { createRng } from '../../core/rng.ts';
import { createEndpointPicker } from '../../network/endpoint-picker.ts';
import type { Cluster, Endpoint, ProxyConfig, Route, RouteAction } from '../mesh-model/proxy-config.ts';
import { defaultRetryPolicy, emptyHeaderOperations } from '../mesh-model/virtual-service-routes.ts';
import { routeUpstream, type RouterDeps, type TryOutcome, type TryTarget } from './upstream-router.ts';

const HOST = 'reviews.default.svc.cluster.local';

function endpoint(address: string, healthy = true): Endpoint {
  return { address, port: 9080, labels: {}, healthy, hasSidecar: true, autoMtls: true, podName: `pod-${address}`, namespace: 'default', identity: 'spiffe://cluster.local/ns/default/sa/reviews' };
}

function cluster(subset: string): Cluster {
  return { name: `outbound|9080|${subset}|${HOST}`, direction: 'outbound', host: HOST, port: 9080, subset, type: 'EDS', trafficPolicy: {}, tls: { mode: 'AUTO' } };
}

function config(endpoints: Record<string, Endpoint[]>): ProxyConfig {
  const clusters = Object.keys(endpoints).map(cluster);
  return {
    proxy: { id: 'client.default', podName: 'client', namespace: 'default', type: 'sidecar', ip: '10.244.0.1', labels: {}, serviceAccount: 'default', identity: 'spiffe://cluster.local/ns/default/sa/default', istioVersion: '1.30.3', revision: 'default' },
    listeners: [],
    routes: [],
    clusters,
    endpoints: Object.entries(endpoints).map(([subset, list]) => ({ cluster: `outbound|9080|${subset}|${HOST}`, endpoints: list })),
    authorization: [],
    mtls: { mode: 'PERMISSIVE', policies: [] },
    versions: { CDS: '', LDS: '', RDS: '', EDS: '' },
    version: '',
  };
}

function route(action: Partial<Extract<RouteAction, { kind: 'route' }>> & { subsets?: Array<[string, number]> }, extra: Partial<Route> = {}): Route {
  const subsets = action.subsets ?? [['', 100]];
  return {
    name: 'default',
    match: { path: { kind: 'prefix', value: '/' }, ignoreCase: false, headers: [], queryParams: [] },
    action: {
      kind: 'route',
      clusters: subsets.map(([subset, weight]) => ({ cluster: `outbound|9080|${subset}|${HOST}`, weight, host: HOST, port: 9080, ...(subset === '' ? {} : { subset }) })),
      retries: action.retries ?? defaultRetryPolicy(),
      mirrors: [],
      ...(action.timeoutMs === undefined ? {} : { timeoutMs: action.timeoutMs }),
      ...(action.rewrite === undefined ? {} : { rewrite: action.rewrite }),
    },
    headers: emptyHeaderOperations(),
    source: { kind: 'default', name: '', namespace: '' },
    ...extra,
  };
}

function harness(answer: (target: TryTarget, path: string, signal: AbortSignal) => Promise<TryOutcome>, seed = 1) {
  const clock = new ManualClock();
  const appClock = appClockFrom(clock);
  const tries: TryTarget[] = [];
  const outcomes: string[] = [];
  const paths: string[] = [];
  const deps: RouterDeps = {
    rng: createRng(seed),
    picker: createEndpointPicker(createRng(seed)),
    sleep: (ms, signal) => appClock.sleep(ms, signal),
    now: () => clock.now(),
    onTry: (_target, result) => outcomes.push(result),
    connect: (target, request, signal) => {
      tries.push(target);
      paths.push(request.path);
      return answer(target, request.path, signal);
    },
  };
  const run = async <T>(work: Promise<T>): Promise<T> => {
    let done = false;
    void work.finally(() => (done = true)).catch(() => undefined);
    for (let i = 0; i < 10_000 && !done; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!done) clock.advance(10);
    }
    return work;
  };
  return { deps, tries, outcomes, paths, run, clock, appClock };
}

const request = { method: 'GET', path: '/reviews/0', host: 'reviews:9080', headers: {}, body: '' };
const ok = (body = 'ok'): TryOutcome => ({ kind: 'response', response: { status: 200, headers: {}, body } });

test('a 503 is retried on another endpoint by the default policy (2 retries)', async () => {
  const h = harness(async (target) => (target.endpoint.address === '10.0.0.1' ? { kind: 'response', response: { status: 503, headers: {}, body: 'busy' } } : ok()));
  const result = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1'), endpoint('10.0.0.2')] }), route({}), request, h.deps, new AbortController().signal));
  assert.equal(result.response.status, 200);
  assert.ok(result.attempts >= 1 && result.attempts <= 2);
  if (result.attempts === 2) assert.notEqual(h.tries[0]?.endpoint.address, h.tries[1]?.endpoint.address);
  assert.equal(result.details, 'via_upstream');
  assert.equal(h.tries[0]?.mtls, true);
});

test('connection failures exhaust the retries: 503 UF,URX with Envoy’s text', async () => {
  const h = harness(async () => ({ kind: 'failure', failure: 'refused' }));
  const result = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({}), request, h.deps, new AbortController().signal));
  assert.equal(result.attempts, 3);
  assert.equal(result.response.status, 503);
  assert.deepEqual(h.outcomes, ['refused', 'refused', 'refused']);
  assert.equal(result.flags, 'UF,URX');
  assert.equal(result.response.body, 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: 111');
  const once = harness(async () => ({ kind: 'failure', failure: 'refused' }));
  const noRetry = await once.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({ retries: { attempts: 0, retryOn: [], retriableStatusCodes: [] } }), request, once.deps, new AbortController().signal));
  assert.equal(noRetry.flags, 'UF');
  assert.equal(noRetry.response.body, 'upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: 111');
});

test('a 500 is not retried by default, 5xx retries it', async () => {
  const h = harness(async () => ({ kind: 'response', response: { status: 500, headers: {}, body: 'boom' } }));
  const plain = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({}), request, h.deps, new AbortController().signal));
  assert.equal(plain.attempts, 1);
  const h2 = harness(async () => ({ kind: 'response', response: { status: 500, headers: {}, body: 'boom' } }));
  const retried = await h2.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({ retries: { attempts: 3, retryOn: ['5xx'], retriableStatusCodes: [] } }), request, h2.deps, new AbortController().signal));
  assert.equal(retried.attempts, 4);
  assert.equal(retried.response.status, 500);
  assert.equal(retried.flags, 'URX');
  assert.equal(plain.flags, '-');
});

test('route timeout: 504 upstream request timeout after exactly the timeout, the try is cancelled', async () => {
  let cancelled = false;
  const h = harness((_target, _path, signal) => {
    signal.addEventListener('abort', () => (cancelled = true));
    return new Promise<TryOutcome>(() => undefined);
  });
  const start = h.clock.now();
  const result = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({ timeoutMs: 500 }), request, h.deps, new AbortController().signal));
  assert.equal(result.response.status, 504);
  assert.equal(result.response.body, 'upstream request timeout');
  assert.equal(result.flags, 'UT');
  assert.equal(h.clock.now() - start, 500);
  assert.ok(cancelled);
});

test('per-try timeout with retries: each try gets its own budget', async () => {
  const h = harness((target, _path, signal) => (h.tries.length < 2 ? new Promise<TryOutcome>((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('gone')))) : Promise.resolve(ok(target.endpoint.address))));
  const result = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1'), endpoint('10.0.0.2')] }), route({ retries: { attempts: 2, perTryTimeoutMs: 100, retryOn: ['5xx'], retriableStatusCodes: [] } }), request, h.deps, new AbortController().signal).catch((e: unknown) => ({ error: e })));
  assert.ok(!('error' in result), 'tries that time out are abandoned, not thrown');
  if (!('error' in result)) {
    assert.equal(result.response.status, 200);
    assert.equal(result.attempts, 2);
  }
});

test('faults: abort answers with the status and "fault filter abort"; delay waits on the clock', async () => {
  const h = harness(async () => ok());
  const aborted = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({}, { fault: { abort: { httpStatus: 500, percentage: 100 } } }), request, h.deps, new AbortController().signal));
  assert.deepEqual([aborted.response.status, aborted.response.body, aborted.flags, aborted.details], [500, 'fault filter abort', 'FI', 'fault_filter_abort']);
  assert.equal(h.tries.length, 0);
  const start = h.clock.now();
  const delayed = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({}, { fault: { delay: { fixedDelayMs: 2000, percentage: 100 } } }), request, h.deps, new AbortController().signal));
  assert.equal(delayed.response.status, 200);
  assert.equal(delayed.flags, 'DI');
  assert.equal(h.clock.now() - start, 2000);
  const never = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({}, { fault: { abort: { httpStatus: 500, percentage: 0 } } }), request, h.deps, new AbortController().signal));
  assert.equal(never.response.status, 200);
});

test('unknown cluster is 503 NC, no healthy endpoint is 503 UH "no healthy upstream"', async () => {
  const h = harness(async () => ok());
  const nc = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), route({ subsets: [['v9', 100]] }), request, h.deps, new AbortController().signal));
  assert.deepEqual([nc.response.status, nc.flags], [503, 'NC']);
  const uh = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1', false)] }), route({}), request, h.deps, new AbortController().signal));
  assert.deepEqual([uh.response.status, uh.response.body, uh.flags], [503, 'no healthy upstream', 'UH']);
});

test('weighted clusters follow their weights with the seeded rng', async () => {
  const h = harness(async (target) => ok(target.cluster.subset), 42);
  const counts = new Map<string, number>();
  const cfg = config({ v1: [endpoint('10.0.0.1')], v3: [endpoint('10.0.0.3')] });
  for (let i = 0; i < 1000; i++) {
    const result = await routeUpstream(cfg, route({ subsets: [['v1', 80], ['v3', 20]] }), request, h.deps, new AbortController().signal);
    counts.set(result.response.body, (counts.get(result.response.body) ?? 0) + 1);
  }
  const v3 = counts.get('v3') ?? 0;
  assert.ok(v3 > 150 && v3 < 250, `v3 got ${v3} of 1000`);
});

test('prefix rewrite keeps the rest of the path and records the original', async () => {
  const h = harness(async () => ok());
  const r = route({ rewrite: { uri: '/v2/reviews' } }, { match: { path: { kind: 'prefix', value: '/reviews' }, ignoreCase: false, headers: [], queryParams: [] } });
  const result = await h.run(routeUpstream(config({ '': [endpoint('10.0.0.1')] }), r, request, h.deps, new AbortController().signal));
  assert.equal(h.paths[0], '/v2/reviews/0');
  assert.equal(result.sent?.headers['x-envoy-original-path'], '/reviews/0');
});
