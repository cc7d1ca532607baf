// `kubectl rollout restart deployment` without a name, through the real kubectl and through the
// sandbox's own kubectl against the same cluster: both restart every Deployment of the
// namespace in name order, say so when there is none, and report paused ones after the rest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bash } from 'just-bash';
import { renderKubeconfig } from '../../server/sandbox/cluster/kubeconfig.ts';
import { createKubectlCommand } from '../../server/sandbox/kubectl/kubectl-command.ts';
import { startKubectlHarness, type KubectlHarness, type KubectlResult } from './kubectl-harness.ts';

describe('kubectl rollout restart with a type and no name', () => {
  let h: KubectlHarness;
  let bash: Bash;
  before(async () => {
    h = await startKubectlHarness({ profile: 'instant' });
    bash = new Bash({
      customCommands: [createKubectlCommand()],
      files: { '/home/learner/.kube/config': renderKubeconfig({ server: h.server.url, token: 'test-admin-token' }) },
      env: { HOME: '/home/learner' },
      cwd: '/home/learner',
    });
  });
  // h is unset when kubectl is missing: the before hook has already failed with the reason.
  after(async () => h?.close());

  const sandboxKubectl = async (args: string[]): Promise<KubectlResult> => {
    const result = await bash.exec(`kubectl ${args.join(' ')}`);
    return { stdout: result.stdout, stderr: result.stderr, code: result.exitCode };
  };
  /** A restart stamps the time to the second, and kubectl refuses a second one within it. */
  const nextSecond = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1100));

  it('answers like the real kubectl in an empty namespace, for all deployments, and with a paused one', async () => {
    assert.equal((await h.kubectl(['create', 'namespace', 'shop'])).code, 0);
    const empty = await h.kubectl(['rollout', 'restart', 'deployment', '-n', 'shop']);
    assert.deepEqual(empty, { stdout: '', stderr: 'No resources found in shop namespace.\n', code: 0 });
    assert.deepEqual(await sandboxKubectl(['rollout', 'restart', 'deployment', '-n', 'shop']), empty);

    for (const name of ['reviews', 'details', 'ratings']) assert.equal((await h.kubectl(['create', 'deployment', name, '--image=nginx', '-n', 'shop'])).code, 0);
    const all = await h.kubectl(['rollout', 'restart', 'deployment', '-n', 'shop']);
    assert.deepEqual(all, { stdout: 'deployment.apps/details restarted\ndeployment.apps/ratings restarted\ndeployment.apps/reviews restarted\n', stderr: '', code: 0 });
    await nextSecond();
    assert.deepEqual(await sandboxKubectl(['rollout', 'restart', 'deployment', '-n', 'shop']), all);

    assert.equal((await h.kubectl(['rollout', 'pause', 'deployment/ratings', '-n', 'shop'])).code, 0);
    await nextSecond();
    const paused = await h.kubectl(['rollout', 'restart', 'deployment', '-n', 'shop']);
    assert.deepEqual(paused, {
      stdout: 'deployment.apps/details restarted\ndeployment.apps/reviews restarted\n',
      stderr: 'error: deployments.apps "ratings" can\'t restart paused deployment (run rollout resume first)\n',
      code: 1,
    });
    await nextSecond();
    assert.deepEqual(await sandboxKubectl(['rollout', 'restart', 'deployment', '-n', 'shop']), paused);
  });
});
