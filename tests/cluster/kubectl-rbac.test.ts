import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startKubectlHarness, type KubectlHarness } from './kubectl-harness.ts';

const LEARNER = 'system:serviceaccount:team:learner';

describe('RBAC: roles, bindings, impersonation and ServiceAccount tokens', () => {
  let h: KubectlHarness;
  before(async () => {
    h = await startKubectlHarness();
    await h.kubectl(['create', 'namespace', 'team']);
    await h.kubectl(['create', 'serviceaccount', 'learner', '-n', 'team']);
    const bound = await h.kubectl(['create', 'rolebinding', 'learner-edit', '--clusterrole=edit', '--serviceaccount=team:learner', '-n', 'team']);
    assert.equal(bound.code, 0, bound.stderr);
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  it('answers can-i from the bindings, through the aggregated edit role', async () => {
    const can = (args: string[]): Promise<string> => h.kubectl(['auth', 'can-i', ...args, `--as=${LEARNER}`]).then((r) => r.stdout.trim());
    assert.equal(await can(['create', 'deployments', '-n', 'team']), 'yes');
    assert.equal(await can(['create', 'pods/exec', '-n', 'team']), 'yes');
    assert.equal(await can(['create', 'deployments', '-n', 'default']), 'no');
    assert.equal(await can(['create', 'rolebindings', '-n', 'team']), 'no');
    assert.equal(await can(['list', 'nodes']), 'no');
  });

  it('refuses what the bindings do not grant with the real Forbidden wording', async () => {
    const pods = await h.kubectl(['get', 'pods', '-n', 'default', `--as=${LEARNER}`]);
    assert.equal(pods.stderr, `Error from server (Forbidden): pods is forbidden: User "${LEARNER}" cannot list resource "pods" in API group "" in the namespace "default"\n`);
    const secret = await h.kubectl(['get', 'secret', 'x', '-n', 'kube-system', `--as=${LEARNER}`]);
    assert.equal(secret.stderr, `Error from server (Forbidden): secrets "x" is forbidden: User "${LEARNER}" cannot get resource "secrets" in API group "" in the namespace "kube-system"\n`);
    const nodes = await h.kubectl(['get', 'nodes', `--as=${LEARNER}`]);
    assert.equal(nodes.stderr, `Error from server (Forbidden): nodes is forbidden: User "${LEARNER}" cannot list resource "nodes" in API group "" at the cluster scope\n`);
    assert.equal((await h.kubectl(['create', 'deployment', 'web', '--image=nginx:1.27', '-n', 'team', `--as=${LEARNER}`])).stdout, 'deployment.apps/web created\n');
    const whoami = await h.kubectl(['auth', 'whoami', `--as=${LEARNER}`]);
    assert.match(whoami.stdout, new RegExp(`Username\\s+${LEARNER}\\nGroups\\s+\\[system:serviceaccounts system:serviceaccounts:team system:authenticated\\]\\n`));
  });

  it('issues ServiceAccount tokens that authenticate client-node requests as the account', async () => {
    const token = (await h.kubectl(['create', 'token', 'learner', '-n', 'team'])).stdout.trim();
    assert.match(token, /^eyJ/);
    const config = new k8s.KubeConfig();
    config.loadFromOptions({
      clusters: [{ name: 'sandbox', server: h.server.url, skipTLSVerify: true }],
      users: [{ name: 'learner', token }],
      contexts: [{ name: 'learner', cluster: 'sandbox', user: 'learner', namespace: 'team' }],
      currentContext: 'learner',
    });
    const core = config.makeApiClient(k8s.CoreV1Api);
    const configMaps = await core.listNamespacedConfigMap({ namespace: 'team' });
    assert.ok(configMaps.items.some((cm) => cm.metadata?.name === 'kube-root-ca.crt'));
    await assert.rejects(core.listNamespacedConfigMap({ namespace: 'default' }), (error: unknown) => {
      assert.ok(error instanceof k8s.ApiException);
      assert.equal(error.code, 403);
      return true;
    });
    await h.kubectl(['delete', 'serviceaccount', 'learner', '-n', 'team']);
    await assert.rejects(core.listNamespacedConfigMap({ namespace: 'team' }), (error: unknown) => error instanceof k8s.ApiException && error.code === 401);
  });
});
