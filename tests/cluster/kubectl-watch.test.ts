import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

/**
 * Runs `change` once kubectl has a watch open on `plural`, so the change can never land
 * before kubectl started looking (a fixed delay loses that race on a loaded machine).
 */
function onceWatching(api: KubectlHarness['cluster']['api'], plural: string, change: () => void): void {
  const watch = api.watch;
  api.watch = (type, namespace, query, onEvent) => {
    const stop = watch.call(api, type, namespace, query, onEvent);
    if (type.plural === plural) {
      api.watch = watch;
      setTimeout(change, 50);
    }
    return stop;
  };
}

/** Runs `kubectl` until `done(stdout)` holds (or a deadline passes), then stops it. */
function runUntil(h: KubectlHarness, args: string[], onStart: () => void, done: (stdout: string) => boolean, deadlineMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, { env: { PATH: process.env.PATH ?? '', HOME: h.dir, KUBECONFIG: h.kubeconfig } });
    let stdout = '';
    let started = false;
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`kubectl ${args.join(' ')} did not produce the expected output in time; got:\n${stdout}`));
    }, deadlineMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!started && stdout.includes('\n')) {
        started = true;
        onStart();
      }
      if (done(stdout)) {
        clearTimeout(timer);
        child.kill();
        resolve(stdout);
      }
    });
  });
}

describe('kubectl watches against the emulated cluster', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness();
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('streams new and changed objects to `kubectl get -w` as table rows', async () => {
    const api = h.cluster.api;
    const configmaps = api.resource('', 'v1', 'configmaps');
    api.create(configmaps, 'default', { metadata: { name: 'first', labels: { watch: 'me' } }, data: { a: '1' } });
    const output = await runUntil(
      h,
      ['get', 'configmaps', '-w', '-l', 'watch=me'],
      () => {
        // Once the initial list is printed, change the cluster behind kubectl's back.
        setTimeout(() => {
          api.create(configmaps, 'default', { metadata: { name: 'second', labels: { watch: 'me' } } });
          api.patch(configmaps, 'default', 'first', 'merge', '{"data":{"b":"2"}}');
        }, 200);
      },
      (text) => /\nfirst\s+2\s+\d+s\n/.test(text),
    );
    const lines = output.trim().split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+DATA\s+AGE$/);
    assert.match(lines[1] ?? '', /^first\s+1\s+\d+s$/);
    assert.match(lines[2] ?? '', /^second\s+0\s+\d+s$/);
    assert.match(lines[3] ?? '', /^first\s+2\s+\d+s$/);
  });

  it('returns from `kubectl wait --for=delete` when the object goes away', async () => {
    const api = h.cluster.api;
    const configmaps = api.resource('', 'v1', 'configmaps');
    api.create(configmaps, 'default', { metadata: { name: 'doomed' } });
    onceWatching(api, 'configmaps', () => api.delete(configmaps, 'default', 'doomed'));
    const result = await h.kubectl(['wait', '--for=delete', 'configmap/doomed', '--timeout=10s']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'configmap/doomed condition met\n');
  });

  it('waits for a jsonpath condition through list + watch', async () => {
    const api = h.cluster.api;
    const configmaps = api.resource('', 'v1', 'configmaps');
    api.create(configmaps, 'default', { metadata: { name: 'flag' }, data: { state: 'off' } });
    onceWatching(api, 'configmaps', () => api.patch(configmaps, 'default', 'flag', 'merge', '{"data":{"state":"on"}}'));
    const result = await h.kubectl(['wait', '--for=jsonpath={.data.state}=on', 'configmap/flag', '--timeout=10s']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'configmap/flag condition met\n');
  });
});
