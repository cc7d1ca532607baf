// Circuit breaking (istio.io tasks/traffic-management/circuit-breaking): httpbin with a
// DestinationRule of one connection, one pending request and one request per connection, the
// fortio client calling it once, then with 2 concurrent connections × 20 calls (some overflow
// with 503) and 3 × 30 (more overflow); the fortio sidecar's access log and stats show `UO`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { istioSamplesMissing } from '../support/istio-samples.ts';
import { openLearnerTerminal, type LearnerTerminal } from './learner-terminal.ts';

const DESTINATION_RULE = `kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: httpbin
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 1
      http:
        http1MaxPendingRequests: 1
        maxRequestsPerConnection: 1
    outlierDetection:
      consecutive5xxErrors: 1
      interval: 1s
      baseEjectionTime: 3m
      maxEjectionPercent: 100
EOF`;

/** samples/httpbin/sample-client/fortio-deploy.yaml as upstream ships it. */
const FORTIO_DEPLOY = `kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: fortio
  labels:
    app: fortio
    service: fortio
spec:
  ports:
  - port: 8080
    name: http
  selector:
    app: fortio
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: fortio-deploy
spec:
  replicas: 1
  selector:
    matchLabels:
      app: fortio
  template:
    metadata:
      annotations:
        # This annotation causes Envoy to serve cluster.outbound statistics via 15000/stats
        # in addition to the stats normally served by Istio. The Circuit Breaking example task
        # gives an example of inspecting Envoy stats via proxy config.
        proxy.istio.io/config: |-
          proxyStatsMatcher:
            inclusionPrefixes:
            - "cluster.outbound"
            - "cluster_manager"
            - "listener_manager"
            - "server"
            - "cluster.xds-grpc"
      labels:
        app: fortio
    spec:
      containers:
      - name: fortio
        image: fortio/fortio:latest_release
        imagePullPolicy: Always
        ports:
        - containerPort: 8080
          name: http-fortio
        - containerPort: 8079
          name: grpc-ping
EOF`;

const HTTPBIN_CLUSTER = 'cluster.outbound|8000||httpbin.default.svc.cluster.local;.';

function codes(stdout: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of stdout.matchAll(/^Code (-?\d+) : (\d+) \(([\d.]+) %\)$/gm)) out.set(Number(m[1]), Number(m[2]));
  return out;
}

describe('circuit breaking', { skip: istioSamplesMissing }, () => {
  let terminal: LearnerTerminal;
  let fortioPod = '';
  const overflowLines = (): string[] => terminal.sandbox.workloads.plane.proxyLogs('default', fortioPod).filter((l) => / 503 UO upstream_reset_before_response_started\{overflow\} /.test(l));
  const stat = (name: string): number => {
    const line = terminal.sandbox.workloads.plane.clusterStats('default', fortioPod).find((l) => l.startsWith(`${HTTPBIN_CLUSTER}${name}: `));
    return Number(line?.split(': ')[1]);
  };
  before(async () => {
    terminal = await openLearnerTerminal('circuit-breaking');
    await terminal.ok('istioctl install --set profile=demo -y');
    await terminal.ok('kubectl label namespace default istio-injection=enabled');
  });
  after(async () => {
    await terminal?.close();
  });

  it('deploys httpbin and the circuit-breaking DestinationRule', async () => {
    await terminal.ok('kubectl apply -f samples/httpbin/httpbin.yaml');
    await terminal.ok('kubectl wait --for=condition=available deployment/httpbin --timeout=60s');
    assert.equal(await terminal.ok(DESTINATION_RULE), 'destinationrule.networking.istio.io/httpbin created\n');
    const yaml = await terminal.ok('kubectl get destinationrule httpbin -o yaml');
    assert.match(yaml, /\n {4}connectionPool:\n {6}http:\n {8}http1MaxPendingRequests: 1\n {8}maxRequestsPerConnection: 1\n {6}tcp:\n {8}maxConnections: 1\n/);
    assert.match(yaml, /\n {4}outlierDetection:\n {6}baseEjectionTime: 3m\n {6}consecutive5xxErrors: 1\n {6}interval: 1s\n {6}maxEjectionPercent: 100\n/);
  });

  it('deploys the fortio client', async () => {
    assert.equal(await terminal.ok(FORTIO_DEPLOY), 'service/fortio created\ndeployment.apps/fortio-deploy created\n');
    await terminal.ok('kubectl wait --for=condition=available deployment/fortio-deploy --timeout=60s');
    await terminal.ok(`export FORTIO_POD=$(kubectl get pods -l app=fortio -o 'jsonpath={.items[0].metadata.name}')`);
    fortioPod = (await terminal.ok('echo "$FORTIO_POD"')).trim();
    assert.match(fortioPod, /^fortio-deploy-[a-z0-9]+-[a-z0-9]{5}$/);
    // The fortio pod's sidecar has the httpbin cluster shaped by the DestinationRule.
    const clusters = await terminal.ok('istioctl proxy-config cluster "$FORTIO_POD" --fqdn httpbin.default.svc.cluster.local');
    assert.match(clusters, /^httpbin\.default\.svc\.cluster\.local\s+8000\s+-\s+outbound\s+EDS\s+httpbin\.default\s*$/m);
  });

  it('a single call passes: fortio curl prints httpbin\'s answer', async () => {
    const result = await terminal.type('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio curl -quiet http://httpbin:8000/get');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(result.stdout, /\r\nx-envoy-upstream-service-time: \d+\r\n/);
    const body = JSON.parse(result.stdout.slice(result.stdout.indexOf('\r\n\r\n') + 4)) as { url: string; headers: Record<string, string[]> };
    assert.equal(body.url, 'http://httpbin:8000/get');
    assert.deepEqual(body.headers['User-Agent'], ['fortio.org/fortio-1.69.0']);
  });

  it('two concurrent connections, 20 calls: some pass, some overflow with 503 UO', async () => {
    const result = await terminal.type('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^Fortio \S+ running at 0 queries per second, \d+->\d+ procs, for 20 calls: http:\/\/httpbin:8000\/get\nStarting at max qps with 2 thread\(s\) \[gomax \d+\] for exactly 20 calls \(10 per thread \+ 0\)\nEnded after [\d.]+m?s : 20 calls\. qps=[\d.]+\n/);
    assert.match(result.stdout, /\nAggregated Function Time : count 20 avg [\d.e-]+ \+\/- [\d.e-]+ min [\d.e-]+ max [\d.e-]+ sum [\d.e-]+\n# range, mid point, percentile, count\n/);
    assert.match(result.stdout, /\n# target 50% [\d.e-]+\n# target 75% [\d.e-]+\n# target 90% [\d.e-]+\n# target 99% [\d.e-]+\n# target 99\.9% [\d.e-]+\n/);
    assert.match(result.stdout, /\nAll done 20 calls \(avg [\d.]+ ms\): [\d.]+ qps\n$/);
    const seen = codes(result.stdout);
    const ok = seen.get(200) ?? 0;
    const overflowed = seen.get(503) ?? 0;
    assert.equal(ok + overflowed, 20, result.stdout);
    assert.ok(overflowed > 0 && ok > 0, result.stdout);
    assert.match(result.stdout, new RegExp(`\\nCode 200 : ${ok} \\(${((ok / 20) * 100).toFixed(1)} %\\)\\nCode 503 : ${overflowed} \\(${((overflowed / 20) * 100).toFixed(1)} %\\)\\n`));
    assert.match(result.stderr, /^\{"ts":[\d.]+,"level":"info","r":1,"file":"logger.go","line":254,"msg":"Log level is now 3 Warning \(was 2 Info\)"\}\n/);
    assert.equal((result.stderr.match(/"level":"warn",.*"msg":"Non ok http code","code":503,"status":"HTTP\/1\.1 503"/g) ?? []).length, overflowed);
    // The calling sidecar answered each 503 itself: Envoy's overflow, in its access log and stats.
    assert.equal(overflowLines().length, overflowed);
    assert.equal(stat('upstream_rq_pending_overflow'), overflowed);
  });

  it('three concurrent connections, 30 calls: more overflow', async () => {
    const before = overflowLines().length;
    const result = await terminal.type('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /\nStarting at max qps with 3 thread\(s\) \[gomax \d+\] for exactly 30 calls \(10 per thread \+ 0\)\n/);
    const seen = codes(result.stdout);
    const overflowed = seen.get(503) ?? 0;
    assert.equal((seen.get(200) ?? 0) + overflowed, 30, result.stdout);
    assert.ok(overflowed > 0, result.stdout);
    assert.equal(overflowLines().length - before, overflowed);
    // Overflows never reach httpbin, so outlier detection has nothing to eject.
    assert.equal(stat('outlier_detection.ejections_enforced_total'), 0);
  });

  it('the fortio sidecar\'s stats count every overflow', async () => {
    const stats = await terminal.ok('kubectl exec "$FORTIO_POD" -c istio-proxy -- pilot-agent request GET stats | grep httpbin | grep pending');
    const names = stats.trimEnd().split('\n').map((line) => line.slice(0, line.indexOf(': ')));
    assert.deepEqual(names, [
      `${HTTPBIN_CLUSTER}circuit_breakers.default.remaining_pending`,
      `${HTTPBIN_CLUSTER}circuit_breakers.default.rq_pending_open`,
      `${HTTPBIN_CLUSTER}circuit_breakers.high.rq_pending_open`,
      `${HTTPBIN_CLUSTER}upstream_rq_pending_active`,
      `${HTTPBIN_CLUSTER}upstream_rq_pending_failure_eject`,
      `${HTTPBIN_CLUSTER}upstream_rq_pending_overflow`,
      `${HTTPBIN_CLUSTER}upstream_rq_pending_total`,
    ]);
    assert.ok(stats.includes(`${HTTPBIN_CLUSTER}upstream_rq_pending_overflow: ${overflowLines().length}\n`), stats);
    assert.ok(stats.includes(`${HTTPBIN_CLUSTER}circuit_breakers.default.remaining_pending: 1\n`), stats);
  });

  it('cleanup, as the docs do it', async () => {
    assert.equal(await terminal.ok('kubectl delete destinationrule httpbin'), 'destinationrule.networking.istio.io "httpbin" deleted\n');
    // Without the limits the same burst all passes.
    const result = await terminal.ok('kubectl exec "$FORTIO_POD" -c fortio -- /usr/bin/fortio load -c 3 -qps 0 -n 30 -loglevel Warning http://httpbin:8000/get');
    assert.deepEqual([...codes(result)], [[200, 30]]);
    await terminal.ok('kubectl delete -f samples/httpbin/httpbin.yaml');
  });
});
