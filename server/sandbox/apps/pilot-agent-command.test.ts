import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPilotAgent } from './pilot-agent-command.ts';

const lines = [
  'cluster.outbound|8000||httpbin.default.svc.cluster.local;.upstream_rq_pending_overflow: 3',
  'cluster.outbound|8000||httpbin.default.svc.cluster.local;.upstream_rq_total: 17',
];

function run(args: string[]) {
  const asked: string[] = [];
  const result = runPilotAgent(args, {
    plane: {
      clusterStats(namespace, pod) {
        asked.push(`${namespace}/${pod}`);
        return lines;
      },
    },
    pod: { name: 'fortio-deploy-abc', namespace: 'default' },
  });
  return { result, asked };
}

test('request GET stats prints the proxy\'s stats, one per line', () => {
  const { result, asked } = run(['request', 'GET', 'stats']);
  assert.deepEqual(asked, ['default/fortio-deploy-abc']);
  assert.deepEqual(result, { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 });
});

test('stats?filter= keeps the stats whose name matches', () => {
  const { result } = run(['request', 'GET', 'stats?filter=pending']);
  assert.equal(result.stdout, `${lines[0]}\n`);
});

test('other admin paths and commands fail', () => {
  assert.equal(run(['request', 'GET', 'clusters']).result.exitCode, 1);
  assert.match(run(['request', 'GET', 'clusters']).result.stderr, /status code 404/);
  assert.equal(run(['wait']).result.exitCode, 1);
});

const prometheus = [
  '# TYPE istio_requests_total counter',
  'istio_requests_total{reporter="source",response_code="200"} 4',
  '# TYPE istio_request_duration_milliseconds histogram',
  'istio_request_duration_milliseconds_bucket{reporter="source",response_code="200",le="+Inf"} 4',
  'istio_request_duration_milliseconds_sum{reporter="source",response_code="200"} 12',
  'istio_request_duration_milliseconds_count{reporter="source",response_code="200"} 4',
].join('\n') + '\n';

function runPrometheus(args: string[]) {
  const asked: string[] = [];
  const result = runPilotAgent(args, {
    plane: {
      clusterStats: () => lines,
      prometheusStats(namespace, pod) {
        asked.push(`${namespace}/${pod}`);
        return prometheus;
      },
    },
    pod: { name: 'productpage-v1-abc', namespace: 'default' },
  });
  return { result, asked };
}

test('request GET stats/prometheus prints the proxy\'s Istio metrics in Prometheus text format', () => {
  const { result, asked } = runPrometheus(['request', 'GET', 'stats/prometheus']);
  assert.deepEqual(asked, ['default/productpage-v1-abc']);
  assert.deepEqual(result, { stdout: prometheus, stderr: '', exitCode: 0 });
});

test('stats/prometheus?filter= keeps the series (and TYPE lines) of matching metrics', () => {
  const { result } = runPrometheus(['request', 'GET', 'stats/prometheus?filter=^istio_requests_total$']);
  assert.equal(result.stdout, '# TYPE istio_requests_total counter\nistio_requests_total{reporter="source",response_code="200"} 4\n');
  assert.match(runPrometheus(['request', 'GET', 'stats/prometheus?filter=(']).result.stderr, /status code 400/);
});

test('a plane that keeps no request metrics prints nothing for stats/prometheus', () => {
  const result = runPilotAgent(['request', 'GET', 'stats/prometheus'], { plane: { clusterStats: () => lines }, pod: { name: 'p', namespace: 'default' } });
  assert.deepEqual(result, { stdout: '', stderr: '', exitCode: 0 });
});
