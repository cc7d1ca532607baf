import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Bash } from 'just-bash';
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../cluster/listen-cluster.ts';
import { createKubectlCommand } from './kubectl-command.ts';

// The outputs below are what kubectl 1.32 prints against a cluster (checked with the real
// kubectl in tests/cluster/kubectl-workloads.test.ts).
describe('kubectl rollout with a type and no name', () => {
  let cluster: Cluster;
  let server: ListeningCluster;
  let bash: Bash;
  before(async () => {
    cluster = createCluster({ profile: 'instant', seed: 'rollout-command', anonymousUser: 'admin' });
    server = await listenCluster(cluster, { port: 0 });
    bash = new Bash({
      customCommands: [createKubectlCommand()],
      files: { '/home/learner/.kube/config': renderKubeconfig({ server: server.url, token: 't' }) },
      env: { HOME: '/home/learner' },
      cwd: '/home/learner',
    });
  });
  after(async () => {
    cluster.dispose();
    await server.close();
  });

  it('says there is nothing to restart in an empty namespace', async () => {
    const result = await bash.exec('kubectl rollout restart deployment -n kube-public');
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'No resources found in kube-public namespace.\n');
  });

  it('restarts every deployment of the namespace, sorted by name', async () => {
    for (const name of ['zeta', 'alpha', 'mid']) assert.equal((await bash.exec(`kubectl create deployment ${name} --image=nginx`)).exitCode, 0);
    const result = await bash.exec('kubectl rollout restart deployment');
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'deployment.apps/alpha restarted\ndeployment.apps/mid restarted\ndeployment.apps/zeta restarted\n');
    const stamped = await bash.exec("kubectl get deploy -o jsonpath='{range .items[*]}{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}{\"\\n\"}{end}'");
    const stamps = stamped.stdout.split('\n').filter((line) => line !== '');
    assert.equal(stamps.length, 3);
    for (const stamp of stamps) assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('restarts the others and then reports each paused deployment on its own line', async () => {
    assert.equal((await bash.exec('kubectl rollout pause deployment/mid')).stdout, 'deployment.apps/mid paused\n');
    assert.equal((await bash.exec('kubectl rollout pause deployment/alpha')).stdout, 'deployment.apps/alpha paused\n');
    // A second restart within the same second is refused by kubectl's patch check.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const result = await bash.exec('kubectl rollout restart deployment');
    assert.equal(result.exitCode, 1);
    assert.equal(result.stdout, 'deployment.apps/zeta restarted\n');
    assert.equal(
      result.stderr,
      'error: deployments.apps "alpha" can\'t restart paused deployment (run rollout resume first)\nerror: deployments.apps "mid" can\'t restart paused deployment (run rollout resume first)\n',
    );
  });
});
