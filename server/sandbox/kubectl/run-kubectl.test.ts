import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../cluster/listen-cluster.ts';
import { runKubectl, type KubectlIo } from './run-kubectl.ts';

describe('runKubectl reaches the cluster only through the injected fetch and connect', () => {
  let cluster: Cluster;
  let server: ListeningCluster;
  before(async () => {
    cluster = createCluster({
      profile: 'instant',
      seed: 'run-kubectl',
      anonymousUser: 'admin',
      exec: async (request, streams) => {
        streams.stdout(`${request.command.slice(1).join(' ')}\n`);
        return 0;
      },
    });
    server = await listenCluster(cluster, { port: 0 });
  });
  after(async () => {
    cluster.dispose();
    await server.close();
  });

  function io(overrides: Partial<KubectlIo>): KubectlIo & { out: string; errors: string } {
    const result = {
      out: '',
      errors: '',
      stdin: '',
      env: {},
      cwd: '/',
      kubeconfig: renderKubeconfig({ server: server.url, token: 't' }),
      readFile: async () => undefined,
      stdout(chunk: string) {
        result.out += chunk;
      },
      stderr(chunk: string) {
        result.errors += chunk;
      },
      ...overrides,
    };
    return result;
  }

  it('sends every HTTP request through io.fetch', async () => {
    const seen: string[] = [];
    const shell = io({
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    const code = await runKubectl(['get', 'ns', '-o', 'name'], shell);
    assert.equal(code, 0, shell.errors);
    assert.match(shell.out, /^namespace\/default$/m);
    assert.ok(seen.some((url) => url.endsWith('/api/v1/namespaces?limit=500')), seen.join('\n'));
    assert.ok(seen.every((url) => url.startsWith(server.url)));
  });

  it('reports a refusing fetch as a refused connection', async () => {
    const shell = io({ fetch: () => Promise.reject(new TypeError('blocked')) });
    const code = await runKubectl(['get', 'ns'], shell);
    assert.equal(code, 1);
    assert.equal(shell.errors, `The connection to the server ${new URL(server.url).host} was refused - did you specify the right host or port?\n`);
  });

  it('opens the exec socket through io.connect', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: box\nspec:\n  containers:\n  - name: box\n    image: busybox\n';
    const setup = io({ stdin: pod });
    assert.equal(await runKubectl(['apply', '-f', '-'], setup), 0, setup.errors);
    assert.equal(await runKubectl(['wait', '--for=condition=Ready', 'pod/box', '--timeout=10s'], setup), 0, setup.errors);
    const urls: string[] = [];
    const shell = io({
      connect: (url, protocols, options) => {
        urls.push(url);
        return new WebSocket(url, protocols, options);
      },
    });
    const code = await runKubectl(['exec', 'box', '--', 'echo', 'through', 'connect'], shell);
    assert.equal(shell.errors, '');
    assert.equal(code, 0);
    assert.equal(shell.out, 'through connect\n');
    assert.equal(urls.length, 1);
    assert.match(urls[0] ?? '', /^ws:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/default\/pods\/box\/exec\?/);
  });

  it('ends quietly with 130 when its signal aborts a command that waits', async () => {
    const controller = new AbortController();
    const shell = io({ signal: controller.signal, stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stays\n' });
    assert.equal(await runKubectl(['apply', '-f', '-'], shell), 0, shell.errors);
    shell.out = '';
    const waiting = runKubectl(['wait', '--for=delete', 'cm/stays', '--timeout=60s'], shell);
    setTimeout(() => controller.abort(), 50);
    assert.equal(await waiting, 130);
    assert.equal(shell.out, '');
    assert.equal(shell.errors, '');
  });
});
