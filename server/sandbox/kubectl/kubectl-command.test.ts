import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Bash } from 'just-bash';
import { createCluster, type Cluster } from '../cluster/create-cluster.ts';
import { renderKubeconfig } from '../cluster/kubeconfig.ts';
import { listenCluster, type ListeningCluster } from '../cluster/listen-cluster.ts';
import { createKubectlCommand, kubeconfigPath } from './kubectl-command.ts';

describe('the kubectl shell command', () => {
  let cluster: Cluster;
  let server: ListeningCluster;
  let bash: Bash;
  before(async () => {
    cluster = createCluster({ profile: 'instant', seed: 'kubectl-command', anonymousUser: 'admin' });
    server = await listenCluster(cluster, { port: 0 });
    bash = new Bash({
      customCommands: [createKubectlCommand()],
      files: {
        '/home/learner/.kube/config': renderKubeconfig({ server: server.url, token: 't' }),
        '/home/learner/app/crd.yaml': readFileSync(fileURLToPath(new URL('../../../tests/kubectl-golden/fixtures/widget-crd.yaml', import.meta.url)), 'utf8'),
        '/home/learner/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\ndata:\n  a: b\n',
      },
      env: { HOME: '/home/learner' },
      cwd: '/home/learner/app',
    });
  });
  after(async () => {
    cluster.dispose();
    await server.close();
  });

  it('finds the kubeconfig like kubectl: first $KUBECONFIG entry, else ~/.kube/config', () => {
    assert.equal(kubeconfigPath(new Map([['KUBECONFIG', '/a:/b'], ['HOME', '/h']])), '/a');
    assert.equal(kubeconfigPath(new Map([['HOME', '/h']])), '/h/.kube/config');
  });

  it('lists namespaces by name with exit code 0', async () => {
    const result = await bash.exec('kubectl get ns -o name');
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n');
  });

  it('applies a file relative to the working directory and from stdin', async () => {
    const fromFile = await bash.exec('kubectl apply -f cm.yaml');
    assert.equal(fromFile.stdout, 'configmap/from-file created\n', fromFile.stderr);
    const again = await bash.exec('kubectl apply -f cm.yaml');
    assert.equal(again.stdout, 'configmap/from-file unchanged\n');
    const piped = await bash.exec("printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: piped\\n' | kubectl apply -f -");
    assert.equal(piped.stdout, 'configmap/piped created\n', piped.stderr);
    const names = await bash.exec("kubectl get cm -o jsonpath='{.items[*].metadata.name}'");
    assert.match(names.stdout, /from-file/);
    assert.match(names.stdout, /piped/);
  });

  it('writes the changed kubeconfig back to the file and uses it next time', async () => {
    const set = await bash.exec('kubectl config set-context --current --namespace=kube-system');
    assert.equal(set.stdout, 'Context "mesh-academy" modified.\n');
    const file = await bash.exec('cat ~/.kube/config');
    assert.match(file.stdout, /namespace: kube-system/);
    const cm = await bash.exec('kubectl get cm from-file');
    assert.equal(cm.exitCode, 1);
    assert.equal(cm.stderr, 'Error from server (NotFound): configmaps "from-file" not found\n');
  });

  it('refetches cached discovery when a name is unknown, so a new CRD is usable at once', async () => {
    assert.equal((await bash.exec('kubectl get widgets -n default')).exitCode, 1);
    const applied = await bash.exec('kubectl apply -f crd.yaml');
    assert.equal(applied.stdout, 'customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n', applied.stderr);
    const listed = await bash.exec('kubectl get wd -n default');
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.equal(listed.stderr, 'No resources found in default namespace.\n');
  });

  it('leaves a printer column empty when the object has no value for it, as kubectl does', async () => {
    const versions = (await bash.exec('kubectl get crd widgets.example.com -o jsonpath={.spec.versions[0].name}')).stdout;
    const created = await bash.exec('kubectl apply -n default -f -', { stdin: `apiVersion: example.com/${versions}\nkind: Widget\nmetadata:\n  name: bare\nspec: {}\n` });
    assert.equal(created.exitCode, 0, created.stderr);
    const listed = await bash.exec('kubectl get widget bare -n default -o wide');
    assert.match(listed.stdout, /^NAME\s+SIZE\s+COLOR\s+AGE\nbare\s+\d+s\n$/, listed.stdout);
  });

  it('reports unknown resource types with exit code 1', async () => {
    const result = await bash.exec('kubectl get foos');
    assert.equal(result.exitCode, 1);
    assert.equal(result.stderr, 'error: the server doesn\'t have a resource type "foos"\n');
  });
});

describe('the kubectl shell command with an injected fetch', () => {
  it('sends its requests through the fetch it was given', async () => {
    const cluster = createCluster({ profile: 'instant', seed: 'kubectl-command-fetch', anonymousUser: 'admin' });
    const server = await listenCluster(cluster, { port: 0 });
    try {
      const seen: string[] = [];
      const bash = new Bash({
        customCommands: [
          createKubectlCommand({
            fetch: (input, init) => {
              seen.push(String(input));
              return fetch(input, init);
            },
          }),
        ],
        files: { '/home/learner/.kube/config': renderKubeconfig({ server: server.url, token: 't' }) },
        env: { HOME: '/home/learner' },
        cwd: '/home/learner',
      });
      const result = await bash.exec('kubectl get ns default -o name');
      assert.equal(result.stdout, 'namespace/default\n', result.stderr);
      assert.ok(seen.some((url) => url === `${server.url}/api/v1/namespaces/default`), seen.join('\n'));
    } finally {
      cluster.dispose();
      await server.close();
    }
  });
});
