// fortio from a pod of the fortio image, through a data plane on virtual time: the docs'
// circuit-breaking commands against httpbin with and without the DestinationRule.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { istioSamplesMissing } from '../../../tests/support/istio-samples.ts';
import type { JsonObject } from '../core/json-object.ts';
import { createRng } from '../core/rng.ts';
import { testPlane, type TestPlane } from '../istio/data-plane/data-plane.test-support.ts';
import { clusterBuilder, loadSample, namespace } from '../istio/mesh-model/mesh-fixtures.test-support.ts';
import { appClockFrom } from './app-clock.ts';
import { parseLoadFlags, runFortio } from './fortio-command.ts';

const skip = istioSamplesMissing;

const fortio: JsonObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'fortio-deploy', namespace: 'default' },
  spec: { replicas: 1, template: { metadata: { labels: { app: 'fortio' } }, spec: { containers: [{ name: 'fortio', image: 'fortio/fortio:latest_release', ports: [{ containerPort: 8080, name: 'http-fortio' }] }] } } },
};

const circuitBreaker: JsonObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'httpbin', namespace: 'default' },
  spec: { host: 'httpbin', trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }, outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 } } },
};

const meshConfig: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' }, data: { mesh: 'accessLogFile: /dev/stdout\n' } };

function world(extra: JsonObject[]): TestPlane {
  return testPlane(clusterBuilder().add(namespace('istio-system'), namespace('default', { 'istio-injection': 'enabled' }), meshConfig, ...loadSample('httpbin/httpbin.yaml'), fortio, ...extra).objects(), 7);
}

/** Runs fortio on the plane's virtual clock, advancing it in small steps until fortio is done. */
async function fortioOn(t: TestPlane, args: string[], seed = 3): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const rng = createRng(seed);
  const clock = appClockFrom(t.clock);
  let done = false;
  const run = runFortio(args, { plane: t.plane, from: { fromPod: { name: t.podName('default', 'fortio-deploy'), namespace: 'default' } }, now: () => t.clock.now(), sleep: (ms, signal) => clock.sleep(ms, signal), random: () => rng.next() }).finally(() => {
    done = true;
  });
  for (let i = 0; i < 100_000 && !done; i++) {
    for (let j = 0; j < 3; j++) await new Promise((resolve) => setImmediate(resolve));
    t.clock.advance(0.05);
  }
  return run;
}

function codes(stdout: string): Map<number, { count: number; percent: number }> {
  const out = new Map<number, { count: number; percent: number }>();
  for (const m of stdout.matchAll(/^Code (-?\d+) : (\d+) \(([\d.]+) %\)$/gm)) out.set(Number(m[1]), { count: Number(m[2]), percent: Number(m[3]) });
  return out;
}

test('parseLoadFlags reads Go-style flags', () => {
  const flags = parseLoadFlags(['-c', '2', '-qps=0', '-n', '20', '-loglevel', 'Warning', 'http://httpbin:8000/get']);
  assert.deepEqual({ ...flags, headers: undefined }, { threads: 2, qps: 0, calls: 20, durationMs: 5000, logLevel: 3, quiet: false, headers: undefined, url: 'http://httpbin:8000/get' });
  assert.throws(() => parseLoadFlags(['-bogus', 'x']), /flag provided but not defined: -bogus/);
});

test('fortio curl -quiet prints the response from httpbin through the sidecar', { skip }, async () => {
  const t = world([]);
  const result = await fortioOn(t, ['curl', '-quiet', 'http://httpbin:8000/get']);
  assert.equal(result.exitCode, 0);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(result.stdout, /\r\nserver: istio-envoy\r\n/);
  assert.match(result.stdout, /\r\nx-envoy-upstream-service-time: \d+\r\n/);
  const body = JSON.parse(result.stdout.slice(result.stdout.indexOf('\r\n\r\n') + 4)) as { headers: Record<string, string | string[]>; url: string };
  assert.equal(body.url, 'http://httpbin:8000/get');
  assert.deepEqual(body.headers['User-Agent'], ['fortio.org/fortio-1.69.0']);
});

test('fortio load without limits: every call passes', { skip }, async () => {
  const t = world([]);
  const result = await fortioOn(t, ['load', '-c', '2', '-qps', '0', '-n', '20', '-loglevel', 'Warning', 'http://httpbin:8000/get']);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.deepEqual([...codes(result.stdout)], [[200, { count: 20, percent: 100 }]]);
  assert.match(result.stdout, /^Fortio 1\.69\.0 running at 0 queries per second, 2->2 procs, for 20 calls: http:\/\/httpbin:8000\/get\nStarting at max qps with 2 thread\(s\) \[gomax 2\] for exactly 20 calls \(10 per thread \+ 0\)\n/);
  assert.match(result.stdout, /\nSockets used: 2 \(for perfect keepalive, would be 2\)\n/);
  assert.match(result.stdout, /\nAll done 20 calls \(avg [\d.]+ ms\): [\d.]+ qps\n$/);
  assert.match(result.stderr, /^\{"ts":\d+\.\d{6},"level":"info","r":1,"file":"logger.go","line":254,"msg":"Log level is now 3 Warning \(was 2 Info\)"\}\n$/);
});

test('fortio load with the docs DestinationRule: some calls overflow with 503, each counted in the sidecar log', { skip }, async () => {
  const t = world([circuitBreaker]);
  const result = await fortioOn(t, ['load', '-c', '2', '-qps', '0', '-n', '20', '-loglevel', 'Warning', 'http://httpbin:8000/get']);
  const seen = codes(result.stdout);
  const ok = seen.get(200)?.count ?? 0;
  const overflowed = seen.get(503)?.count ?? 0;
  assert.equal(ok + overflowed, 20, result.stdout);
  assert.ok(ok > 0 && overflowed > 0, result.stdout);
  assert.equal(seen.get(503)?.percent, (overflowed / 20) * 100);
  // Each 503 was logged by fortio and made it open a new socket (unless it was a thread's last call).
  assert.equal((result.stderr.match(/"msg":"Non ok http code","code":503/g) ?? []).length, overflowed);
  const sockets = Number(/\nSockets used: (\d+) /.exec(result.stdout)?.[1]);
  assert.ok(sockets > 2 && sockets <= 2 + overflowed, result.stdout);
  assert.match(result.stdout, /\nError cases : count \d+ avg /);
  const log = t.plane.proxyLogs('default', t.podName('default', 'fortio-deploy'));
  assert.equal(log.filter((l) => /"GET \/get HTTP\/1\.1" 503 UO upstream_reset_before_response_started\{overflow\} /.test(l)).length, overflowed, log.join('\n'));
  assert.equal(log.filter((l) => /"GET \/get HTTP\/1\.1" 200 - via_upstream /.test(l)).length, ok);
  // Overflows are not 5xx from httpbin: outlier detection never ejected it.
  assert.ok(t.plane.clusterStats('default', t.podName('default', 'fortio-deploy')).includes('cluster.outbound|8000||httpbin.default.svc.cluster.local;.outlier_detection.ejections_enforced_total: 0'));
});

test('fortio load paced at -qps for -t: qps × seconds calls, spread over the time', { skip }, async () => {
  const t = world([]);
  const started = t.clock.now();
  const result = await fortioOn(t, ['load', '-c', '2', '-qps', '10', '-t', '1s', 'http://httpbin:8000/get']);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.match(result.stdout, /\nStarting at 10 qps with 2 thread\(s\) \[gomax 2\] for 1s : 5 calls each \(total 10\)\n/);
  assert.deepEqual([...codes(result.stdout)], [[200, { count: 10, percent: 100 }]]);
  // The last calls were due 0.8 s in: the run took most of the second, not a burst.
  const elapsed = t.clock.now() - started;
  assert.ok(elapsed >= 800 && elapsed < 1000, `took ${elapsed} ms`);
  // Info level (the default) adds no level-change line.
  assert.equal(result.stderr, '');
});
