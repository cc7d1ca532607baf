import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../cluster/listen-cluster.ts';
import { GrowingColumns } from './get-watch.ts';
import { runKubectl } from './run-kubectl.ts';

describe('GrowingColumns', () => {
  it('pads like the first table, then widens a column for a wider cell and keeps that width', () => {
    const columns = new GrowingColumns();
    columns.remember([['NAME', 'STATUS', 'AGE'], ['web-1', 'Running', '5s']]);
    assert.equal(columns.line(['web-2', 'Pending', '0s']), 'web-2   Pending   0s\n');
    assert.equal(columns.line(['web-2', 'ContainerCreating', '0s']), 'web-2   ContainerCreating   0s\n');
    assert.equal(columns.line(['web-2', 'Running', '2s']), 'web-2   Running             2s\n');
  });
});

describe('kubectl get --watch', () => {
  let cluster: Cluster;
  let server: ListeningCluster;
  let kubeconfig: string;
  before(async () => {
    cluster = createCluster({ profile: 'instant', seed: 'get-watch', anonymousUser: 'admin' });
    server = await listenCluster(cluster, { port: 0 });
    kubeconfig = renderKubeconfig({ server: server.url, token: 't' });
  });
  after(async () => {
    cluster.dispose();
    await server.close();
  });

  const watch = async (args: string[], change: () => void): Promise<{ out: string; err: string; code: number }> => {
    const controller = new AbortController();
    let out = '';
    let err = '';
    const running = runKubectl(args, {
      stdin: '', env: {}, cwd: '/', kubeconfig, signal: controller.signal,
      readFile: async () => undefined,
      stdout: (chunk) => { out += chunk; },
      stderr: (chunk) => { err += chunk; },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    change();
    await new Promise((resolve) => setTimeout(resolve, 500));
    controller.abort();
    return { out, err, code: await running };
  };

  it('prints the list, then a line per change, until interrupted', async () => {
    const configmaps = cluster.api.resource('', 'v1', 'configmaps');
    cluster.api.create(configmaps, 'default', { metadata: { name: 'first' }, data: { a: '1' } });
    const result = await watch(['get', 'configmaps', '--watch'], () => {
      cluster.api.create(configmaps, 'default', { metadata: { name: 'a-much-longer-name' }, data: { a: '1', b: '2' } });
    });
    assert.equal(result.code, 0);
    assert.equal(result.err, '');
    const lines = result.out.split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+DATA\s+AGE$/);
    assert.ok(lines.some((line) => /^first\s+1\s+\d+s$/.test(line)), result.out);
    // The wider name widens the NAME column from that line on.
    assert.ok(lines.some((line) => /^a-much-longer-name   2      0s$/.test(line)), result.out);
  });

  it('with --watch-only prints the header with the first change only', async () => {
    const result = await watch(['get', 'ns', '-w', '--watch-only'], () => {
      cluster.api.create(cluster.api.resource('', 'v1', 'namespaces'), '', { metadata: { name: 'watched' } });
    });
    assert.match(result.out, /^NAME\s+STATUS\s+AGE\nwatched\s+Active\s+0s\n/);
    assert.doesNotMatch(result.out, /kube-system/);
  });

  it('refuses to watch more than one kind, as kubectl does', async () => {
    const result = await watch(['get', 'pods,svc', '-w'], () => {});
    assert.equal(result.code, 1);
    assert.match(result.err, /watch is only supported on individual resources and resource collections, but 2 resources were found/);
  });
});
