// Per-cluster limits as the real kubectl meets them: objects and watches answer 429, bodies 413,
// and the request rate 429 with Retry-After, which kubectl honours before trying again.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

describe('cluster limits', () => {
  const harnesses: KubectlHarness[] = [];
  after(async () => {
    for (const h of harnesses) await h.close();
  });
  const start = async (options: Parameters<typeof startKubectlHarness>[0]): Promise<KubectlHarness> => {
    const h = await startKubectlHarness(options);
    harnesses.push(h);
    return h;
  };

  it('refuses objects beyond maxObjects with 429 naming the limit, storing nothing', async () => {
    const probe = await start({ profile: 'none' });
    const initial = probe.cluster.api.store.snapshot().objects.length;
    const h = await start({ profile: 'none', maxObjects: initial + 1 });
    assert.equal((await h.kubectl(['create', 'configmap', 'one'])).code, 0);
    const rv = h.cluster.api.store.resourceVersion;
    const refused = await h.kubectl(['create', 'configmap', 'two']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `error: failed to create configmap: this sandbox already holds its limit of ${initial + 1} objects (maxObjects); delete some before creating more\n`);
    assert.equal(h.cluster.api.store.resourceVersion, rv);
    assert.equal(h.cluster.api.store.snapshot().objects.length, initial + 1);
    const raw = await fetch(`${h.server.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'three' } }) });
    assert.equal(raw.status, 429);
    assert.equal(raw.headers.get('retry-after'), null);
    assert.equal(((await raw.json()) as { reason: string }).reason, 'TooManyRequests');
    // Replacing an existing object is still allowed at the limit.
    assert.equal((await h.kubectl(['label', 'configmap', 'one', 'a=b'])).code, 0);
  });

  it('refuses bodies beyond maxBodyBytes with 413 RequestEntityTooLarge', async () => {
    const h = await start({ profile: 'none', maxBodyBytes: 64 * 1024 });
    const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {blob: "${'x'.repeat(80 * 1024)}"}\n`;
    const rv = h.cluster.api.store.resourceVersion;
    const refused = await h.kubectl(['apply', '-f', '-'], { input: manifest });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Request entity too large: limit is 65536/);
    assert.equal(h.cluster.api.store.resourceVersion, rv);
    const raw = await fetch(`${h.server.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(80 * 1024) } }) });
    assert.equal(raw.status, 413);
    assert.deepEqual(await raw.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Request entity too large: limit is 65536', reason: 'RequestEntityTooLarge', code: 413 });
  });

  it('refuses watches beyond maxWatches with 429 and Retry-After', async () => {
    const h = await start({ profile: 'none', maxWatches: 1 });
    const controller = new AbortController();
    const first = await fetch(`${h.server.url}/api/v1/namespaces?watch=true`, { signal: controller.signal });
    assert.equal(first.status, 200);
    const second = await fetch(`${h.server.url}/api/v1/namespaces?watch=true`);
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '1');
    assert.match(((await second.json()) as { message: string }).message, /too many watches on this sandbox \(limit 1\)/);
    controller.abort();
  });

  it('limits the request rate with 429 and Retry-After; kubectl waits and succeeds', async () => {
    const h = await start({ profile: 'none', requestsPerSecond: 4, requestBurst: 2 });
    const answers = await Promise.all(Array.from({ length: 4 }, () => fetch(`${h.server.url}/api/v1/namespaces`)));
    const refused = answers.filter((answer) => answer.status === 429);
    assert.ok(refused.length >= 1);
    assert.equal(refused[0]?.headers.get('retry-after'), '1');
    const status = (await refused[0]?.json()) as { message: string; details: { retryAfterSeconds: number } };
    assert.equal(status.message, 'too many requests to this sandbox (limit 4 per second), please try again later');
    assert.equal(status.details.retryAfterSeconds, 1);
    // A fresh kubectl (discovery included) runs into the limit and gets through by retrying.
    const result = await h.kubectl(['get', 'namespaces', '-o', 'name'], { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
  });
});
