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
