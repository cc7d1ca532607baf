// Two clusters on one server: the real kubectl sees each cluster's objects only through its own
// path prefix, and one cluster's tokens are refused by the other.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClusterHost } from '../../server/sandbox/cluster/cluster-host.ts';
import { renderKubeconfig } from '../../server/sandbox/cluster/kubeconfig.ts';
import { requireKubectl, type KubectlResult } from './kubectl-harness.ts';

describe('ClusterHost', () => {
  const host = new ClusterHost();
  const dir = mkdtempSync(join(tmpdir(), 'mesh-academy-host-'));
  const kubectl = (id: string, args: string[]): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(dir, id), KUBECONFIG: join(dir, `${id}.kubeconfig`), LANG: 'C.UTF-8' };
      execFile('kubectl', args, { env, timeout: 15_000, encoding: 'utf8' }, (error, stdout, stderr) => {
        resolve({ stdout, stderr, code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 });
      });
    });
  before(async () => {
    requireKubectl();
    // kubectl sends no bearer token over plain http, so kubectl itself acts as the anonymous admin.
    host.create('alpha', { tokens: new Map([['alpha-token', 'alpha-admin']]), anonymousUser: 'alpha-admin', profile: 'instant' });
    host.create('beta', { tokens: new Map([['beta-token', 'beta-admin']]), anonymousUser: 'beta-admin', profile: 'instant', seed: 'beta' });
    await host.listen();
    for (const id of ['alpha', 'beta']) writeFileSync(join(dir, `${id}.kubeconfig`), renderKubeconfig({ server: host.url(id), token: `${id}-token` }));
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps each cluster\'s objects to itself', async () => {
    const created = await kubectl('alpha', ['create', 'configmap', 'only-in-alpha', '--from-literal=a=b']);
    assert.equal(created.stdout, 'configmap/only-in-alpha created\n', created.stderr);
    assert.equal((await kubectl('alpha', ['get', 'configmap', 'only-in-alpha', '-o', 'name'])).stdout, 'configmap/only-in-alpha\n');
    const missing = await kubectl('beta', ['get', 'configmap', 'only-in-alpha']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): configmaps "only-in-alpha" not found\n');
    assert.equal((await kubectl('beta', ['get', 'namespaces', '-o', 'name'])).stdout, 'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
  });

  it('refuses one cluster\'s token in the other and answers unknown clusters with 404', async () => {
    const path = '/api/v1/namespaces/default/configmaps';
    assert.equal((await fetch(`${host.url('alpha')}${path}`, { headers: { Authorization: 'Bearer alpha-token' } })).status, 200);
    const refused = await fetch(`${host.url('beta')}${path}`, { headers: { Authorization: 'Bearer alpha-token' } });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { reason: string }).reason, 'Unauthorized');
    const unknown = await fetch(`${host.url('gamma')}${path}`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { kind: string }).kind, 'Status');
    assert.equal((await fetch(`${host.url('alpha').replace('/alpha', '/alphabet')}${path}`)).status, 404);
  });

  it('routes upgrades (exec) to the cluster of the prefix', async () => {
    const upgrade = (url: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(url, { headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v5.channel.k8s.io' } });
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('upgrade', (_res, socket) => {
          socket.destroy();
          reject(new Error('unexpected upgrade'));
        });
        req.on('error', reject);
        req.end();
      });
    const exec = '/api/v1/namespaces/default/pods/nope/exec?command=true&stdout=true';
    const known = await upgrade(`${host.url('alpha')}${exec}`);
    assert.equal(known.status, 404);
    assert.equal((JSON.parse(known.body) as { message: string }).message, 'pods "nope" not found');
    const unknown = await upgrade(`${host.url('gamma')}${exec}`);
    assert.equal(unknown.status, 404);
    assert.equal((JSON.parse(unknown.body) as { message: string }).message, 'the server could not find the requested resource');
  });

  it('unmounts a removed cluster', async () => {
    assert.equal(host.remove('beta'), true);
    const gone = await kubectl('beta', ['get', 'configmaps']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /the server could not find the requested resource|NotFound/);
    assert.throws(() => host.create('Bad_Id'), { code: 'BAD_CLUSTER_ID' });
    assert.throws(() => host.create('alpha'), { code: 'CLUSTER_EXISTS' });
  });
});
